// approvalGate: one approval, asked on Jenkins' own input page (Proceed / Abort, in the classic UI and in Pipeline
// Graph View) and decided by the engine. The policy is the task in deployflow.yaml (approval.tasks): who may
// answer (the input's submitter, as a hint only), how many distinct approvals, the checklist, the timeout.
//
// The step asks and relays; `deployflow approval` decides. Jenkins administrators get past any submitter list,
// so every answer goes to `approval check`, which records it in the ledger with whether it counted and why not;
// the gate's state is read back from there. What the step itself checks before asking the engine is only form:
// a decision was chosen ("— choose —" is not one) and a rejection has a reason. Those re-asks use no round.
//
// A timeout or an abort throws FlowInterruptedException. Its causes are refused in the sandbox, so the time the
// input waited tells them apart; both are recorded. A timeout then means what the task says (reject or abort).

Map call(Map args = [:]) {
    Map opened = openGate(args)
    Map ctx = opened.ctx
    Map view = opened.view
    String idPrefix = args.id ?: inputId(ctx.gate)
    Map status = view.status
    int minutes = args.timeoutMinutes ?: view.timeoutMinutes
    long deadline = now() + minutes * 60000L
    int rounds = 0
    int maxRounds = args.maxRounds ?: view.quorum + 3
    int asks = 0
    String note = ''
    while (status.status == 'pending') {
        asks++
        long asked = now()
        long left = deadline - asked
        Object answer = null
        boolean stoppedByTimeout = left <= 0
        if (!stoppedByTimeout) {
            try {
                answer = timeout(time: Math.max(1L, Math.floorDiv(left, 1000L)), unit: 'SECONDS') {
                    input(inputArgs(idPrefix + '-' + asks, view, status, note))
                }
            } catch (InterruptedException stopped) {
                // FlowInterruptedException: the timeout or someone's Abort. Waited (nearly) all of it: the timeout.
                stoppedByTimeout = now() - asked >= left - 2000
                status = interrupted(ctx, stoppedByTimeout, minutes)
                if (status.status != 'rejected') {
                    throw stopped
                }
                break
            }
        }
        if (stoppedByTimeout) {
            status = interrupted(ctx, true, minutes)
            break
        }
        Map given = answerOf(answer, view.checklist ?: [])
        if (!given.decision) {
            note = "${given.by ?: 'Someone'} submitted without choosing approve or reject; nothing was recorded."
            echo "${ctx.task}: no decision chosen (${given.raw}); asking again"
            continue
        }
        if (given.decision == 'reject' && !given.reason) {
            note = "${given.by} chose reject without a reason; nothing was recorded. A rejection needs a reason."
            echo "${ctx.task}: a rejection needs a reason; asking again"
            continue
        }
        rounds++
        status = answered(ctx, given, view.groups ? groupsOf(given.by) : [])
        note = status.answer.counted ? '' : "Not counted: ${status.answer.refused}"
        echo(status.answer.counted ? "${ctx.task}: ${given.decision} by ${given.by} counted; ${status.summary}" :
                "${ctx.task}: ${given.decision} by ${given.by} not counted: ${status.answer.refused}")
        if (status.status == 'pending' && rounds >= maxRounds) {
            error("approvalGate ${ctx.task}: still ${status.summary} after ${rounds} answers; giving up")
        }
    }
    return finish(ctx, status, args.onReject ?: 'fail', rounds)
}

/**
 * Records the request (`approval open`), tells the configured channels, and returns [ctx: what every later call
 * of this gate needs, view: what to ask and whom]. releaseDecision opens its gate the same way.
 */
Map openGate(Map args) {
    if (!args.task) {
        error('approvalGate: task is required (an approval.tasks entry in deployflow.yaml)')
    }
    Map ctx = [task: args.task.toString(), gate: (args.gate ?: args.task).toString(),
               config: args.config ?: 'deployflow.yaml', authors: args.authors ?: [], items: args.checklist ?: [],
               git: args.gitCredentialsId, gitSsh: args.gitSshCredentialsId, build: env.BUILD_URL ?: '',
               startedBy: env.DEPLOYFLOW_USER ?: deployflowCli.buildUser()]
    ctx.out = (args.outDir ?: 'deployflow-out') + '/approval/' + fileName(ctx.gate)
    deployflowCli.outDir(ctx.out)
    if (ctx.git == null && ctx.gitSsh == null) {
        // the ledger repository's git credentials as deployflow.yaml names them (`credentials:`)
        Map ids = deployflowCli.settings(ctx.config, [:], ctx.out).credentials ?: [:]
        ctx.git = ids.git
        ctx.gitSsh = ids.gitSsh
    }

    List open = ['approval', 'open'] + gateArgs(ctx) + ['--message', args.message ?: '',
                                                      '--json', ctx.out + '/open.json']
    if (args.details) {
        open.addAll(['--details', args.details])
    }
    if (ctx.build) {
        open.addAll(['--input-url', ctx.build + (ctx.build.endsWith('/') ? '' : '/') + 'input/'])
    }
    for (Map link : links(args.links == null ? defaultLinks(args.outDir ?: 'deployflow-out') : args.links)) {
        open.addAll(['--link', link.label + '=' + link.url])
    }
    int opened = withGateSecrets(ctx, []) { deployflowCli.runCli(open) }
    deployflowCli.check(opened, "approval open ${ctx.task}")
    Map view = deployflowCli.readJson(ctx.out + '/open.json')
    ctx.channels = view.channels
    if (args.notice != false) {
        Map notice = view.notice
        if (args.notice instanceof Map) {
            // the caller's wording, told to the caller's people as well as to those who may answer
            notice = view.notice + args.notice
            notice.mailTo = ((args.notice.mailTo ?: []) + (view.notice.mailTo ?: [])).unique()
        }
        tell(ctx, notice, 'approval-requested')
    }
    return [ctx: ctx, view: view]
}

/** The options every `approval` call of this gate shares. */
List gateArgs(Map ctx) {
    // the build and who started it are passed, not left to the environment: they are the gate's identity
    List argv = ['--config', ctx.config, '--task', ctx.task, '--gate', ctx.gate, '--build', ctx.build,
                 '--started-by', ctx.startedBy]
    for (Object author : ctx.authors) {
        argv.addAll(['--author', author.toString()])
    }
    for (Object item : ctx.items) {
        argv.addAll(['--item', item.toString()])
    }
    return argv
}

/** Records one answer; the engine says whether it counted. Exit 0 approved, 1 anything else, both with JSON. */
Map answered(Map ctx, Map given, List groups) {
    String path = ctx.out + '/check-' + given.decision + '.json'
    List argv = ['approval', 'check'] + gateArgs(ctx) + ['--answer', given.decision, '--by', given.by,
                                                          '--reason', given.reason ?: '', '--json', path]
    for (Object item : given.checked) {
        argv.addAll(['--checked', item.toString()])
    }
    for (Object group : groups) {
        argv.addAll(['--group', group.toString()])
    }
    int code = withGateSecrets(ctx, []) { deployflowCli.runCli(argv) }
    deployflowCli.check(code, "approval check ${ctx.task}", true)
    return deployflowCli.readJson(path)
}

/** A timeout or an abort, recorded as what it was; the task says what a timeout means. */
Map interrupted(Map ctx, boolean timedOut, int minutes) {
    String event = timedOut ? 'timeout' : 'abort'
    echo(timedOut ? "${ctx.task}: no decision within ${minutes} minutes" :
            "${ctx.task}: the approval was aborted in Jenkins")
    String path = ctx.out + '/check-' + event + '.json'
    List argv = ['approval', 'check'] + gateArgs(ctx) + ['--answer', event, '--reason',
            timedOut ? '' : 'aborted in Jenkins (who aborted is not visible to the pipeline)', '--json', path]
    int code = withGateSecrets(ctx, []) { deployflowCli.runCli(argv) }
    deployflowCli.check(code, "approval check ${ctx.task}", true)
    Map status = deployflowCli.readJson(path)
    tell(ctx, status.notice, 'approval-' + status.status)
    return status
}

/** Tells the outcome, sets the description, archives the gate's files; a rejection fails the build by default. */
Map finish(Map ctx, Map status, String onReject, int rounds) {
    if (status.answer != null && status.answer.event in ['approve', 'reject']) {
        tell(ctx, status.notice, 'approval-' + status.status)
    }
    archiveArtifacts(artifacts: ctx.out + '/*.json', fingerprint: false, allowEmptyArchive: true)
    Map result = [approved: status.status == 'approved', status: status.status, task: ctx.task, gate: ctx.gate,
                  approvedBy: status.approvedBy ?: [], decidedBy: status.decidedBy ?: '', reason: status.reason ?: '',
                  summary: status.summary, rounds: rounds, record: status]
    deployflowCli.describe("${ctx.gate}: ${status.summary}")
    if (!result.approved && onReject != 'return') {
        error("approvalGate ${ctx.task}: ${status.summary}")
    }
    return result
}

/** The input page: one-line message, the details in the decision's description, a box per checklist item. */
Map inputArgs(String id, Map view, Map status, String note) {
    String details = view.details + (status.approvals ? "\n\nSo far: ${status.summary}." : '') +
            (note ? "\n\n${note}" : '')
    List parameters = [choice(name: 'DECISION', choices: decisionChoices(), description: details)]
    for (Object item : view.checklist ?: []) {
        parameters.add(booleanParam(name: item.toString(), defaultValue: false, description: 'Checklist'))
    }
    parameters.add(text(name: 'REASON', defaultValue: '', description: 'Required to reject; kept in the record'))
    Map asked = [id: id, message: view.message + (status.approvals ? " (${status.summary})" : ''), ok: 'Submit',
                 submitterParameter: 'approver', parameters: parameters]
    if (view.submitter) {
        // Only a hint for the UI: administrators are let through anyway, so the engine checks every answer.
        asked.submitter = view.submitter
    }
    return asked
}

/** No decision is preselected: the first value is "choose", which the step refuses without asking the engine. */
@NonCPS
List decisionChoices() {
    return ['— choose —', 'approve', 'reject']
}

/** What input returned, whatever its shape: a Map (the form), a String (only the submitter), or null. */
@NonCPS
Map answerOf(Object answer, List checklist) {
    if (answer instanceof Map) {
        String decision = answer.DECISION in ['approve', 'reject'] ? answer.DECISION : null
        List checked = checklist.findAll { answer[it] == true || answer[it] == 'true' }.collect { it.toString() }
        String reason = answer.REASON == null ? '' : answer.REASON.toString().trim()
        return [decision: decision, by: answer.approver?.toString(), reason: reason, checked: checked,
                raw: 'DECISION ' + answer.DECISION]
    }
    if (answer instanceof CharSequence) {
        return [decision: null, by: answer.toString(), reason: '', checked: [], raw: 'Proceed without the form']
    }
    return [decision: null, by: null, reason: '', checked: [], raw: String.valueOf(answer)]
}

/**
 * The Jenkins groups of a user, for roles that name groups. Only trusted code may ask Jenkins; in the sandbox the
 * call is refused and the answer is "no groups", so the engine counts only users named in the role.
 */
@NonCPS
List groupsOf(String user) {
    try {
        Object account = hudson.model.User.getById(user, false)
        return account == null ? [] : account.authorities.collect { it.toString() }
    } catch (Exception notTrusted) {
        return []
    }
}

/** Sends a notice through the configured channels only: webhooks by the CLI, mail by Jenkins' mail step. */
void tell(Map ctx, Map notice, String event) {
    if (notice == null) {
        return
    }
    Map channels = ctx.channels ?: [:]
    boolean mailing = channels.mail && notice.mailTo
    if (!channels.webhooks && !mailing) {
        return
    }
    String path = ctx.out + '/notify-' + event + '.json'
    List argv = ['notify', '--config', ctx.config, '--subject', notice.subject, '--text', notice.text,
                 '--event', event, '--json', path]
    if (notice.link) {
        argv.addAll(['--link', notice.link, '--link-label', event == 'approval-requested' ? 'Open the approval' :
                'Open the build'])
    }
    for (Object to : notice.mailTo ?: []) {
        argv.addAll(['--mail-to', to.toString()])
    }
    int code = withGateSecrets(ctx, channels.webhooks ?: []) { deployflowCli.runCli(argv) }
    if (code != 0) {
        echo "Notification (${event}): a channel failed (exit ${code}); it is recorded, the approval goes on"
    }
    Map sent = deployflowCli.readJsonIfPresent(path)
    if (sent?.mail) {
        mailOrRecord(ctx, sent.mail, event)
    }
}

/** Mail through Jenkins; a failure (no Mailer plugin, no SMTP server) is recorded and never fails the gate. */
void mailOrRecord(Map ctx, Map message, String event) {
    String failure = null
    try {
        mail(to: message.to.join(','), subject: message.subject, body: message.body)
    } catch (InterruptedException stop) {
        throw stop
    } catch (NoSuchMethodError noMailer) {
        failure = 'no mail step (Mailer plugin): ' + noMailer.message
    } catch (Exception mailFailed) {
        failure = mailFailed.message ?: mailFailed.toString()
    }
    if (failure == null) {
        return
    }
    echo "Mail to ${message.to.join(', ')} not sent: ${failure}"
    List argv = ['notify', '--config', ctx.config, '--subject', message.subject, '--event', event,
                 '--record', 'mail', '--outcome', 'failed', '--detail', failure]
    withGateSecrets(ctx, []) { deployflowCli.runCli(argv) }
}

/** Git credentials for the ledger repository, and the webhook URLs (secret text) for notify. */
Object withGateSecrets(Map ctx, List webhooks, Closure body) {
    List bindings = []
    for (Map hook : webhooks) {
        if (hook.credentialsId) {
            bindings.add(string(credentialsId: hook.credentialsId, variable: hook.urlEnv))
        }
    }
    return deployflowCli.withSecrets([git: ctx.git, gitSsh: ctx.gitSsh]) {
        if (bindings.isEmpty()) {
            return body()
        }
        return withCredentials(bindings) {
            body()
        }
    }
}

/** Without links given: this build's release notes, when releaseMeeting wrote them. */
Map defaultLinks(String out) {
    for (String notes : [out + '/release-notes.html', out + '/release-notes.md']) {
        if (fileExists(notes)) {
            return ['Release notes': notes]
        }
    }
    return [:]
}

/** Links shown with the request: labels to URLs; a relative path is this build's archived artifact. */
List links(Object given) {
    List out = []
    if (given instanceof Map) {
        given.each { label, target ->
            String url = target.toString()
            if (!(url ==~ /^[a-z]+:\/\/.*/)) {
                url = (env.BUILD_URL ?: '') + 'artifact/' + url
            }
            out.add([label: label.toString(), url: url])
        }
    }
    return out
}

/** The clock for telling a timeout from an abort (System.currentTimeMillis is allowed in the sandbox). */
long now() {
    return System.currentTimeMillis()
}

/** "release-candidate-sign-off" → "Release-candidate-sign-off": Jenkins capitalises input ids itself. */
@NonCPS
String inputId(String gate) {
    String id = gate.replaceAll(/[^A-Za-z0-9-]+/, '-')
    return id.substring(0, 1).toUpperCase() + id.substring(1)
}

@NonCPS
String fileName(String gate) {
    return gate.replaceAll(/[^A-Za-z0-9._-]+/, '_')
}
