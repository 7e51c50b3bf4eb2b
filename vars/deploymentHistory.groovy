// deploymentHistory: the team's deployment history (deployments, rollbacks, deliveries, decisions, approvals),
// rendered from the ledger by `deployflow ledger history` as Markdown and HTML and archived with the build. It
// first runs `deployflow ledger verify`: an edited, removed or reordered entry is named in the log, and the build
// is marked UNSTABLE (or fails, with onTampered: 'error'), because a history nobody can trust must not look fine.

Map call(Map args = [:]) {
    String config = args.config ?: 'deployflow.yaml'
    String out = args.outDir ?: 'deployflow-out'
    List formats = historyFormats(args.formats == null ? 'both' : args.formats)
    deployflowCli.outDir(out)

    Map verified = null
    if (args.verify != false) {
        String verifyPath = out + '/ledger-verify.json'
        int code = withLedger(args) { deployflowCli.runCli(['ledger', 'verify', '--config', config, '--json',
                                                             verifyPath]) }
        deployflowCli.check(code, 'ledger verify', true)
        verified = deployflowCli.readJson(verifyPath)
    }

    List archived = verified == null ? [] : [out + '/ledger-verify.json']
    Map rendered = null
    for (String format : formats) {
        String path = out + '/deployment-history.' + format
        List argv = ['ledger', 'history', '--config', config, '--out', path, '--json', out + '/deployment-history.json']
        if (args.customer) {
            argv.addAll(['--customer', args.customer])
        }
        if (args.all) {
            argv.add('--all')
        }
        if (args.limit) {
            argv.addAll(['--limit', args.limit.toString()])
        }
        if (args.title) {
            argv.addAll(['--title', args.title])
        }
        int code = withLedger(args) { deployflowCli.runCli(argv) }
        deployflowCli.check(code, 'ledger history')
        archived.add(path)
        rendered = deployflowCli.readJson(out + '/deployment-history.json')
    }
    archiveArtifacts(artifacts: archived.join(','), fingerprint: false)

    int rows = rendered == null ? 0 : rendered.rows.size()
    Map result = [rows: rows, files: archived, where: verified?.where ?: rendered?.where,
                  intact: verified == null ? null : verified.intact, problems: verified?.problems ?: []]
    if (verified != null && !verified.intact) {
        String problems = verified.problems.collect { it.message }.join('; ')
        deployflowCli.describe("ledger tampered: ${verified.problems.size()} problem(s)")
        if (args.onTampered == 'error') {
            error("deploymentHistory: the ledger was tampered with: ${problems}")
        }
        unstable("deploymentHistory: the ledger was tampered with: ${problems}")
    } else {
        echo "Deployment history: ${rows} rows from ${result.where}"
    }
    return result
}

/** The ledger may be a git repository that needs the team's git credentials. */
Object withLedger(Map args, Closure body) {
    return deployflowCli.withSecrets([git: args.gitCredentialsId, gitSsh: args.gitSshCredentialsId], body)
}

@NonCPS
List historyFormats(Object formats) {
    if (formats == 'both') {
        return ['md', 'html']
    }
    List wanted = formats instanceof List ? formats.collect { it.toString() } : [formats.toString()]
    List unknown = wanted.findAll { !(it in ['md', 'html']) }
    if (unknown) {
        throw new IllegalArgumentException("deploymentHistory: formats must be 'md', 'html' or 'both', not ${unknown}")
    }
    return wanted
}
