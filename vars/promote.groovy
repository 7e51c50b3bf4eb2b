// promote: one version of a service into one environment of deployflow.yaml (promotion.environments), the way the
// release process's environment table says: every criterion of the environment is checked against the ledger and
// the calendar by `deployflow promote start` and printed with PASS or FAIL; only when all hold does the deploy block
// run, and how it ended is recorded (`promote finish`). The next environment reads that record.
//
// An emergency override exists only through an approval task of its own (promotion.override): with
// emergency: true, a refusal asks that task at an approvalGate, and the engine lets the promotion past only when
// the gate was approved in this build. The override and the criteria it overrode are recorded.

Map call(Map args = [:], Closure body = null) {
    Map ctx = context(args)
    Map shared = args.evidence ?: [:]
    for (String kind : ['releaseNotes', 'training']) {
        if (shared[kind]) {
            // what the pipeline itself has shared for this environment, recorded before the criteria are checked
            evidence(kind: kind == 'releaseNotes' ? 'release-notes' : 'training', service: ctx.service,
                     version: ctx.version, environment: ctx.to, link: shared[kind] == true ? '' : shared[kind],
                     config: ctx.config, outDir: ctx.outDir, gitCredentialsId: ctx.git, gitSshCredentialsId: ctx.gitSsh)
        }
    }
    if (args.ask) {
        askForWhatPeopleCanGive(ctx)
    }
    Map started = start(ctx, null)
    if (!started.started && args.emergency) {
        Map gate = approvalGate.call(task: started.overrideTask, gate: started.overrideGate, config: ctx.config,
                id: 'Emergency-' + fileName(ctx.to),
                message: "Emergency promotion of ${describe(ctx)} despite: ${started.unmet.join(', ')}",
                details: criteriaText(started.criteria), onReject: 'return', outDir: ctx.outDir,
                gitCredentialsId: ctx.git, gitSshCredentialsId: ctx.gitSsh)
        if (gate.approved) {
            started = start(ctx, started.overrideGate)
        }
    }
    if (!started.started) {
        deployflowCli.describe("${describe(ctx)}: refused (${started.unmet.join(', ')})")
        error("promote ${describe(ctx)}: refused; unmet: ${started.unmet.join(', ')}" +
                (started.nextWindow ? "; deployments are next allowed at ${started.nextWindow}" : ''))
    }
    echo "promote ${describe(ctx)}: every criterion holds" +
            (started.override ? " (emergency override approved by ${started.override.approvedBy.join(', ')})" : '')
    Map environment = started.environment
    try {
        if (body != null) {
            body.call(environment)
        }
        if (environment.routes && args.smoke != false) {
            smokeTest.call(routes: environment.routes, baseUrl: environment.baseUrl, failOn: 'error', outDir: ctx.out,
                           name: 'smoke-' + fileName(environment.name))
        }
    } catch (Exception failed) {
        // the deploy block, its smoke tests or an abort: recorded as a failed deployment, then passed on
        finish(ctx, 'failed', failed.message ?: failed.toString())
        throw failed
    }
    finish(ctx, 'deployed', null)
    deployflowCli.describe("${describe(ctx)}: deployed" + (started.override ? ' (emergency override)' : ''))
    return [deployed: true, service: ctx.service, version: ctx.version, environment: environment,
            criteria: started.criteria, override: started.override, entry: started.entry]
}

/**
 * The environments of deployflow.yaml (promotion.environments) in order, each as [name:, target:, routes:, baseUrl:,
 * timeZone:, production:]; empty without a promotion section. A pipeline goes through these instead of naming them.
 */
List environments(Map args = [:]) {
    String out = (args.outDir ?: 'deployflow-out') + '/promote'
    deployflowCli.outDir(out)
    String path = out + '/environments.json'
    deployflowCli.check(deployflowCli.runCli(['promote', 'environments', '--config', args.config ?: 'deployflow.yaml',
                                             '--json', path]), 'promote environments')
    return deployflowCli.readJson(path).environments
}

/** The criteria a person confirms at an input (with a link) rather than approves: kind → what is confirmed. */
@NonCPS
Map evidenceKinds() {
    return ['release-notes': 'Release notes shared', training: 'Training documentation updated']
}

/** Whether every unmet criterion is one a person can give now: an unanswered approval, or notes/training. */
@NonCPS
boolean askable(List unmet, List approvalsToAsk) {
    return !unmet.isEmpty() && unmet.every { String name ->
        name in evidenceKinds().keySet() || (name.startsWith('approval:') &&
                approvalsToAsk.any { it.task == name.substring('approval:'.length()) })
    }
}

/**
 * Asks someone to confirm release notes shared or training documentation updated (with a link), and records it as
 * theirs (DEPLOYFLOW_USER: the ledger names who confirmed, not who started the build).
 */
void askEvidence(Map ctx, String kind) {
    String id = inputId(kind + '-' + ctx.to + '-' + ctx.service + (ctx.customer ? '-' + ctx.customer : ''))
    Object answer = input(id: id, message: "${evidenceKinds()[kind]} for ${describe(ctx)}?", ok: 'Yes: record it',
            submitterParameter: 'approver',
            parameters: [string(name: 'LINK', defaultValue: '', description: 'where it is (a link)')])
    Map given = answer instanceof Map ? answer : [approver: answer instanceof String ? answer : null]
    String by = given.approver ?: deployflowCli.buildUser()
    withEnv(['DEPLOYFLOW_USER=' + by]) {
        evidence(kind: kind, service: ctx.service, version: ctx.version, environment: ctx.to, link: given.LINK ?: '',
                 note: "confirmed by ${by} in the promotion", config: ctx.config, outDir: ctx.outDir,
                 gitCredentialsId: ctx.git, gitSshCredentialsId: ctx.gitSsh)
    }
}

/** What every CLI call of this promotion shares, from the step's arguments. */
Map context(Map args) {
    String service = args.service ?: args.component
    if (!service || !args.version || !args.to) {
        error('promote: service (or component), version and to are required')
    }
    Map ctx = [service: service.toString(), version: args.version.toString(), to: args.to.toString(),
               customer: args.customer, issue: args.issue, config: args.config ?: 'deployflow.yaml',
               outDir: args.outDir ?: 'deployflow-out', git: args.gitCredentialsId, gitSsh: args.gitSshCredentialsId,
               cache: args.cache]
    ctx.out = ctx.outDir + '/promote/' + fileName("${ctx.service}-${ctx.version}-${ctx.to}" +
            (ctx.customer ? "-${ctx.customer}" : ''))
    deployflowCli.outDir(ctx.out)
    if (ctx.git == null && ctx.gitSsh == null) {
        // the ledger's and the repositories' git credentials, as deployflow.yaml names them (`credentials:`)
        Map ids = deployflowCli.settings(ctx.config, [:], ctx.out).credentials ?: [:]
        ctx.git = ids.git
        ctx.gitSsh = ids.gitSsh
    }
    return ctx
}

/**
 * The verdict as it stands (`promote check`, which records nothing); when only what people can give stands in the
 * way (approvals nobody has answered, notes or training not yet recorded), asks for it, so `start` then records
 * the promotion once. A rejection, a freeze or a failed environment before is not asked about.
 */
void askForWhatPeopleCanGive(Map ctx) {
    String path = ctx.out + '/check.json'
    int code = withLedger(ctx) { deployflowCli.runCli(['promote', 'check'] + targetArgs(ctx) + ['--json', path]) }
    deployflowCli.check(code, "promote check ${describe(ctx)}", true)
    Map verdict = deployflowCli.readJson(path)
    if (verdict.allMet || !askable(verdict.unmet, verdict.approvalsToAsk ?: [])) {
        return
    }
    for (Map wanted : verdict.approvalsToAsk ?: []) {
        approvalGate.call(task: wanted.task, gate: wanted.gate, config: ctx.config, onReject: 'return',
                id: inputId(wanted.task + '-' + ctx.service + (ctx.customer ? '-' + ctx.customer : '')),
                message: "${wanted.task}: ${describe(ctx)}", details: criteriaText(verdict.criteria),
                outDir: ctx.outDir, gitCredentialsId: ctx.git, gitSshCredentialsId: ctx.gitSsh)
    }
    for (String kind : verdict.unmet) {
        if (kind in evidenceKinds().keySet()) {
            askEvidence(ctx, kind)
        }
    }
}

/** `promote start`: exit 0 started, 1 refused (both with JSON); anything else fails the build. */
Map start(Map ctx, String overrideGate) {
    String path = ctx.out + (overrideGate ? '/start-override.json' : '/start.json')
    List argv = ['promote', 'start'] + targetArgs(ctx) + ['--json', path]
    if (overrideGate) {
        argv.addAll(['--override-gate', overrideGate])
    }
    int code = withLedger(ctx) { deployflowCli.runCli(argv) }
    deployflowCli.check(code, "promote start ${describe(ctx)}", true)
    return deployflowCli.readJson(path)
}

void finish(Map ctx, String outcome, String reason) {
    List argv = ['promote', 'finish'] + targetArgs(ctx) + ['--outcome', outcome, '--json',
                                                            ctx.out + '/finish-' + outcome + '.json']
    if (reason) {
        argv.addAll(['--reason', reason])
    }
    int code = withLedger(ctx) { deployflowCli.runCli(argv) }
    deployflowCli.check(code, "promote finish ${describe(ctx)}")
}

/**
 * Records that release notes were shared (kind: 'release-notes') or training documentation updated
 * (kind: 'training') for a version: the criteria releaseNotes and training look for these.
 */
Map evidence(Map args) {
    String service = args.service ?: args.component
    if (!args.kind || !service || !args.version) {
        error('promote.evidence: kind, service (or component) and version are required')
    }
    Map ctx = [config: args.config ?: 'deployflow.yaml', git: args.gitCredentialsId, gitSsh: args.gitSshCredentialsId]
    if (ctx.git == null && ctx.gitSsh == null) {
        Map ids = deployflowCli.settings(ctx.config, [:], (args.outDir ?: 'deployflow-out') + '/promote')
                .credentials ?: [:]
        ctx.git = ids.git
        ctx.gitSsh = ids.gitSsh
    }
    String path = (args.outDir ?: 'deployflow-out') + '/promote/evidence-' + fileName("${args.kind}-${service}-" +
            args.version) + '.json'
    List argv = ['promote', 'evidence', '--config', ctx.config, '--kind', args.kind, '--service', service,
                 '--version', args.version.toString(), '--json', path]
    if (args.environment) {
        argv.addAll(['--environment', args.environment])
    }
    if (args.link) {
        argv.addAll(['--link', args.link])
    }
    if (args.note) {
        argv.addAll(['--note', args.note])
    }
    int code = withLedger(ctx) { deployflowCli.runCli(argv) }
    deployflowCli.check(code, "promote evidence ${args.kind}")
    return deployflowCli.readJson(path)
}

List targetArgs(Map ctx) {
    List argv = ['--config', ctx.config, '--service', ctx.service, '--version', ctx.version, '--to', ctx.to]
    if (ctx.customer) {
        argv.addAll(['--customer', ctx.customer])
    }
    if (ctx.issue) {
        argv.addAll(['--issue', ctx.issue])
    }
    if (env.BUILD_URL) {
        argv.addAll(['--build', env.BUILD_URL])
    }
    if (ctx.cache) {
        argv.addAll(['--cache', ctx.cache])
    }
    return argv
}

/** Git credentials: the ledger may be a git repository, and the release's first commit is read from the component's. */
Object withLedger(Map ctx, Closure body) {
    return deployflowCli.withSecrets([git: ctx.git, gitSsh: ctx.gitSsh], body)
}

@NonCPS
String describe(Map ctx) {
    return "${ctx.service} ${ctx.version} → ${ctx.to}" + (ctx.customer ? " (${ctx.customer})" : '')
}

@NonCPS
String criteriaText(List criteria) {
    return criteria.collect { "${it.status} ${it.name}: ${it.detail}" }.join('\n')
}

/** An input id as Jenkins shows it: capitalised (the input step does that itself). */
@NonCPS
String inputId(String text) {
    String id = fileName(text)
    return id.substring(0, 1).toUpperCase() + id.substring(1)
}

@NonCPS
String fileName(String text) {
    return text.replaceAll(/[^A-Za-z0-9._-]+/, '_')
}
