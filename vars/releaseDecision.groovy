// releaseDecision: error handling. After a failed release, dockerPrep or portainerDeploy it names the failing
// components and their repo-persons, notifies them, and asks a decider through `input` what to do:
//   retry | release-with-error | release-without | do-not-release
// Who decides is the approval task release-decision (built in: decision.deciders, else the team; a team may
// declare its own under approval.tasks). The input page is approvalGate's: a one-line message, the failures and
// links in the decision's description, no preselected decision, a reason required before the engine is asked.
// The engine (`deployflow decision --by <id>`) checks that whoever answered may decide, because Jenkins
// administrators bypass an input's submitter list; a refused answer asks again, up to maxRounds.
// Without customer: the decision is about the release as a whole (a component whose release failed).
// Given the plan, it returns the plan as it goes on (plan:), and the decision sets the build's result.
// A timeout or an abort throws FlowInterruptedException, which this step lets through on purpose after recording
// it in the ledger: the build stops there, and nothing is released.

Map call(Map args = [:]) {
    String customer = args.customer
    String config = args.config ?: 'deployflow.yaml'
    String out = (args.outDir ?: 'deployflow-out') + '/' + (customer ?: 'release')
    // git credentials (production's versions) from deployflow.yaml unless given
    Map settings = args.gitCredentialsId != null ? [:] : deployflowCli.settings(config,
            customer ? [customer: customer] : [:], out)
    String gitCredentialsId = deployflowCli.choose(args.gitCredentialsId,
            (customer ? settings.customer?.credentials : settings.credentials)?.git)
    String what = customer ? "Release for ${customer}" : 'The release'
    Object given = args.failures
    List failures = failureList(given)
    String report = given instanceof Map ? given.report : args.report
    // release-without edits the tested compose file: the one dockerPrep used, unless another is named
    String composeFile = args.file ?: (given instanceof Map ? given.composeFile : null)
    int maxRounds = args.maxRounds ?: 3
    String idPrefix = args.inputId ?: 'Decide'

    String text = failureText(customer, failures)
    echo text
    deployflowCli.outDir(out)
    Map gate = approvalGate.openGate([task: 'release-decision', gate: customer ?: 'release', config: config,
                                      outDir: args.outDir, gitCredentialsId: gitCredentialsId,
                                      gitSshCredentialsId: args.gitSshCredentialsId,
                                      message: "${what} failed: decide what happens",
                                      details: text, links: reportLinks(given),
                                      notice: requestNotice(customer ?: 'every customer', failures, text)])
    if (!report && !failures.isEmpty()) {
        // failures given as a list: the engine gets them too, so its record names each repo-person and who was told
        report = out + '/failures.json'
        writeFile(file: report, text: failuresReport(failures), encoding: 'UTF-8')
    }

    int minutes = args.timeoutMinutes ?: gate.view.timeoutMinutes
    int round = 0
    int asks = 0
    String note = ''
    while (round < maxRounds) {
        asks++
        Map inputArgs = [id: idPrefix + '-' + asks, ok: 'Decide', submitterParameter: 'approver',
                         message: "${what} failed: decide what happens".toString(),
                         parameters: [choice(name: 'DECISION', choices: ['— choose —'] + choices(),
                                             description: gate.view.details + choiceHelp() +
                                                     (note ? "\n\n${note}" : '')),
                                      string(name: 'REASON', defaultValue: '',
                                             description: 'Required: why (kept in the record)')]]
        // Only a hint for the UI: administrators bypass it, so the engine checks the approver below.
        String submitter = args.deciders instanceof List ? args.deciders.join(',') : args.deciders
        if (submitter ?: gate.view.submitter) {
            inputArgs.submitter = submitter ?: gate.view.submitter
        }
        long asked = now()
        Object answer
        try {
            answer = timeout(time: minutes, unit: 'MINUTES') {
                input(inputArgs)
            }
        } catch (InterruptedException stopped) {
            // FlowInterruptedException: a timeout or an abort. Its causes are refused in the sandbox, so the
            // elapsed time tells them apart; both are recorded, and the build stops either way.
            boolean timedOut = now() - asked >= minutes * 60000L
            echo(timedOut ? "No decision for ${customer ?: 'the release'} within ${minutes} minutes: nothing is" +
                    ' released' : "The decision for ${customer ?: 'the release'} was aborted: nothing is released")
            approvalGate.interrupted(gate.ctx, timedOut, minutes)
            throw stopped
        }
        Map decision = answerOf(answer)
        if (!decision.choice || !decision.by) {
            note = 'Nothing was decided: choose what happens, and say why.'
            echo "No decision came back (answer: ${decision.raw}); asking again"
            continue
        }
        if (!decision.reason?.trim()) {
            // checked here so that a forgotten reason does not use up one of the rounds the engine counts
            note = "${decision.by} chose ${decision.choice} without a reason; nothing was recorded. Say why."
            echo "${decision.by} gave no reason; asking again"
            continue
        }
        round++
        String recordPath = out + '/decision-' + round + '.json'
        List command = ['decision', '--config', config]
        if (customer) {
            command.addAll(['--customer', customer])
        }
        command.addAll(['--choice', decision.choice, '--by', decision.by, '--reason', decision.reason ?: ''])
        if (args.plan) {
            command.addAll(['--plan', deployflowCli.planFile(args.plan, out + '/plan.json')])
        }
        if (report) {
            command.addAll(['--failures', report])
        }
        for (String component : componentsOf(failures)) {
            command.addAll(['--component', component])
        }
        if (composeFile) {
            command.addAll(['--file', composeFile])
        }
        if (args.productionFile) {
            command.addAll(['--production-file', args.productionFile])
        }
        if (args.cache) {
            command.addAll(['--cache', args.cache])
        }
        command.addAll(['--json', recordPath])
        // production's compose file (for release-without) is read from the customer repository
        int code = deployflowCli.withSecrets([git: gitCredentialsId, gitSsh: args.gitSshCredentialsId]) {
            deployflowCli.runCli(command)
        }
        if (code == 2) {
            note = "The decision by ${decision.by} was refused: only ${gate.view.submitter ?: 'configured deciders'}" +
                    ' may decide (see the build log).'
            echo "Round ${round}: the engine refused the decision by ${decision.by} (exit 2, see above: only " +
                    'configured deciders may decide, and the reason must not be blank); asking again'
            continue
        }
        deployflowCli.check(code, "decision ${customer ?: 'for the release'}")
        archiveArtifacts(artifacts: recordPath, fingerprint: false)
        Map record = deployflowCli.readJson(recordPath)
        String who = customer ?: 'the release'
        sendAll(gate.ctx, record.notifications ?: [], "${who}: ${decision.choice} (by ${decision.by}): " +
                decision.reason)
        deployflowCli.describe("${who}: ${decision.choice} (by ${decision.by})")
        // the decision says what the build's result is (UNSTABLE with or without a component, FAILURE for none)
        deployflowCli.applyBuildResult(record)
        return [decision: decision.choice, by: decision.by, reason: decision.reason ?: '', round: round,
                components: componentsOf(failures), next: record.next, reverted: record.reverted ?: [],
                plan: record.planAfter, record: record]
    }
    error("releaseDecision ${customer ?: 'for the release'}: no accepted decision after ${maxRounds} rounds")
    return null
}

/** The clock for telling a timeout from an abort (System.currentTimeMillis is allowed in the sandbox). */
long now() {
    return System.currentTimeMillis()
}

@NonCPS
String choiceHelp() {
    return '\n\nretry: the failing components are fixed today and go back to release verification.' +
            '\nrelease-with-error: release as tested.\nrelease-without: release everything but the failing' +
            ' components.\ndo-not-release: stop; the customer is told and the team looks back.'
}

@NonCPS
List choices() {
    return ['retry', 'release-with-error', 'release-without', 'do-not-release']
}

/**
 * What input returned, whatever its shape: a Map with parameters and submitterParameter; a String (only the
 * submitter, e.g. after "Proceed" without the form); null (no parameters and no submitter).
 */
@NonCPS
Map answerOf(Object answer) {
    if (answer instanceof Map) {
        String choice = answer.DECISION in choices() ? answer.DECISION : null
        return [choice: choice, by: answer.approver, reason: answer.REASON, raw: 'DECISION ' + answer.DECISION]
    }
    if (answer instanceof CharSequence) {
        return [choice: null, by: answer.toString(), reason: null, raw: 'only the submitter ' + answer]
    }
    return [choice: null, by: null, reason: null, raw: String.valueOf(answer)]
}

@NonCPS
List failureList(Object given) {
    Object list = given instanceof Map ? given.failures : given
    return list instanceof List ? list.findAll { it instanceof Map } : []
}

/** The failures in the shape of a `smoke --json` report (failed routes), which `decision --failures` reads. */
@NonCPS
String failuresReport(List failures) {
    List routes = failures.collect { f ->
        [name: f.route ?: f.component ?: 'unnamed failure', passed: false, component: f.component,
         repoPerson: f.repoPerson instanceof Map ? f.repoPerson : null, message: f.message]
    }
    return groovy.json.JsonOutput.toJson([routes: routes])
}

@NonCPS
List componentsOf(List failures) {
    return failures.collect { it.component }.findAll { it }.unique().sort()
}

@NonCPS
String failureText(String customer, List failures) {
    String what = customer ? "Release for ${customer}" : 'The release'
    if (failures.isEmpty()) {
        return "${what} failed (no failing component was named; see the log)."
    }
    String lines = failures.collect { f ->
        Map person = f.repoPerson instanceof Map ? f.repoPerson : [:]
        String who = person ? "${person.name ?: person.id ?: '?'}${person.email ? ' <' + person.email + '>' : ''}" :
                'no repo-person known'
        "- ${f.component ?: 'unknown component'}${f.route ? ' (route ' + f.route + ')' : ''}: ${who}" +
                (f.message ? " - ${f.message}" : '')
    }.join('\n')
    return "${what} failed:\n${lines}"
}

@NonCPS
List emailsOf(List failures) {
    return failures.collect { it.repoPerson instanceof Map ? it.repoPerson.email : null }.findAll { it }.unique()
}

/**
 * What the repo-persons of the failing components and the deciders are told while a decision is pending. It goes
 * out through the configured channels only (notify in deployflow.yaml): mail when notify.mail is on, webhooks.
 */
Map requestNotice(String customer, List failures, String text) {
    String page = (env.BUILD_URL ?: 'the Jenkins build ') + 'input/'
    String body = libraryResource('io/deployflow/vars/decision-mail.txt').replace('@CUSTOMER@', customer)
            .replace('@FAILURES@', text).replace('@INPUT_URL@', page)
    return [subject: "deployflow: release for ${customer} needs a decision".toString(), text: body,
            mailTo: emailsOf(failures)]
}

/** The smoke report and the JUnit page of this build, shown with the question. */
@NonCPS
Map reportLinks(Object given) {
    Map links = [:]
    if (given instanceof Map && given.report) {
        links['Smoke report'] = given.report.toString()
    }
    return links
}

/**
 * The engine decides who is told what after a decision (the repo-persons, the customer for do-not-release); the
 * messages go out by mail when notify.mail is on, and a summary to the webhooks. Never fails the step.
 */
void sendAll(Map ctx, List messages, String summary) {
    approvalGate.tell(ctx, [subject: summary, text: summary, link: env.BUILD_URL ?: '', mailTo: []], 'decision')
    if (!ctx.channels?.mail) {
        return
    }
    for (Map message : messages) {
        if (message.to) {
            approvalGate.mailOrRecord(ctx, [to: message.to, subject: message.subject, body: message.body], 'decision')
        }
    }
}
