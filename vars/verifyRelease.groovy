// verifyRelease: checks that a component's release was done right: tag, no [skip ci], README changed with an
// example configuration, image in the registry. Fails the build listing every failing check. Credential ids come
// from deployflow.yaml (the component's, else the top-level ones) unless given here.

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

    Map ids = args.registryCredentialsId && args.gitCredentialsId != null ? [:]
            : (deployflowCli.settings(config, [component: args.component], out).component.credentials ?: [:])
    int code = deployflowCli.withSecrets([registry: deployflowCli.choose(args.registryCredentialsId, ids.registry),
                                          git: deployflowCli.choose(args.gitCredentialsId, ids.git),
                                          gitSsh: deployflowCli.choose(args.gitSshCredentialsId, ids.gitSsh)]) {
        deployflowCli.runCli(command)
    }
    String what = "verify-release ${args.component}${args.version ? ' ' + args.version : ''}"
    Map result = deployflowCli.readJsonIfPresent(resultPath)
    archiveArtifacts(artifacts: resultPath, allowEmptyArchive: true, fingerprint: false)
    // exit 1: a check failed; exit 3: a check could not be made (registry down). Both name the checks.
    if ((code == 1 || code == 3) && result != null) {
        error("${what}: ${failureText(result)}")
    }
    deployflowCli.check(code, what)
    return result
}

/** Names every check with status FAIL or ERROR (could not be made) with its detail. */
@NonCPS
String failureText(Map result) {
    List failing = (result.checks ?: []).findAll { check -> check.status in ['FAIL', 'ERROR'] }
    if (failing.isEmpty()) {
        return 'checks failed (see the log above)'
    }
    String list = failing.collect { check ->
        (check.status == 'ERROR' ? "${check.name} could not be checked" : check.name) +
                (check.detail ? ": ${check.detail}" : '')
    }.join('; ')
    return "${failing.size()} check${failing.size() == 1 ? '' : 's'} failed: ${list}"
}
