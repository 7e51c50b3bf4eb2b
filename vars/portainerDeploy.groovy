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
    deployflowCli.check(code, "portainer deploy ${customer}", true)
    Map result = deployflowCli.readJsonIfPresent(resultPath) ?: [:]
    if (result.rollbackPoint != null) {
        writeFile(file: out + '/rollback-point.json', text: deployflowCli.toJson(result.rollbackPoint),
                encoding: 'UTF-8')
    }
    archiveArtifacts(artifacts: out + '/portainer-deploy.json,' + out + '/rollback-point.json',
            allowEmptyArchive: true, fingerprint: false)
    if (code == 1) {
        error("portainer deploy ${customer}: ${rolledBackText(result)}")
    }
    deployflowCli.describe("${customer}: deployed to Portainer")
    return result
}

@NonCPS
String rolledBackText(Map result) {
    String why = result.message ?: result.error ?: 'the smoke test after the deploy failed'
    Object rollback = result.rollback
    String verified = ''
    if (rollback instanceof Map && rollback.verified != null) {
        verified = rollback.verified ? ' and the rollback passed the smoke test' :
                ', but the rollback FAILED its smoke test'
    }
    return "${why}; rolled back to the previous stack file and env${verified}"
}
