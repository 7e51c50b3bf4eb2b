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
    // Exit 1 here means the delivery stopped (a conflict or a protected branch): not something to ship anyway.
    deployflowCli.check(code, "deliver ${customer}")
    Map result = deployflowCli.readJsonIfPresent(resultPath) ?: [:]
    archiveArtifacts(artifacts: resultPath, allowEmptyArchive: true, fingerprint: false)
    deployflowCli.describe("${customer}: delivered" + (result.tag ? " ${result.tag}" : ''))
    return result
}
