// portainerDeploy: the Portainer deployment for one customer. Binds the Portainer API key (or login) with
// withCredentials and runs `portainer deploy`, which refuses a stack whose images are not the tested ones, keeps
// the current stack as the rollback point, updates the stack, waits for health, smoke-tests the deployed URL and
// rolls back by itself when that fails. Credential ids, the key's variable and the routes come from
// deployflow.yaml unless given here. With a ledger repository the rollback point is kept beside the ledger, where
// `portainer rollback` finds it from any agent; without one, in this workspace's state directory.

Map call(Map args = [:]) {
    if (!args.customer) {
        error('portainerDeploy: customer is required')
    }
    if (!args.plan && !args.tested) {
        error('portainerDeploy: plan (the plan as tested) or tested (dockerPrep\'s result) is required: the images ' +
                'deployed are held to what was tested')
    }
    String customer = args.customer
    String config = args.config ?: 'deployflow.yaml'
    String out = (args.outDir ?: 'deployflow-out') + '/' + customer
    Object tested = args.tested
    String file = deployflowCli.choose(args.file, tested instanceof Map ? tested.composeFile : null)
    boolean configured = file && (args.credentialsId || args.loginCredentialsId) && args.routes != null
    Map settings = configured ? [:] : deployflowCli.settings(config, [customer: customer], out).customer
    Map ids = settings.credentials ?: [:]
    String keyId = deployflowCli.choose(args.credentialsId, ids.portainer)
    String loginId = deployflowCli.choose(args.loginCredentialsId, ids.portainerLogin)
    if (!keyId && !loginId) {
        error("portainerDeploy: no Portainer credentials: set credentials.portainer (API key, secret text) or " +
                "credentials.portainerLogin (username/password) for ${customer} in ${config}, or give credentialsId")
    }
    String checkoutDir = args.dir ?: 'customers/' + customer
    file = file ?: checkoutDir + '/' + (settings.composeFile ?: 'docker-compose.yml')
    // routes: false deploys without smoke routes; default: the customer's routes in the tested checkout
    Object routes = args.routes == false ? null : deployflowCli.choose(args.routes,
            settings.routes ? checkoutDir + '/' + settings.routes : null)
    String resultPath = out + '/portainer-deploy.json'
    List command = ['portainer', 'deploy', '--config', config, '--customer', customer, '--file', file]
    if (args.envFile) {
        command.addAll(['--env-file', args.envFile])
    }
    if (args.plan) {
        command.addAll(['--plan', deployflowCli.planFile(args.plan, out + '/plan.json')])
    }
    String testedImages = tested instanceof Map ? tested.testedImages : tested
    if (testedImages) {
        command.addAll(['--tested', testedImages])
    }
    if (routes) {
        command.addAll(['--routes', routes])
    }
    if (args.stateDir) {
        command.addAll(['--state-dir', args.stateDir])
    }
    command.addAll(['--json', resultPath])

    deployflowCli.outDir(out)
    // The key reaches the CLI only as an environment variable; it is never part of the sh script. Git credentials
    // are for a ledger repository (ledger.repo), where the rollback point is kept before the stack changes.
    Map portainer = settings.portainer ?: [:]
    int code = deployflowCli.withSecrets([git: args.gitCredentialsId, gitSsh: args.gitSshCredentialsId,
                                          portainerApiKey: keyId,
                                          apiKeyEnv: deployflowCli.choose(args.apiKeyEnv, portainer.apiKeyEnv),
                                          portainerLogin: loginId,
                                          usernameEnv: deployflowCli.choose(args.usernameEnv, portainer.usernameEnv),
                                          passwordEnv: deployflowCli.choose(args.passwordEnv, portainer.passwordEnv)]) {
        deployflowCli.runCli(command)
    }
    Map result = deployflowCli.readJsonIfPresent(resultPath) ?: [:]
    if (result.rollbackPoint != null) {
        writeFile(file: out + '/rollback-point.json', text: deployflowCli.toJson(result.rollbackPoint),
                encoding: 'UTF-8')
    }
    archiveArtifacts(artifacts: out + '/portainer-deploy.json,' + out + '/rollback-point.json',
            allowEmptyArchive: true, fingerprint: false)
    if (code != 0 && result.message) {
        // the CLI writes its JSON also for exit 1, 2 and 3: its message says what happened
        error("portainer deploy ${customer}: ${outcomeText(code, result)}")
    }
    deployflowCli.check(code, "portainer deploy ${customer}")
    deployflowCli.describe("${customer}: deployed to Portainer")
    return result
}

@NonCPS
String outcomeText(int code, Map result) {
    String exit = " (exit ${code})"
    if (result.outcome != 'rolled-back') {
        return result.message + exit
    }
    String verified = result.rollbackVerified ? 'the rollback is healthy and passed the smoke routes' :
            "the rollback does NOT verify: ${result.rollback?.failure ?: 'see the log above'}"
    return "${result.message}; rolled back to the previous stack file and env, and ${verified}${exit}"
}
