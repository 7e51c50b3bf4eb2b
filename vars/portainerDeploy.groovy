// portainerDeploy: S0 "Portainer deployment" for one customer. Binds the Portainer API key (or login) with
// withCredentials and runs `portainer deploy`, which keeps the current stack as the rollback point, updates the
// stack, waits for health, smoke-tests the deployed URL and rolls back by itself when that fails.

Map call(Map args = [:]) {
    for (String required : ['customer', 'file']) {
        if (!args[required]) {
            error("portainerDeploy: ${required} is required")
        }
    }
    if (!args.credentialsId && !args.loginCredentialsId) {
        error('portainerDeploy: credentialsId (API key, secret text) or loginCredentialsId (username/password) ' +
                'is required')
    }
    String customer = args.customer
    String out = (args.outDir ?: 'deployflow-out') + '/' + customer
    String resultPath = out + '/portainer-deploy.json'
    List command = ['portainer', 'deploy', '--config', args.config ?: 'deployflow.yaml', '--customer', customer,
                    '--file', args.file]
    if (args.envFile) {
        command.addAll(['--env-file', args.envFile])
    }
    if (args.routes) {
        command.addAll(['--routes', args.routes])
    }
    if (args.stateDir) {
        command.addAll(['--state-dir', args.stateDir])
    }
    command.addAll(['--json', resultPath])

    deployflowCli.outDir(out)
    // The key reaches the CLI only as an environment variable; it is never part of the sh script.
    int code = deployflowCli.withSecrets([portainerApiKey: args.credentialsId, apiKeyEnv: args.apiKeyEnv,
                                          portainerLogin: args.loginCredentialsId, usernameEnv: args.usernameEnv,
                                          passwordEnv: args.passwordEnv]) {
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
