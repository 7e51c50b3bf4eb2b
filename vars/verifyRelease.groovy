// verifyRelease: checks that a component's release was done right (S0 "Release"): tag, no [skip ci], README
// changed with an example configuration, image in the registry. Fails the build listing every failing check.

Map call(Map args = [:]) {
    if (!args.component) {
        error('verifyRelease: component is required')
    }
    String config = args.config ?: 'deployflow.yaml'
    String out = args.outDir ?: 'deployflow-out'
    String resultPath = "${out}/verify-${args.component}.json"

    List command = ['verify-release', '--config', config, '--component', args.component]
    if (args.version) {
        command.addAll(['--version', args.version])
    }
    if (args.cache) {
        command.addAll(['--cache', args.cache])
    }
    command.addAll(['--json', resultPath])

    int code = deployflowCli.withSecrets([registry: args.registryCredentialsId, git: args.gitCredentialsId,
                                          gitSsh: args.gitSshCredentialsId]) {
        deployflowCli.runCli(command)
    }
    String what = "verify-release ${args.component}${args.version ? ' ' + args.version : ''}"
    deployflowCli.check(code, what, true)
    Map result = deployflowCli.readJsonIfPresent(resultPath) ?: [:]
    archiveArtifacts(artifacts: resultPath, allowEmptyArchive: true, fingerprint: false)
    if (code == 1) {
        error("${what}: ${failureText(result)}")
    }
    return result
}

/** Names every failing check with its message, whatever the check list is called in the JSON. */
@NonCPS
String failureText(Map result) {
    List checks = result.checks instanceof List ? result.checks : []
    List failing = checks.findAll { check ->
        check instanceof Map && (check.passed == false || check.ok == false ||
                ['fail', 'failed', 'error'].contains(String.valueOf(check.result ?: check.status).toLowerCase()))
    }
    if (failing.isEmpty()) {
        return 'checks failed (see the log above)'
    }
    String list = failing.collect { check ->
        String detail = check.message ?: check.detail ?: check.reason
        detail ? "${check.name}: ${detail}" : check.name
    }.join('; ')
    return "${failing.size()} check${failing.size() == 1 ? '' : 's'} failed: ${list}"
}
