// blueGreen: the blue/green rollout of a target from deployflow.yaml (blueGreen.targets), as separate CLI phases:
//   deploy -> analyze (preview smoke, JUnit) -> [approval] -> shift 10 -> [approval] -> shift 50 -> ... -> promote
//   -> cleanup
// Every phase is its own `deployflow bluegreen ...` call whose state lives in the target (next to HAProxy's
// configuration, or on the Kubernetes objects), so the build can pause at an approval, the controller can restart
// and another agent can carry on. A failed analysis or smoke makes the CLI abort the rollout itself (traffic back
// to the old colour first, verified); this step then fails the build with the reason. The approvals are
// approvalGate's (the engine decides who may answer); a rejection, an Abort or a gate that fails aborts the
// rollout before the build stops. The CLI files each outcome (promoted, aborted, rolled back) in the ledger.

Map call(Map args = [:]) {
    if (!args.target) {
        error('blueGreen: target is required (the name of a blueGreen.targets entry in deployflow.yaml)')
    }
    if (!args.image && !args.images) {
        error('blueGreen: image (one image) or images ([service: image, ...]) is required')
    }
    String target = args.target
    String out = (args.outDir ?: 'deployflow-out') + '/bluegreen-' + target
    deployflowCli.outDir(out)
    String id = rolloutId(args.id ?: env.BUILD_TAG, target)
    List steps = args.steps ?: [10, 50, 100]
    List approveBefore = args.approveBefore == null ? [] : args.approveBefore
    Map run = [target: target, id: id, out: out, config: args.config ?: 'deployflow.yaml', phases: [],
               user: env.DEPLOYFLOW_USER ?: deployflowCli.buildUser(), outDir: args.outDir ?: 'deployflow-out',
               task: args.approvalTask ?: 'traffic-shift', git: args.gitCredentialsId,
               gitSsh: args.gitSshCredentialsId]
    if (run.git == null && run.gitSsh == null) {
        // a ledger in git gets the credentials deployflow.yaml names (`credentials:`), as approvalGate does
        Map ids = deployflowCli.settings(run.config, [:], out).credentials ?: [:]
        run.git = ids.git
        run.gitSsh = ids.gitSsh
    }

    List deploy = imageArgs(args.image, args.images)
    deploy.addAll(['--steps', steps.join(',')])
    if (args.version) {
        deploy.addAll(['--version', args.version.toString()])
    }
    if (args.analysis) {
        String analysisFile = out + '/analysis.json'
        writeFile(file: analysisFile, text: deployflowCli.toJson(analysisSection(args.analysis)), encoding: 'UTF-8')
        deploy.addAll(['--analysis', analysisFile])
        run.analysis = analysisFile
    }
    Map result = phase(run, 'deploy', deploy)

    List analyze = []
    if (args.routes) {
        analyze.addAll(['--routes', args.routes])
    }
    String junitFile = out + '/preview-smoke-junit.xml'
    analyze.addAll(['--junit', junitFile])
    result = phase(run, 'analyze', analyze)

    for (Object step : steps) {
        String weight = step.toString()
        if (approveBefore.collect { it.toString() }.contains(weight)) {
            approve(run, weight)
        }
        List shift = ['--weight', weight]
        if (run.analysis) {
            shift.addAll(['--analysis', run.analysis])
        }
        result = phase(run, 'shift', shift)
    }
    // With autoPromotionEnabled the shift to 100 % promotes, and with scaleDownDelaySeconds 0 it also cleans up:
    // the step follows what the engine recorded instead of asking for phases that are done already.
    if (statusOf(result) in ['promoted', 'completed']) {
        echo "blueGreen ${target}: the shift to 100 % promoted the new colour (autoPromotionEnabled)"
    } else {
        result = phase(run, 'promote', [])
    }
    if (statusOf(result) == 'completed') {
        echo "blueGreen ${target}: the old colour is scaled down already (scaleDownDelaySeconds 0)"
    } else if (args.cleanup == false) {
        echo "blueGreen ${target}: the old colour is kept; run 'deployflow bluegreen cleanup --target ${target}'" +
                ' when it may go'
    } else {
        result = phase(run, 'cleanup', [])
    }
    return finish(run, result)
}

/** The rollout's status as the engine recorded it in a phase's result (in-progress, promoted, completed, ...). */
@NonCPS
String statusOf(Map result) {
    return result?.deployment?.status?.toString()
}

/**
 * Runs one phase; exit 0 returns its result, exit 1 (the CLI aborted the rollout, verified) and 2/3 fail the
 * build after the result is kept. Stock steps only; the JSON is read into plain maps.
 */
Map phase(Map run, String name, List extra) {
    String json = "${run.out}/${name}${name == 'shift' ? '-' + extra[1] : ''}.json"
    List command = ['bluegreen', name, '--config', run.config, '--target', run.target, '--id', run.id]
    command.addAll(extra)
    command.addAll(['--json', json])
    int code = cli(run, run.user, command)
    String junitFile = optionValue(extra, '--junit')
    if (junitFile && fileExists(junitFile)) {
        // published for people to read; the rollout's outcome is the engine's (a failed route aborts it and
        // fails this step), so a failed case must not also turn the build UNSTABLE
        junit(testResults: junitFile, allowEmptyResults: true, skipMarkingBuildUnstable: true)
    }
    Map result = deployflowCli.readJsonIfPresent(json)
    if (result) {
        run.phases.add([phase: name, outcome: result.outcome, message: result.message])
        run.last = result
    }
    if (code == 1 && result) {
        finish(run, result)
        error("blueGreen ${run.target}: ${result.message}")
    }
    deployflowCli.check(code, "bluegreen ${name} ${run.target}")
    return result
}

/**
 * The approval before a step, through approvalGate: the engine decides who may answer (the task, default the
 * built-in traffic-shift: the deciders). Approved: the shift goes on. Rejected (or timed out, which the task may
 * count as a rejection): the rollout is aborted in the decider's name with the reason, and the build fails. An
 * Abort in Jenkins, or a gate that fails, aborts the rollout too before the build stops: never leave traffic
 * half-shifted behind a dead build.
 */
void approve(Map run, String weight) {
    Map gate
    try {
        gate = approvalGate.call(task: run.task, gate: "${run.id}-${weight}", id: "Shift-${weight}",
                            message: "Shift ${weight} % of ${run.target}'s traffic to the new colour?",
                            details: approvalDetails(run, weight), onReject: 'return', config: run.config,
                            outDir: run.outDir, gitCredentialsId: run.git, gitSshCredentialsId: run.gitSsh)
    } catch (InterruptedException stopped) {
        // FlowInterruptedException: someone's Abort, or a timeout the task counts as an abort
        abortRollout(run, "the approval before ${weight} % was aborted in Jenkins", run.user)
        finish(run, run.last)
        throw stopped
    } catch (Exception failed) {
        abortRollout(run, "the approval before ${weight} % failed: ${failed.message}", run.user)
        finish(run, run.last)
        throw failed
    }
    if (!gate.approved) {
        String by = gate.decidedBy ?: ''
        String reason = "${gate.status} at the approval before ${weight} %" + (by ? " by ${by}" : '') +
                (gate.reason ? ": ${gate.reason}" : '')
        abortRollout(run, reason, by && by != 'timeout' ? by : run.user)
        finish(run, run.last)
        error("blueGreen ${run.target}: ${reason}")
    }
    echo "blueGreen ${run.target}: ${weight} % approved by ${approvers(gate)}"
}

/** What the decider sees: where the rollout stands and its last analysis, from the last phase's result. */
@NonCPS
String approvalDetails(Map run, String weight) {
    Map last = run.last ?: [:]
    Map traffic = last.traffic instanceof Map ? last.traffic : [:]
    String now = traffic ? traffic.collect { colour, w -> "${colour} ${w} %" }.join(' / ') : 'unknown'
    String analysis = last.analysis instanceof Map ? "${last.analysis.summary}" : 'none yet'
    return "Rollout ${run.id} of ${run.target}: traffic now ${now}; next step ${weight} % on the new colour.\n" +
            "Last check: ${analysis}.\nReject to abort the rollout: all traffic goes back to the old colour."
}

@NonCPS
String approvers(Map gate) {
    return gate.approvedBy ? gate.approvedBy.join(', ') : (gate.decidedBy ?: 'the gate')
}

void abortRollout(Map run, String reason, String user) {
    String json = "${run.out}/abort.json"
    int code = cli(run, user, ['bluegreen', 'abort', '--config', run.config, '--target', run.target,
                              '--id', run.id, '--reason', reason, '--json', json])
    Map result = deployflowCli.readJsonIfPresent(json)
    if (result) {
        run.phases.add([phase: 'abort', outcome: result.outcome, message: result.message])
        run.last = result
    }
    if (code != 0) {
        echo "blueGreen ${run.target}: the abort did not finish (exit ${code}); see the log above and run " +
                "'deployflow bluegreen status --target ${run.target}'"
    }
}

/** Writes the step's result (with the deployment-history entry), archives it, describes the build. */
Map finish(Map run, Map last) {
    Map deployment = last?.deployment ?: [:]
    Map entry = [id: deployment.id ?: run.id, date: deployment.date, version: deployment.version,
                 colour: deployment.colour, status: deployment.status ?: 'unknown', reason: deployment.reason ?: '']
    Map summary = [target: run.target, id: run.id, status: entry.status, colour: entry.colour,
                   version: entry.version, traffic: last?.traffic, phases: run.phases, history: [entry]]
    String file = "${run.out}/result.json"
    writeFile(file: file, text: deployflowCli.toJson(summary), encoding: 'UTF-8')
    archiveArtifacts(artifacts: "${run.out}/*.json, ${run.out}/*.xml", allowEmptyArchive: true, fingerprint: false)
    deployflowCli.describe("${run.target}: ${entry.status} ${entry.colour ?: ''} ${entry.version ?: ''}".trim())
    return summary
}

/**
 * The CLI records who ran each phase (DEPLOYFLOW_USER: Jenkins' sh has no USER): the build's user, or the decider
 * who aborted at an approval. Git credentials reach it for a ledger kept in a git repository.
 */
int cli(Map run, String user, List command) {
    int code = 0
    withEnv(["DEPLOYFLOW_USER=${user ?: 'unknown'}"]) {
        code = deployflowCli.withSecrets([git: run.git, gitSsh: run.gitSsh]) { deployflowCli.runCli(command) }
    }
    return code
}

@NonCPS
List imageArgs(Object image, Object images) {
    List args = []
    if (images instanceof Map) {
        images.each { service, reference -> args.addAll(['--image', "${service}=${reference}".toString()]) }
    } else {
        args.addAll(['--image', image.toString()])
    }
    return args
}

/** analysis: a list of metrics, or a whole section ([prometheus:, interval:, count:, failureLimit:, metrics:]). */
@NonCPS
Map analysisSection(Object analysis) {
    if (analysis instanceof Map) {
        return deployflowCli.plain(analysis)
    }
    return [metrics: deployflowCli.plain(analysis)]
}

@NonCPS
String optionValue(List args, String name) {
    int i = args.indexOf(name)
    return i < 0 || i + 1 >= args.size() ? null : args[i + 1]?.toString()
}

/** BUILD_TAG (jenkins-Folder-job-42) is unique per build; lower-cased, anything odd turned into '-'. */
@NonCPS
String rolloutId(Object given, String target) {
    String base = given ? given.toString() : ('bluegreen-' + target)
    return base.toLowerCase().replaceAll('[^a-z0-9._-]+', '-')
}
