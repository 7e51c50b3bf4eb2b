// dockerPrep: docker preparation for one customer. Checks out the customer repository, sets the plan's versions in
// its compose file, records the images the stack then runs (what deliver and portainerDeploy are held to), brings
// the stack up under a project name unique to this build, smoke-tests every route, publishes the JUnit report and
// always tears the stack down again (unless keep: true, for a feature preview stack). Returns [passed:, failures:
// [[component:, route:, repoPerson:, message:]], testedImages:, ...] for releaseDecision; it does not fail the build
// for failing routes, and its JUnit report does not mark the build UNSTABLE: the decision says what the result is.
// Repository, branch, compose file, routes and credentials come from deployflow.yaml unless given here.

Map call(Map args = [:]) {
    for (String required : ['customer', 'plan']) {
        if (!args[required]) {
            error("dockerPrep: ${required} is required")
        }
    }
    String customer = args.customer
    String config = args.config ?: 'deployflow.yaml'
    String out = (args.outDir ?: 'deployflow-out') + '/' + customer
    Map settings = args.repo && args.routes ? [:] : deployflowCli.settings(config, [customer: customer], out).customer
    String repo = deployflowCli.choose(args.repo, settings.repo)
    String routesFile = deployflowCli.choose(args.routes, settings.routes)
    if (!routesFile) {
        error("dockerPrep: routes is required (or set customers[].routes for ${customer} in ${config})")
    }
    String checkoutDir = args.dir ?: 'customers/' + customer
    String composeFile = checkoutDir + '/' + deployflowCli.choose(args.composeFile, settings.composeFile ?:
            'docker-compose.yml')
    String routes = checkoutDir + '/' + routesFile
    boolean keep = args.keep == true

    if (repo && args.checkout != false) {
        Map gitArgs = [url: repo, branch: deployflowCli.choose(args.branch, settings.developBranch ?: 'develop')]
        String credentialsId = deployflowCli.choose(args.customerCredentialsId, settings.credentials?.git)
        if (credentialsId) {
            gitArgs.credentialsId = credentialsId
        }
        dir(checkoutDir) {
            git(gitArgs)
        }
    }
    deployflowCli.outDir(out)
    String planPath = deployflowCli.planFile(args.plan, out + '/plan.json')

    int code = deployflowCli.runCli(['compose', 'set-versions', '--config', config, '--customer', customer,
                                  '--file', composeFile, '--plan', planPath, '--json', out + '/set-versions.json'])
    deployflowCli.check(code, "compose set-versions ${customer}")
    // what is tested, recorded before it goes up: portainerDeploy and deliver refuse anything else
    String testedImages = out + '/tested-images.json'
    deployflowCli.check(deployflowCli.runCli(['compose', 'images', '--file', composeFile, '--json', testedImages]),
            "compose images ${customer}")

    String project = deployflowCli.projectName(customer)
    Map result = [passed: false, failures: [], project: project, kept: keep, report: null, composeFile: composeFile,
                  plan: planPath, testedImages: testedImages]
    String removeWith = "deployflow stack down --project ${project} --file ${composeFile}"
    try {
        List up = ['stack', 'up', '--file', composeFile, '--project', project, '--wait', args.wait ?: '180s',
                   '--json', out + '/stack.json']
        if (keep) {
            up.add('--keep')
        }
        code = deployflowCli.runCli(up)
        deployflowCli.check(code, "stack up ${project}", true)
        Map stack = deployflowCli.readJsonIfPresent(out + '/stack.json') ?: [:]
        removeWith = stack.removeWith ?: removeWith
        if (code == 1) {
            // The stack never became healthy: no route can pass, so report the stuck services instead.
            result.failures = unhealthy(stack, deployflowCli.readJson(planPath))
        } else {
            Map smoke = smokeTest.runSmoke(outDir: out, routes: routes, baseUrl: args.baseUrl, plan: planPath,
                    config: config, concurrency: args.concurrency ?: 16, readyTimeout: args.readyTimeout,
                    json: out + '/smoke.json', junit: out + '/smoke-junit.xml', skipMarkingBuildUnstable: true)
            result.passed = smoke.passed
            result.failures = smoke.failures
            result.report = smoke.report
        }
    } finally {
        if (keep) {
            deployflowCli.describe("preview stack ${project} left up; remove it with: ${removeWith}")
        } else {
            tearDown(project, composeFile)
        }
        archiveArtifacts(artifacts: out + '/*.json,' + out + '/*.xml', allowEmptyArchive: true, fingerprint: false)
    }
    echo(result.passed ? "dockerPrep ${customer}: all routes passed" :
            "dockerPrep ${customer}: ${result.failures.size()} failure(s): ${smokeTest.failureList(result.failures)}")
    return result
}

/** Runs in finally: it must not hide the failure that got us here, so a failed teardown only warns. */
void tearDown(String project, String composeFile) {
    int code = deployflowCli.runCli(['stack', 'down', '--project', project, '--file', composeFile])
    if (code != 0) {
        echo "WARNING: stack down ${project} failed (exit ${code}); remove it by hand with: " +
                "deployflow stack down --project ${project}"
    }
}

/**
 * The containers that kept the stack from becoming healthy (`stack up --json`), as failures. A service named like
 * a plan component is that component, with its repo-person from the plan.
 */
@NonCPS
List unhealthy(Map stack, Map plan) {
    List stuck = (stack.containers ?: []).findAll { c ->
        !((c.state == 'running' && c.health in [null, 'healthy']) || (c.state == 'exited' && c.exitCode == 0))
    }
    if (stuck.isEmpty()) {
        return [[route: null, component: null, repoPerson: null,
                 message: stack.problem ?: 'the stack did not become healthy']]
    }
    return stuck.collect { c ->
        Map component = (plan.components ?: []).find { it.name == c.service }
        String state = c.health ? "${c.state}, ${c.health}" :
                (c.exitCode == null ? c.state : "${c.state} (exit ${c.exitCode})")
        [route: null, component: component?.name, repoPerson: component?.repoPerson,
         message: "service ${c.service} not healthy (${state})".toString()]
    }
}
