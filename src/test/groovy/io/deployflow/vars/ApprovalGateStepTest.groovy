package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * approvalGate with the real engine: the fake agent's `sh` hands the CLI's argv to deployflow's Main in this JVM
 * (paths made absolute in the workspace), so every answer is judged by `approval check` and lands in a real
 * ledger. Only Jenkins is simulated: the input page's answers, the clock, the mail step.
 */
class ApprovalGateStepTest extends VarsTestBase {
    static final String CONFIG = '''
team:
  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
  - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
components:
  - {name: fhir-gateway, repo: 'file:///nowhere/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
customers:
  - {name: acme, repo: 'file:///nowhere/acme'}
approval:
  roles:
    product-owner: [po1, po2]
    dev-team: [dev1, dev2, dev3]
  tasks:
    sign-off:
      title: Sign-off of a production release candidate
      responsible: product-owner
      accountable: dev-team
      quorum: 2
      checklist: [UAT signed off, Release notes shared]
      timeoutMinutes: 60
      onTimeout: reject
    hotfix-go:
      responsible: dev-team
      timeoutMinutes: 30
      onTimeout: abort
'''
    static final Map TICKED = ['UAT signed off': true, 'Release notes shared': true]
    Object step
    List<Map> mails = []
    List<Long> clock = []

    @BeforeEach
    void realEngine() {
        step = loadScript('approvalGate.groovy')
        Files.writeString(ws('deployflow.yaml'), CONFIG)
        helper.registerAllowedMethod('mail', [Map]) { Map a -> mails.add(a) }
        helper.registerAllowedMethod('now', []) { clock ? clock.remove(0) : 1_000_000L }
        cli = InProcessCli.in(this)
    }

    List<Map> ledger() {
        return Files.readAllLines(ws('.deployflow/ledger/ledger.jsonl')).collect {
            new groovy.json.JsonSlurper().parseText(it) as Map
        }
    }

    Map approve(String by, Map ticked = TICKED) {
        return [DECISION: 'approve', REASON: '', approver: by] + ticked
    }

    @Test
    void twoDistinctApprovalsMakeTheQuorumAndTheInputPageSaysWhatIsApproved() {
        Files.createDirectories(ws('deployflow-out'))
        Files.writeString(ws('deployflow-out/release-notes.html'), '<h1>notes</h1>')
        inputAnswers.addAll([approve('po1'), approve('dev2')])
        Map result = step.call(task: 'sign-off', message: 'Sign off fhir-gateway 1.3.0\nfor acme',
                details: 'fhir-gateway 1.2.0 → 1.3.0\nterminology 0.4.1')
        assertTrue(result.approved)
        assertEquals(['po1', 'dev2'], result.approvedBy)
        assertEquals('approved by po1, dev2 (2 of 2)', result.summary)
        assertPlain(result)
        assertEquals(['Sign-off-1', 'Sign-off-2'], inputCalls.collect { it.id })

        Map page = inputCalls[0]
        assertEquals('Sign off fhir-gateway 1.3.0 for acme', page.message, 'one line: Jenkins shows it as a heading')
        assertEquals('po1,po2,dev1,dev2,dev3', page.submitter)
        assertEquals('approver', page.submitterParameter)
        Map decision = page.parameters[0]
        assertEquals('DECISION', decision.name)
        assertEquals(['— choose —', 'approve', 'reject'], decision.choices, 'nothing preselected')
        assertTrue(decision.description.contains('fhir-gateway 1.2.0 → 1.3.0\nterminology 0.4.1'), decision.description)
        assertTrue(decision.description.contains('- Release notes: http://jenkins.example/job/release/42/artifact/' +
                'deployflow-out/release-notes.html'), decision.description)
        assertEquals(['UAT signed off', 'Release notes shared'],
                page.parameters.findAll { it.type == 'booleanParam' }.collect { it.name })
        assertEquals([type: 'text', name: 'REASON', defaultValue: '', description: 'Required to reject; kept in the' +
                ' record'], page.parameters.last())
        assertTrue(inputCalls[1].message.endsWith('(1 of 2 approvals (po1))'), inputCalls[1].message)

        List<Map> entries = ledger()
        assertEquals(['requested', 'approve', 'approve'], entries.collect { it.data.event })
        assertEquals('dev1', entries[0].data.startedBy, 'the build was started by dev1 (its build cause)')
        assertEquals('http://jenkins.example/job/release/42/', entries[1].data.build)
        assertEquals('sign-off: approved by po1, dev2 (2 of 2)', currentBuildVars.description)
        assertEquals('dev1', cliCalls[0].env.DEPLOYFLOW_USER, 'every CLI call knows who started the build')
    }

    @Test
    void whoStartedTheBuildAnOutsiderAndARepeatApproverDoNotCount() {
        inputAnswers.addAll([approve('dev1'), approve('admin'), approve('po1'), approve('po1'), approve('po2')])
        Map result = step.call(task: 'sign-off', maxRounds: 6)
        assertEquals(['po1', 'po2'], result.approvedBy)
        assertEquals(5, result.rounds)
        List<Map> answers = ledger().findAll { it.data.event == 'approve' }
        assertEquals([false, false, true, false, true], answers.collect { it.data.counted })
        assertTrue(answers[0].data.refused.startsWith('dev1 started this build and may not approve it'))
        assertTrue(answers[1].data.refused.startsWith('admin may not answer'), 'the engine refuses an administrator' +
                ' the input let through')
        assertTrue(answers[3].data.refused.startsWith('po1 has already approved'))
        assertTrue(inputCalls[1].parameters[0].description.contains('Not counted: dev1 started this build'),
                'the next approver sees why the last answer did not count')
    }

    @Test
    void anUntickedChecklistItemDoesNotCountAndSaysWhich() {
        inputAnswers.addAll([approve('po1', ['UAT signed off': true, 'Release notes shared': false]),
                             approve('po1'), approve('po2')])
        Map result = step.call(task: 'sign-off')
        assertTrue(result.approved)
        Map first = ledger().find { it.data.event == 'approve' }
        assertFalse(first.data.counted)
        assertTrue(first.data.refused.endsWith('unticked: Release notes shared'), first.data.refused)
        assertEquals(['UAT signed off'], first.data.checked)
    }

    @Test
    void aRejectionNeedsAReasonBeforeTheEngineIsAskedAndThenEndsTheGate() {
        inputAnswers.addAll([[DECISION: '— choose —', REASON: '', approver: 'po1'],
                             [DECISION: 'reject', REASON: '  ', approver: 'po1'],
                             [DECISION: 'reject', REASON: 'UAT found a blocker in patient search', approver: 'po1']])
        def e = assertThrows(PipelineError) { step.call(task: 'sign-off') }
        assertEquals('approvalGate sign-off: rejected by po1: UAT found a blocker in patient search', e.message)
        assertEquals(3, inputCalls.size())
        assertEquals(1, cliCalls.count { it.argv[0..1] == ['approval', 'check'] },
                '"choose" and a blank reason were refused by the step without using a round')
        assertTrue(inputCalls[2].parameters[0].description.contains('po1 chose reject without a reason'))
        assertEquals('UAT found a blocker in patient search', ledger().last().data.reason)

        inputAnswers.add([DECISION: 'reject', REASON: 'not today', approver: 'po2'])
        Map returned = step.call(task: 'sign-off', gate: 'st-mary', onReject: 'return')
        assertFalse(returned.approved)
        assertEquals('rejected', returned.status)
        assertEquals('po2', returned.decidedBy)
    }

    @Test
    void aTimeoutIsRecordedAsATimeoutAndMeansWhatTheTaskSays() {
        clock.addAll([0L, 0L, 60 * 60_000L, 60 * 60_000L])      // asked at 0; the input returns after 60 minutes
        inputAnswers.add(new InterruptedException('FlowInterruptedException stand-in: ExceededTimeout'))
        def e = assertThrows(PipelineError) { step.call(task: 'sign-off') }
        assertEquals('approvalGate sign-off: rejected by timeout: no decision within 1 hour', e.message,
                'onTimeout: reject')
        assertEquals(3600, helper.callStack.find { it.methodName == 'timeout' }.args[0].time)
        assertEquals(['requested', 'timeout'], ledger().collect { it.data.event })
    }

    @Test
    void anAbortIsRecordedApartFromATimeoutAndStopsTheBuild() {
        clock.addAll([0L, 0L, 5 * 60_000L])                     // aborted after 5 of 60 minutes
        InterruptedException abort = new InterruptedException('FlowInterruptedException stand-in: Rejection')
        inputAnswers.add(abort)
        def thrown = assertThrows(InterruptedException) { step.call(task: 'sign-off') }
        assertTrue(thrown.is(abort), 'the abort goes on up: the build ends ABORTED')
        Map last = ledger().last()
        assertEquals('abort', last.data.event)
        assertEquals('aborted', last.data.status)

        clock.addAll([0L, 0L, 30 * 60_000L])
        inputAnswers.add(new InterruptedException('timeout'))
        assertThrows(InterruptedException) { step.call(task: 'hotfix-go') }
        assertEquals(['timeout', 'timed-out'], [ledger().last().data.event, ledger().last().data.status],
                'onTimeout: abort stops the build, recorded as a timeout')
    }

    @Test
    void aFailedNotificationIsRecordedAndNeverFailsTheGate() {
        Files.writeString(ws('deployflow.yaml'), CONFIG + '''
notify:
  mail: true
  webhooks:
    - {name: release-channel, urlEnv: RELEASE_CHANNEL_URL}
''')
        helper.registerAllowedMethod('mail', [Map]) { Map a ->
            mails.add(a)
            throw new IOException('Could not connect to SMTP host: localhost, port: 25')
        }
        inputAnswers.addAll([approve('po1'), approve('po2')])
        Map result = step.call(task: 'sign-off')
        assertTrue(result.approved, 'the gate is approved although no notification got through')
        assertEquals('dev1@example.org,dev2@example.org,dev3@example.org', mails[0].to)
        assertTrue(mails[0].body.contains('http://jenkins.example/job/release/42/input/'), mails[0].body)
        assertEquals(2, mails.size(), 'asked, then the outcome')
        List<Map> told = ledger().findAll { it.type == 'notification' }
        Map webhook = told.find { it.data.channels[0].channel == 'release-channel' }
        assertEquals('failed', webhook.data.status)
        assertTrue(webhook.data.channels[0].detail.startsWith('no URL: the environment variable RELEASE_CHANNEL_URL'))
        Map mail = told.find { it.data.channels[0].channel == 'mail' }
        assertEquals('failed', mail.data.channels[0].outcome)
        assertEquals('Could not connect to SMTP host: localhost, port: 25', mail.data.channels[0].detail)
        assertTrue(echoes.any { it.contains('a channel failed (exit 3); it is recorded, the approval goes on') })
    }

    @Test
    void withoutConfiguredChannelsNothingIsSent() {
        inputAnswers.addAll([approve('po1'), approve('po2')])
        step.call(task: 'sign-off')
        assertEquals([], mails, 'no mail step without notify.mail: nothing to show as failed')
        assertFalse(cliCalls.any { it.argv[0] == 'notify' })
    }

    @Test
    void answersWithoutTheFormAreAskedAgainWithoutARound() {
        inputAnswers.addAll(['po1', null, approve('dev2'), approve('po1')])
        Map result = step.call(task: 'sign-off', id: 'Go')
        assertEquals(['Go-1', 'Go-2', 'Go-3', 'Go-4'], inputCalls.collect { it.id })
        assertEquals(2, result.rounds)
        assertTrue(result.approved)
    }

    @Test
    void anUnknownTaskFailsTheStepAsBadInput() {
        def e = assertThrows(PipelineError) { step.call(task: 'sign-of') }
        assertTrue(e.message.startsWith('deployflow approval open sign-of: bad input (exit 2)'), e.message)
        assertTrue(echoes.any { it.contains("approval.tasks: unknown task 'sign-of'; did you mean 'sign-off'?") })
        assertEquals([], inputCalls)
    }

    @Test
    void aTimerBuildIsStartedByTheTimer() {
        buildCauses = [[_class: 'hudson.triggers.TimerTrigger$TimerTriggerCause', shortDescription: 'Started by timer']]
        inputAnswers.addAll([approve('po1'), approve('po2')])
        step.call(task: 'sign-off')
        assertEquals('timer', ledger()[0].data.startedBy)
        assertEquals('timer', cliCalls[0].env.DEPLOYFLOW_USER)
    }
}
