// smokeTest: runs one routes file against a running service (after dockerPrep, a Portainer deploy or any other
// deployment), publishes the JUnit report, and marks the build UNSTABLE (default) or failed when a route fails.

Map call(Map args = [:]) {
    if (!args.routes) {
        error('smokeTest: routes is required (the routes file, relative to the workspace)')
    }
    String failOn = args.failOn ?: 'unstable'
    if (!(failOn in ['unstable', 'error'])) {
        error("smokeTest: failOn must be 'unstable' or 'error', not '${failOn}'")
    }
    String out = args.outDir ?: 'deployflow-out'
    String name = args.name ?: 'smoke'
    Map result = runSmoke(outDir: out, routes: args.routes, baseUrl: args.baseUrl, plan: args.plan,
            config: args.config, concurrency: args.concurrency ?: 16, readyTimeout: args.readyTimeout,
            json: out + '/' + name + '.json', junit: out + '/' + name + '-junit.xml',
            planCopy: out + '/' + name + '-plan.json')
    if (!result.passed) {
        String message = "smoke: ${result.failures.size()} route(s) failed: ${failureList(result.failures)}"
        if (failOn == 'error') {
            error(message)
        }
        unstable(message)
    }
    return result
}

/**
 * Runs `smoke`, publishes the JUnit file and returns [passed:, failures: [[route:, component:, repoPerson:,
 * message:]], report: jsonPath]. Exit 1 (routes failed) is returned, exit 2/3 fail the build. dockerPrep uses this
 * with skipMarkingBuildUnstable: its failures go to a decision, which says what the build's result is.
 */
Map runSmoke(Map args) {
    deployflowCli.outDir(args.outDir)
    List command = ['smoke', '--routes', args.routes, '--junit', args.junit, '--json', args.json]
    if (args.baseUrl) {
        command.addAll(['--base-url', args.baseUrl])
    }
    if (args.concurrency) {
        command.addAll(['--concurrency', args.concurrency])
    }
    if (args.readyTimeout) {
        command.addAll(['--ready-timeout', args.readyTimeout])
    }
    if (args.plan) {
        command.addAll(['--plan', deployflowCli.planFile(args.plan, args.planCopy)])
    }
    if (args.config) {
        command.addAll(['--config', args.config])
    }
    int code = deployflowCli.runCli(command)
    if (fileExists(args.junit)) {
        junit(testResults: args.junit, allowEmptyResults: false,
                skipMarkingBuildUnstable: args.skipMarkingBuildUnstable == true)
    }
    deployflowCli.check(code, 'smoke', true)
    Map report = deployflowCli.readJsonIfPresent(args.json) ?: [:]
    List failures = failures(report)
    if (code == 1 && failures.isEmpty()) {
        failures = [[route: null, component: null, repoPerson: null, message: 'smoke exit 1; see the log above']]
    }
    return [passed: code == 0, failures: failures, report: args.json]
}

/** The failing routes of a `smoke --json` report (routes[] with passed: false), with the person to call. */
@NonCPS
List failures(Map report) {
    return (report.routes ?: []).findAll { route -> route.passed == false }.collect { route ->
        [route: route.name, component: route.component,
         repoPerson: route.repoPerson instanceof Map ? route.repoPerson : null, message: route.message]
    }
}

@NonCPS
String failureList(List failures) {
    return failures.collect { f ->
        String who = f.repoPerson ? " (repo-person ${f.repoPerson.id ?: f.repoPerson.email})" : ''
        "${f.route ?: '?'}${f.component ? ' [' + f.component + ']' : ''}${who}"
    }.join(', ')
}
