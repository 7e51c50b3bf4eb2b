// blueGreen: the blue/green rollout of a target from deployflow.yaml (blueGreen.targets), as separate CLI phases:
//   deploy -> analyze (preview smoke, JUnit) -> [approval] -> shift 10 -> [approval] -> shift 50 -> ... -> promote
//   -> cleanup
// Every phase is its own `deployflow bluegreen ...` call whose state lives in the target (next to HAProxy's
// configuration, or on the Kubernetes objects), so the build can pause at an approval, the controller can restart
// and another agent can carry on. A failed analysis or smoke makes the CLI abort the rollout itself (traffic back
// to the old colour first, verified); this step then fails the build with the reason. Answering "abort" at an
// approval, or aborting/timing out the input, aborts the rollout before the build stops.

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
               user: buildUser()]

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
            approve(run, weight, args.approvers)
        }
        List shift = ['--weight', weight]
        if (run.analysis) {
            shift.addAll(['--analysis', run.analysis])
        }
        result = phase(run, 'shift', shift)
    }
    result = phase(run, 'promote', [])
    if (args.cleanup == false) {
        echo "blueGreen ${target}: the old colour is kept; run 'deployflow bluegreen cleanup --target ${target}'" +
                ' when it may go'
    } else {
        result = phase(run, 'cleanup', [])
    }
    return finish(run, result)
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
    int code = cli(run.user, command)
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

/** The approval before a step: proceed or abort. Aborting the input itself (or a timeout) aborts the rollout too. */
void approve(Map run, String weight, Object approvers) {
    Map inputArgs = [id: 'Shift-' + weight, message: "Shift ${weight} % of ${run.target}'s traffic to the new colour?",
                     ok: 'Decide', submitterParameter: 'approver',
                     parameters: [choice(name: 'DECISION', choices: ['proceed', 'abort'],
                                         description: "proceed to ${weight} %, or abort the rollout " +
                                                 '(all traffic back to the old colour)')]]
    if (approvers) {
        // a hint for the UI only: administrators bypass it
        inputArgs.submitter = approvers instanceof List ? approvers.join(',') : approvers
    }
    Object answer
    try {
        answer = input(inputArgs)
    } catch (InterruptedException stopped) {
        // FlowInterruptedException (abort button or timeout): never leave traffic half-shifted behind a dead build
        abortRollout(run, "the approval before ${weight} % was aborted or timed out", run.user)
        throw stopped
    }
    Map decision = decisionOf(answer)
    if (decision.choice == 'abort') {
        String reason = "aborted at the approval before ${weight} %" + (decision.by ? " by ${decision.by}" : '')
        abortRollout(run, reason, decision.by ?: run.user)
        finish(run, run.last)
        error("blueGreen ${run.target}: ${reason}")
    }
    echo "blueGreen ${run.target}: ${weight} % approved" + (decision.by ? " by ${decision.by}" : '')
}

void abortRollout(Map run, String reason, String user) {
    String json = "${run.out}/abort.json"
    int code = cli(user, ['bluegreen', 'abort', '--config', run.config, '--target', run.target,
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

/** The CLI records who ran each phase (DEPLOYFLOW_USER): Jenkins' sh has no USER. */
int cli(String user, List command) {
    int code = 0
    withEnv(["DEPLOYFLOW_USER=${user ?: 'unknown'}"]) {
        code = deployflowCli.runCli(command)
    }
    return code
}

/** The user who started the build, or 'jenkins' for a timer or SCM trigger (getBuildCauses works sandboxed). */
String buildUser() {
    try {
        List causes = currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause')
        return causes ? (causes[0].userId ?: 'jenkins') : 'jenkins'
    } catch (Exception unavailable) {
        return 'jenkins'
    }
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

/** input's answer: a Map with DECISION and approver, a String (the approver only) or null: both mean proceed. */
@NonCPS
Map decisionOf(Object answer) {
    if (answer instanceof Map) {
        return [choice: answer.DECISION ?: 'proceed', by: answer.approver]
    }
    return [choice: 'proceed', by: answer instanceof CharSequence ? answer.toString() : null]
}
