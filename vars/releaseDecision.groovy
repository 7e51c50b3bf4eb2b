// releaseDecision: S0 "Errorhandling". After a failed dockerPrep or portainerDeploy it names the failing
// components and their repo-persons, notifies them, and asks a decider through `input` what to do:
//   retry | release-with-error | release-without | do-not-release
// The engine (`deployflow decision --by <id>`) checks that whoever answered is a configured decider, because
// Jenkins administrators bypass an input's submitter list; a refused answer asks again, up to maxRounds.
// A timeout or an abort throws FlowInterruptedException, which this step lets through on purpose: the build
// stops there, as a "do not release" nobody recorded.

Map call(Map args = [:]) {
    if (!args.customer) {
        error('releaseDecision: customer is required')
    }
    String customer = args.customer
    String out = (args.outDir ?: 'deployflow-out') + '/' + customer
    Object given = args.failures
    List failures = failureList(given)
    String report = given instanceof Map ? given.report : args.report
    // release-without edits the tested compose file: the one dockerPrep used, unless another is named
    String composeFile = args.file ?: (given instanceof Map ? given.composeFile : null)
    int maxRounds = args.maxRounds ?: 3
    String idPrefix = args.inputId ?: 'Decide'

    String text = failureText(customer, failures)
    echo text
    notify(customer, failures, text)
    deployflowCli.outDir(out)
    if (!report && !failures.isEmpty()) {
        // failures given as a list: the engine gets them too, so its record names each repo-person and who was told
        report = out + '/failures.json'
        writeFile(file: report, text: failuresReport(failures), encoding: 'UTF-8')
    }

    for (int round = 1; round <= maxRounds; round++) {
        Map inputArgs = [id: idPrefix + '-' + round, message: text + '\nWhat now?', ok: 'Decide',
                         submitterParameter: 'approver',
                         parameters: [choice(name: 'DECISION', choices: choices(),
                                             description: 'retry after a fix, release with the error, ' +
                                                     'release everything but the failing components, or stop'),
                                      string(name: 'REASON', defaultValue: '',
                                             description: 'Why (kept in the record)')]]
        if (args.deciders) {
            // Only a hint for the UI: administrators bypass it, so the engine checks the approver below.
            inputArgs.submitter = args.deciders instanceof List ? args.deciders.join(',') : args.deciders
        }
        int minutes = args.timeoutMinutes ?: 60
        long asked = now()
        Object answer
        try {
            answer = timeout(time: minutes, unit: 'MINUTES') {
                input(inputArgs)
            }
        } catch (InterruptedException stopped) {
            // FlowInterruptedException: a timeout or an abort. Its causes are refused in the sandbox, so the
            // elapsed time tells them apart for the log; the build stops either way and nothing is released.
            boolean timedOut = now() - asked >= minutes * 60000L
            echo(timedOut ? "No decision for ${customer} within ${minutes} minutes: nothing is released" :
                    "The decision for ${customer} was aborted: nothing is released")
            throw stopped
        }
        Map decision = answerOf(answer)
        if (!decision.choice || !decision.by) {
            echo "Round ${round}: no decision came back (answer: ${decision.raw}); asking again"
            continue
        }
        String recordPath = out + '/decision-' + round + '.json'
        List command = ['decision', '--config', args.config ?: 'deployflow.yaml', '--customer', customer,
                        '--choice', decision.choice, '--by', decision.by, '--reason', decision.reason ?: '']
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
        int code = deployflowCli.withSecrets([git: args.gitCredentialsId, gitSsh: args.gitSshCredentialsId]) {
            deployflowCli.runCli(command)
        }
        if (code == 2) {
            echo "Round ${round}: the engine refused the decision by ${decision.by} (exit 2, see above: only " +
                    'configured deciders may decide, and the reason must not be blank); asking again'
            continue
        }
        deployflowCli.check(code, "decision ${customer}")
        archiveArtifacts(artifacts: recordPath, fingerprint: false)
        Map record = deployflowCli.readJson(recordPath)
        sendAll(record.notifications ?: [])
        deployflowCli.describe("${customer}: ${decision.choice} (by ${decision.by})")
        return [decision: decision.choice, by: decision.by, reason: decision.reason ?: '', round: round,
                components: componentsOf(failures), next: record.next, reverted: record.reverted ?: [],
                record: record]
    }
    error("releaseDecision ${customer}: no accepted decision after ${maxRounds} rounds")
    return null
}

/** The clock for telling a timeout from an abort (System.currentTimeMillis is allowed in the sandbox). */
long now() {
    return System.currentTimeMillis()
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
        return [choice: answer.DECISION, by: answer.approver, reason: answer.REASON, raw: 'form']
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
    if (failures.isEmpty()) {
        return "Release for ${customer} failed (no failing component was named; see the log)."
    }
    String lines = failures.collect { f ->
        Map person = f.repoPerson instanceof Map ? f.repoPerson : [:]
        String who = person ? "${person.name ?: person.id ?: '?'}${person.email ? ' <' + person.email + '>' : ''}" :
                'no repo-person known'
        "- ${f.component ?: 'unknown component'}${f.route ? ' (route ' + f.route + ')' : ''}: ${who}" +
                (f.message ? " - ${f.message}" : '')
    }.join('\n')
    return "Release for ${customer} failed:\n${lines}"
}

@NonCPS
List emailsOf(List failures) {
    return failures.collect { it.repoPerson instanceof Map ? it.repoPerson.email : null }.findAll { it }.unique()
}

/** Tells the repo-persons of the failing components that a decision is pending. */
void notify(String customer, List failures, String text) {
    List to = emailsOf(failures)
    if (to.isEmpty()) {
        return
    }
    String body = libraryResource('io/deployflow/vars/decision-mail.txt').replace('@CUSTOMER@', customer)
            .replace('@FAILURES@', text).replace('@INPUT_URL@', (env.BUILD_URL ?: 'the Jenkins build ') + 'input/')
    send(to, "deployflow: release for ${customer} needs a decision", body)
}

/** The engine decides who is told what after a decision (e.g. the customer, for do-not-release); we deliver it. */
void sendAll(List messages) {
    for (Map message : messages) {
        if (message.to) {
            send(message.to, message.subject, message.body)
        }
    }
}

/** Mail is optional: without the Mailer plugin, or without an SMTP server, the build goes on. */
void send(List to, String subject, String body) {
    try {
        mail(to: to.join(','), subject: subject, body: body)
    } catch (InterruptedException stop) {
        throw stop
    } catch (NoSuchMethodError noMailer) {
        echo "Notification to ${to.join(', ')} not sent (no mail step): ${noMailer.message}"
    } catch (Exception mailFailed) {
        echo "Notification to ${to.join(', ')} not sent: ${mailFailed.message}"
    }
}
