// deliver: the delivery to one customer. Runs `deliver`: a release branch with the tested compose file and its
// .env, the README's versions table and configuration section updated, merges into develop and main, a tag, and a
// release (GitHub) or an annotated tag elsewhere. The notes that go out are generated from the plan as delivered,
// so they say what was held back and why. The delivered images must be the tested ones (plan, and dockerPrep's
// record when given as tested:), else nothing is written. Conflicts or a protected branch stop the build.
// Credential ids come from deployflow.yaml unless given here.

Map call(Map args = [:]) {
    if (args.notes) {
        error('deliver: notes: is gone; the notes are generated from the plan as delivered (give notesTemplate: ' +
                'for your own template)')
    }
    for (String required : ['customer', 'plan']) {
        if (!args[required]) {
            error("deliver: ${required} is required")
        }
    }
    String customer = args.customer
    String config = args.config ?: 'deployflow.yaml'
    String out = (args.outDir ?: 'deployflow-out') + '/' + customer
    String resultPath = out + '/deliver.json'
    Object tested = args.tested
    String file = deployflowCli.choose(args.file, tested instanceof Map ? tested.composeFile : null)
    boolean configured = file && (args.credentialsId || args.sshCredentialsId) && args.githubCredentialsId != null
    Map settings = configured ? [:] : deployflowCli.settings(config, [customer: customer], out).customer
    Map ids = settings.credentials ?: [:]
    file = file ?: (args.dir ?: 'customers/' + customer) + '/' + (settings.composeFile ?: 'docker-compose.yml')
    deployflowCli.outDir(out)
    List command = ['deliver', '--config', config, '--customer', customer,
                    '--plan', deployflowCli.planFile(args.plan, out + '/plan.json'), '--file', file]
    if (args.envFile) {
        command.addAll(['--env-file', args.envFile])
    }
    String testedImages = tested instanceof Map ? tested.testedImages : tested
    if (testedImages) {
        command.addAll(['--tested', testedImages])
    }
    if (args.notesTemplate) {
        command.addAll(['--notes-template', args.notesTemplate])
    }
    if (args.cache) {
        command.addAll(['--cache', args.cache])
    }
    command.addAll(['--json', resultPath])

    int code = deployflowCli.withSecrets([git: deployflowCli.choose(args.credentialsId, ids.git),
                                          gitSsh: deployflowCli.choose(args.sshCredentialsId, ids.gitSsh),
                                          github: deployflowCli.choose(args.githubCredentialsId, ids.github)]) {
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
