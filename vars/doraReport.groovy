// doraReport: DORA's four keys from the team's ledger (`deployflow ledger dora`): deployment frequency, lead time for
// changes, change failure rate and time to restore, overall, per service and per customer. Archives the Markdown,
// the JSON and one SVG chart per metric, and links the charts from the build description.

Map call(Map args = [:]) {
    String config = args.config ?: 'deployflow.yaml'
    String out = (args.outDir ?: 'deployflow-out') + '/dora'
    String since = (args.since ?: '90d').toString()
    deployflowCli.outDir(out)
    List argv = ['ledger', 'dora', '--config', config, '--since', since, '--out-dir', out, '--json',
                 out + '/result.json']
    if (args.until) {
        argv.addAll(['--until', args.until.toString()])
    }
    // the ledger repository's git credentials: given, else as deployflow.yaml names them (`credentials:`)
    Map ids = args.gitCredentialsId != null || args.gitSshCredentialsId != null ? [git: args.gitCredentialsId,
            gitSsh: args.gitSshCredentialsId] : (deployflowCli.settings(config, [:], out).credentials ?: [:])
    int code = deployflowCli.withSecrets([git: ids.git, gitSsh: ids.gitSsh]) {
        deployflowCli.runCli(argv)
    }
    deployflowCli.check(code, 'ledger dora')
    Map result = deployflowCli.readJson(out + '/result.json')
    archiveArtifacts(artifacts: [out + '/dora.md', out + '/dora.json', out + '/*.svg'].join(','), fingerprint: false)
    Map overall = result.overall
    String link = (env.BUILD_URL ?: '') + 'artifact/' + out + '/'
    deployflowCli.describe("DORA (${since}): ${summary(overall)}; charts: " + chartLinks(link))
    echo "DORA (${since}): ${summary(overall)}"
    return [overall: overall, services: result.services, customers: result.customers, weeks: result.weeks,
            files: result.files]
}

/** "12 deployments (1.0 a week), lead time 2.0 d, change failure rate 8 %, time to restore 5.0 h". */
@NonCPS
String summary(Map overall) {
    List parts = ["${overall.deployments} deployments (${oneDecimal(overall.perWeek)} a week)"]
    if (overall.leadTimeHours.median != null) {
        parts.add('lead time ' + hours(overall.leadTimeHours.median))
    }
    if (overall.changeFailureRate != null) {
        parts.add("change failure rate ${Math.round((overall.changeFailureRate as double) * 100)} %")
    }
    if (overall.timeToRestoreHours.median != null) {
        parts.add('time to restore ' + hours(overall.timeToRestoreHours.median))
    }
    return parts.join(', ')
}

@NonCPS
String hours(Object value) {
    double h = value as double
    if (h < 1) {
        return "${Math.round(h * 60)} min"
    }
    return h < 48 ? oneDecimal(h) + ' h' : oneDecimal(h / 24) + ' d'
}

/** 1.8333 → "1.8" (String.format would follow the agent's locale). */
@NonCPS
String oneDecimal(Object value) {
    return (Math.round((value as double) * 10) / 10d).toString()
}

/** HTML links to the archived charts (the build description shows them with Jenkins' safe HTML formatter). */
@NonCPS
String chartLinks(String base) {
    Map charts = ['deployment frequency': 'deployment-frequency.svg', 'lead time': 'lead-time.svg',
                  'change failure rate': 'change-failure-rate.svg', 'time to restore': 'time-to-restore.svg']
    return charts.collect { label, file -> "<a href=\"${base}${file}\">${label}</a>" }.join(', ') +
            ", <a href=\"${base}dora.md\">report</a>"
}
