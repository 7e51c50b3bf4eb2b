// hotfix: the unplanned release for a severity-1 issue, end to end, as the release process describes it. Each step
// is one `deployflow hotfix ...` call that records what it did in the ledger and finds what was done before, so a
// run that stopped (a merge conflict, an abort) is carried on by running the job again with the same issue:
//   raise (everyone told) -> branch hotfix/<next patch> from the tag production runs -> wait for the fix to be
//   merged there -> tag the patch and write its release notes -> Pre-Prod with the smoke tests -> the go-ahead
//   (approvalGate) -> everyone told "deploying" -> production -> "restored" -> merge back to develop -> the
//   root-cause analysis from its template -> its sign-off (approvalGate).
// The deployments go through promote (the hotfix lane's criteria), and the deploy block says how to deploy.

Map call(Map args = [:], Closure deploy) {
    if (!args.component || !args.issue) {
        error('hotfix: component and issue are required')
    }
    Map ctx = [component: args.component.toString(), issue: args.issue.toString(),
               config: args.config ?: 'deployflow.yaml', outDir: args.outDir ?: 'deployflow-out',
               git: args.gitCredentialsId, gitSsh: args.gitSshCredentialsId, cache: args.cache]
    ctx.out = ctx.outDir + '/hotfix-' + fileName(ctx.issue)
    deployflowCli.outDir(ctx.out)
    if (ctx.git == null && ctx.gitSsh == null) {
        // the component's git credentials as deployflow.yaml names them (its own, else the top-level ones)
        Map ids = deployflowCli.settings(ctx.config, [component: ctx.component], ctx.out).component.credentials ?: [:]
        ctx.git = ids.git
        ctx.gitSsh = ids.gitSsh
    }

    List raise = ['--summary', args.summary ?: '', '--severity', (args.severity ?: 1).toString()]
    for (Object customer : args.customers ?: []) {
        raise.addAll(['--customer', customer.toString()])
    }
    Map raised = lane(ctx, 'raise', raise)
    ctx.channels = raised.channels
    tell(ctx, raised.notice, 'hotfix-raised')
    Map state = lane(ctx, 'branch', [])
    echo "hotfix ${ctx.issue}: ${state.branch} from ${state.fromTag} (production runs ${state.fromVersion})"
    if (!state.phases.released) {
        if (args.afterBranch != null) {
            args.afterBranch.call(state)
        }
        state = waitForFix(ctx, state, args.fixTimeoutMinutes ?: 24 * 60, args.maxFixRounds ?: 10)
    }
    Map settings = state.lane
    String version = state.version
    if (!state.phases.tested) {
        deployTo(ctx, args, settings.testEnvironment, version, deploy)
    }
    if (!state.phases.inProduction) {
        if (!state.phases.approved) {
            approvalGate.call(task: settings.approvalTask, gate: settings.approvalGate, id: 'Hotfix-go',
                         message: "Hotfix ${ctx.component} ${version} for ${ctx.issue} to ${settings.production}",
                         details: "${ctx.issue}: ${settings.summary}\nPassed ${settings.testEnvironment} with the " +
                                 'smoke tests.', links: ['Release notes': ctx.out + '/release-notes.md'],
                         config: ctx.config, outDir: ctx.outDir, gitCredentialsId: ctx.git,
                         gitSshCredentialsId: ctx.gitSsh)
        }
        tell(ctx, lane(ctx, 'deploying', []).notice, 'hotfix-deploying')
        deployTo(ctx, args, settings.production, version, deploy)
    }
    Map restored = lane(ctx, 'restored', [])
    tell(ctx, restored.notice, 'hotfix-restored')

    Map merged = lane(ctx, 'merge-back', [], true)
    if (merged.outcome == 'conflict') {
        deployflowCli.describe("${ctx.issue}: merge back conflicts in ${merged.conflicts.join(', ')}")
        error("hotfix ${ctx.issue}: ${merged.message}")
    }
    state = merged
    if (!state.phases.rcaWritten) {
        state = writeAnalysis(ctx, args)
    }
    if (!state.phases.rcaSignedOff) {
        approvalGate.call(task: settings.rcaSignOffTask, gate: settings.rcaGate, id: 'Rca-sign-off',
                     message: "Root-cause analysis of ${ctx.issue} (${ctx.component} ${version})",
                     links: ['Root-cause analysis': ctx.out + '/rca.md'], config: ctx.config, outDir: ctx.outDir,
                     gitCredentialsId: ctx.git, gitSshCredentialsId: ctx.gitSsh)
    }
    deployflowCli.describe("${ctx.issue}: ${ctx.component} ${version} in ${settings.production}, restored")
    return [issue: ctx.issue, component: ctx.component, version: version, branch: state.branch, tag: state.tag,
            fromVersion: state.fromVersion, rca: settings.rcaRecord]
}

/** Asks until the fix is merged into the hotfix branch and the patch is released (tagged, notes written). */
Map waitForFix(Map ctx, Map branched, int minutes, int rounds) {
    for (int round = 1; round <= rounds; round++) {
        timeout(time: minutes, unit: 'MINUTES') {
            input(id: 'Fix-merged-' + round, message: "Merge the fix for ${ctx.issue} into ${branched.branch}, " +
                    'then continue', ok: 'The fix is merged')
        }
        Map released = lane(ctx, 'release', ['--notes-out', ctx.out + '/release-notes.md'], true)
        if (released.outcome != 'no-fix') {
            archiveArtifacts(artifacts: ctx.out + '/release-notes.md', allowEmptyArchive: true, fingerprint: false)
            echo "hotfix ${ctx.issue}: ${released.tag} released"
            return released
        }
        echo "hotfix ${ctx.issue}: ${released.message}"
    }
    error("hotfix ${ctx.issue}: no fix was merged into ${branched.branch} after ${rounds} rounds")
    return null
}

/**
 * A deployment through promote, with the hotfix lane's criteria; the block gets the environment's settings (as
 * promote's block does: name, target, image, …) and the version.
 */
void deployTo(Map ctx, Map args, String environment, String version, Closure deploy) {
    promote.call(service: ctx.component, version: version, to: environment, issue: ctx.issue, config: ctx.config,
            outDir: ctx.outDir, cache: ctx.cache, smoke: args.smoke, gitCredentialsId: ctx.git,
            gitSshCredentialsId: ctx.gitSsh) { Map settings ->
        deploy.call(settings, version)
    }
}

/** The root-cause analysis: its root cause and prevention given, else asked for at an input. */
Map writeAnalysis(Map ctx, Map args) {
    String rootCause = args.rootCause
    String prevention = args.prevention
    if (!rootCause) {
        Object answer = input(id: 'Rca-' + fileName(ctx.issue), message: "Root-cause analysis of ${ctx.issue}",
                ok: 'Write it', parameters: [text(name: 'ROOT_CAUSE', defaultValue: '',
                        description: 'What caused it (Markdown)'),
                                             text(name: 'PREVENTION', defaultValue: '',
                        description: 'What stops it happening again (Markdown)')])
        Map given = answer instanceof Map ? answer : [:]
        rootCause = given.ROOT_CAUSE ?: ''
        prevention = prevention ?: given.PREVENTION ?: ''
    }
    Map written = lane(ctx, 'rca', ['--root-cause', rootCause, '--prevention', prevention ?: '', '--out',
                                    ctx.out + '/rca.md'])
    archiveArtifacts(artifacts: ctx.out + '/rca.md', allowEmptyArchive: true, fingerprint: false)
    return written
}

/** One `deployflow hotfix <step>`; exit 1 is an answer the caller reads (no fix yet, a conflict) when allowed. */
Map lane(Map ctx, String step, List extra, boolean checkFailedHandled = false) {
    String path = ctx.out + '/' + step + '.json'
    List argv = ['hotfix', step, '--config', ctx.config, '--component', ctx.component, '--issue', ctx.issue,
                 '--json', path] + extra
    if (ctx.cache) {
        argv.addAll(['--cache', ctx.cache])
    }
    int code = deployflowCli.withSecrets([git: ctx.git, gitSsh: ctx.gitSsh]) { deployflowCli.runCli(argv) }
    deployflowCli.check(code, "hotfix ${step} ${ctx.issue}", checkFailedHandled)
    return deployflowCli.readJson(path)
}

/** Tells people through the channels under notify, the way approval requests are told (webhooks, mail). */
void tell(Map ctx, Map notice, String event) {
    if (notice != null) {
        approvalGate.tell([config: ctx.config, channels: ctx.channels ?: [:], out: ctx.out, git: ctx.git,
                           gitSsh: ctx.gitSsh], notice, event)
        echo "hotfix ${ctx.issue}: ${notice.subject}"
    }
}

@NonCPS
String fileName(String text) {
    return text.replaceAll(/[^A-Za-z0-9._-]+/, '_')
}
