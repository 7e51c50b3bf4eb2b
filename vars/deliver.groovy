// deliver: S0 "Delivery" for one customer. Runs `deliver`: a release branch with the tested compose file, the
// README's versions table and configuration section updated, merges into develop and main, a tag, and a release
// with the notes (GitHub) or an annotated tag elsewhere. Conflicts or a protected branch stop the build.

Map call(Map args = [:]) {
    for (String required : ['customer', 'plan', 'notes', 'file']) {
        if (!args[required]) {
            error("deliver: ${required} is required")
        }
    }
    String customer = args.customer
    String out = (args.outDir ?: 'deployflow-out') + '/' + customer
    String resultPath = out + '/deliver.json'
    deployflowCli.outDir(out)
    List command = ['deliver', '--config', args.config ?: 'deployflow.yaml', '--customer', customer,
                    '--plan', deployflowCli.planFile(args.plan, out + '/plan.json'), '--notes', args.notes,
                    '--file', args.file]
    if (args.envFile) {
        command.addAll(['--env-file', args.envFile])
    }
    if (args.cache) {
        command.addAll(['--cache', args.cache])
    }
    command.addAll(['--json', resultPath])

    int code = deployflowCli.withSecrets([git: args.credentialsId, gitSsh: args.sshCredentialsId,
                                          github: args.githubCredentialsId]) {
        deployflowCli.runCli(command)
    }
    Map result = deployflowCli.readJsonIfPresent(resultPath) ?: [:]
    archiveArtifacts(artifacts: resultPath, allowEmptyArchive: true, fingerprint: false)
    if (code == 1) {
        // the delivery stopped (a conflict or a protected branch); the JSON says what was done before it stopped
        error("deliver ${customer} stopped (${result.status ?: 'exit 1'}): ${result.message ?: 'see the log above'}")
    }
    deployflowCli.check(code, "deliver ${customer}")
    String tag = result.tag?.name ? ' ' + result.tag.name : ''
    deployflowCli.describe("${customer}: ${result.status ?: 'delivered'}${tag}")
    return result
}
