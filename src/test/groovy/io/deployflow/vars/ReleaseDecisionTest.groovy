package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class ReleaseDecisionTest extends ConfiguredStepTestBase {
    Object step
    Set<String> deciders = ['dev1'] as Set
    List<Map> mails = []
    Map prepResult

    static final String CONFIG = '''
team:
  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
components:
  - {name: fhir-gateway, repo: 'file:///nowhere/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
  - {name: terminology, repo: 'file:///nowhere/terminology', image: 127.0.0.1:5000/fhir/terminology}
customers:
  - {name: acme, repo: 'file:///nowhere/acme', contacts: [ops@acme.example]}
decision: {deciders: [dev1]}
'''

    /** The decisions the engine was asked for (the gate's own `approval` and `notify` calls left out). */
    List<List<String>> decisions() {
        return argvs().findAll { it[0] == 'decision' }
    }

    List<Map> ledger() {
        return Files.readAllLines(ws('.deployflow/ledger/ledger.jsonl')).collect {
            new groovy.json.JsonSlurper().parseText(it) as Map
        }
    }

    @BeforeEach
    void fakeCli() {
        step = loadScript('releaseDecision.groovy')
        helper.registerAllowedMethod('mail', [Map]) { Map a -> mails.add(a) }
        Files.writeString(ws('deployflow.yaml'), CONFIG)
        Closure<Integer> engine = InProcessCli.in(this)
        cli = { List<String> argv ->
            if (argv[0] in ['approval', 'notify']) {
                return engine(argv)     // the gate: who may decide, the channels, the ledger
            }
            assertEquals('decision', argv[0])
            if (!deciders.contains(opt(argv, '--by'))) {
                return 2     // the engine: not a configured decider
            }
            writeFixture(argv, '--json', 'decision.json', ['@CHOICE@': opt(argv, '--choice'), '@BY@': opt(argv, '--by'),
                                                           '@REASON@': opt(argv, '--reason')])
            return 0
        }
        Map smoke = new groovy.json.JsonSlurper().parse(FIXTURES.resolve('smoke-failed.json').toFile())
        List failures = smoke.routes.findAll { !it.passed }.collect {
            [route: it.name, component: it.component, repoPerson: it.repoPerson, message: it.message]
        }
        Files.createDirectories(ws('deployflow-out/acme'))
        Files.copy(FIXTURES.resolve('smoke-failed.json'), ws('deployflow-out/acme/smoke.json'))
        prepResult = [passed: false, failures: failures, report: 'deployflow-out/acme/smoke.json',
                      composeFile: 'customers/acme/docker-compose.yml']
    }

    /** The engine's decision record comes from this fixture; the gate's own calls still go to the real engine. */
    void decidedFrom(String fixture, String result) {
        Closure<Integer> gate = cli
        cli = { List<String> argv ->
            if (argv[0] != 'decision') {
                return gate(argv)
            }
            writeFixture(argv, '--json', fixture, ['@RESULT@': result])
            return 0
        }
    }

    @Test
    void namesTheFailuresAsksADeciderAndRecordsTheDecision() {
        inputAnswers.add([DECISION: 'release-without', REASON: "terminology can't wait", approver: 'dev1'])
        Map decision = step.call(failures: prepResult, customer: 'acme', deciders: ['dev1'])
        assertEquals([['decision', '--config', 'deployflow.yaml', '--customer', 'acme', '--choice', 'release-without',
                       '--by', 'dev1', '--reason', "terminology can't wait",
                       '--failures', 'deployflow-out/acme/smoke.json',
                       '--component', 'fhir-gateway', '--component', 'terminology',
                       '--file', 'customers/acme/docker-compose.yml',
                       '--json', 'deployflow-out/acme/decision-1.json']], decisions())
        assertEquals('release-without', decision.decision)
        assertEquals('dev1', decision.by)
        assertEquals("terminology can't wait", decision.record.reason)
        assertEquals(['fhir-gateway', 'terminology'], decision.components)
        assertEquals([[component: 'fhir-gateway', from: '1.3.0', to: '1.2.0']], decision.reverted)
        assertEquals('portainer', decision.next)
        assertPlain(decision)

        Map asked = inputCalls[0]
        assertEquals('Decide-1', asked.id)
        assertEquals('approver', asked.submitterParameter)
        assertEquals('dev1', asked.submitter)
        assertEquals('Release for acme failed: decide what happens', asked.message, 'one line, not the whole report')
        assertEquals(['— choose —', 'retry', 'release-with-error', 'release-without', 'do-not-release'],
                asked.parameters[0].choices, 'nothing preselected')
        assertEquals(['DECISION', 'REASON'], asked.parameters.collect { it.name })
        assertEquals('Required: why (kept in the record)', asked.parameters[1].description)
        String details = asked.parameters[0].description
        assertTrue(details.contains('\n- fhir-gateway (route patient-create): Developer Two <dev2@example.org> - ' +
                'expected status 201, got 500') && details.contains('\n- terminology (route valueset-expand): '),
                'the failures, line by line, in the description: ' + details)
        assertTrue(details.contains('- Smoke report: http://jenkins.example/job/release/42/artifact/' +
                'deployflow-out/acme/smoke.json'), details)
        assertTrue(echoes[0].contains('- terminology (route valueset-expand): Outside Contributor <oc@elsewhere.example>'))
    }

    @Test
    void withoutConfiguredChannelsNobodyIsMailedAndNothingShowsAsFailed() {
        inputAnswers.add([DECISION: 'retry', REASON: 'fix coming', approver: 'dev1'])
        step.call(failures: prepResult, customer: 'acme')
        assertEquals([], mails)
        assertTrue(cliCalls.every { it.argv[0] != 'notify' })
    }

    @Test
    void theRepoPersonsAreMailedAndAMissingMailerIsNoReasonToStop() {
        Files.writeString(ws('deployflow.yaml'), CONFIG + 'notify: {mail: true}\n')
        inputAnswers.add([DECISION: 'retry', REASON: 'fix coming', approver: 'dev1'])
        step.call(failures: prepResult, customer: 'acme')
        assertEquals('dev2@example.org,oc@elsewhere.example,dev1@example.org', mails[0].to,
                'the repo-persons and the deciders')
        assertTrue(mails[0].body.contains('the release for acme did not pass its tests'), mails[0].body)
        assertTrue(mails[0].body.contains('- fhir-gateway (route patient-create): Developer Two'), mails[0].body)
        assertTrue(mails[0].body.contains('http://jenkins.example/job/release/42/input/'), mails[0].body)
        assertEquals([to: 'ops@acme.example', subject: 'acme: release 2026-11-23 without fhir-gateway',
                      body: 'fhir-gateway stays at 1.2.0'], mails[1], 'the engine\'s notifications are sent too')

        helper.registerAllowedMethod('mail', [Map]) { Map a -> throw new NoSuchMethodError("No such DSL method 'mail'") }
        inputAnswers.add([DECISION: 'retry', REASON: 'again', approver: 'dev1'])
        Map decision = step.call(failures: prepResult, customer: 'acme')
        assertEquals('retry', decision.decision)
        assertTrue(echoes.any { it.startsWith('Mail to dev2@example.org, oc@elsewhere.example, dev1@example.org not' +
                ' sent') }, echoes.join('\n'))
        Map recorded = ledger().findAll { it.type == 'notification' }.last()
        assertEquals('failed', recorded.data.status, 'the failed mail is recorded')
    }

    @Test
    void anApproverWhoIsNotADeciderIsAskedAgainUnderANewId() {
        inputAnswers.add([DECISION: 'release-with-error', REASON: 'admin says so', approver: 'admin'])
        inputAnswers.add([DECISION: 'do-not-release', REASON: 'too risky', approver: 'dev1'])
        Map decision = step.call(failures: prepResult, customer: 'acme')
        assertEquals(['Decide-1', 'Decide-2'], inputCalls.collect { it.id })
        assertEquals('do-not-release', decision.decision)
        assertEquals(2, decision.round)
        assertTrue(echoes.any { it.contains('refused the decision by admin') })
        assertTrue(inputCalls[1].parameters[0].description.contains('The decision by admin was refused'),
                'the next page says why')
    }

    @Test
    void nonMapAnswersAreToleratedAndAskedAgain() {
        inputAnswers.add('dev1')      // "Proceed" without the form: only the submitter comes back
        inputAnswers.add(null)        // nothing at all
        inputAnswers.add([DECISION: '— choose —', REASON: 'x', approver: 'dev1'])
        inputAnswers.add([DECISION: 'retry', REASON: ' ', approver: 'dev1'])
        inputAnswers.add([DECISION: 'retry', REASON: 'fix by noon', approver: 'dev1'])
        Map decision = step.call(failures: prepResult.failures, customer: 'acme', inputId: 'Decide-acme')
        assertEquals((1..5).collect { "Decide-acme-${it}".toString() }, inputCalls.collect { it.id })
        assertEquals('retry', decision.decision)
        assertEquals(1, decision.round, 'no decision, "choose" and a blank reason use no round')
        assertEquals(1, decisions().size(), 'the engine is asked only once there is a decision with a reason')
        assertTrue(inputCalls[4].parameters[0].description.contains('dev1 chose retry without a reason'))
        // a bare failure list has no smoke report: the step writes the failures themselves for the engine
        assertEquals('deployflow-out/acme/failures.json', opt(decisions()[0], '--failures'))
        Map written = new groovy.json.JsonSlurper().parse(ws('deployflow-out/acme/failures.json').toFile())
        assertEquals(prepResult.failures.collect { [it.route, false, it.component, it.repoPerson?.email] },
                written.routes.collect { [it.name, it.passed, it.component, it.repoPerson?.email] })
        assertEquals(null, opt(decisions()[0], '--file'), 'no compose file was named')
    }

    @Test
    void theRoundsAreBounded() {
        3.times { inputAnswers.add([DECISION: 'release-with-error', REASON: 'x', approver: 'intruder']) }
        def e = assertThrows(PipelineError) { step.call(failures: prepResult, customer: 'acme') }
        assertEquals('releaseDecision acme: no accepted decision after 3 rounds', e.message)
        assertEquals(3, decisions().size())
    }

    @Test
    void aTimeoutOrAbortPropagates() {
        inputAnswers.add(new InterruptedException('FlowInterruptedException stand-in: timeout'))
        assertThrows(InterruptedException) { step.call(failures: prepResult, customer: 'acme', timeoutMinutes: 5) }
        assertEquals([], decisions())
        assertEquals(['requested', 'abort'], ledger().collect { it.data.event }, 'the abort is recorded')
        assertEquals(5, helper.callStack.find { it.methodName == 'timeout' }.args[0].time)
        assertTrue(echoes.contains('The decision for acme was aborted: nothing is released'), echoes.join('\n'))
    }

    @Test
    void aTimeoutIsToldApartFromAnAbortByTheTimeItTook() {
        List<Long> clock = [1_000_000L, 1_000_000L + 30 * 60_000L]     // asked, then 30 minutes later
        helper.registerAllowedMethod('now', []) { clock.remove(0) }
        inputAnswers.add(new InterruptedException('FlowInterruptedException stand-in: timeout'))
        assertThrows(InterruptedException) { step.call(failures: prepResult, customer: 'acme', timeoutMinutes: 30) }
        assertTrue(echoes.contains('No decision for acme within 30 minutes: nothing is released'), echoes.join('\n'))
        assertEquals('timeout', ledger().last().data.event)

        clock.addAll([5_000_000L, 5_000_000L + 29 * 60_000L])
        inputAnswers.add(new InterruptedException('FlowInterruptedException stand-in: abort'))
        assertThrows(InterruptedException) { step.call(failures: prepResult, customer: 'acme', timeoutMinutes: 30) }
        assertTrue(echoes.contains('The decision for acme was aborted: nothing is released'), echoes.join('\n'))
    }

    @Test
    void anOutsideFailureOfTheEngineIsAnError() {
        Closure<Integer> gate = cli
        cli = { List<String> argv -> argv[0] == 'decision' ? 3 : gate(argv) }
        inputAnswers.add([DECISION: 'retry', REASON: 'x', approver: 'dev1'])
        def e = assertThrows(PipelineError) { step.call(failures: prepResult, customer: 'acme') }
        assertTrue(e.message.contains('decision acme: an outside system failed (exit 3)'), e.message)
    }

    @Test
    void productionFileCacheAndGitCredentialsReachTheEngine() {
        inputAnswers.add([DECISION: 'release-without', REASON: 'later', approver: 'dev1'])
        step.call(failures: prepResult, customer: 'acme', file: 'other/docker-compose.yml', cache: '/var/cache/df',
                productionFile: 'prod/docker-compose.yml', gitCredentialsId: 'git-creds')
        Map call = cliCalls.find { it.argv[0] == 'decision' }
        List<String> argv = call.argv
        assertEquals('other/docker-compose.yml', opt(argv, '--file'))
        assertEquals('prod/docker-compose.yml', opt(argv, '--production-file'))
        assertEquals('/var/cache/df', opt(argv, '--cache'))
        assertEquals(password('git-creds'), call.env.DEPLOYFLOW_GIT_PASSWORD)
    }

    @Test
    void releaseWithoutReturnsThePlanAsItGoesOnAndMarksTheBuildUnstableSayingWhatWasHeldBack() {
        decidedFrom('decision-held-back.json', 'UNSTABLE')
        inputAnswers.add([DECISION: 'release-without', REASON: 'terminology paging broken', approver: 'dev1'])
        Map plan = [meetingDate: '2026-11-23', components: [[name: 'terminology', hasChanges: true]]]
        Map decision = step.call(failures: prepResult, customer: 'acme', plan: plan)

        assertEquals('deployflow-out/acme/plan.json', opt(decisions()[0], '--plan'))
        assertEquals('0.4.0', decision.plan.components[0].releaseVersion)
        assertEquals('terminology paging broken', decision.plan.components[0].heldBack.reason)
        assertEquals('UNSTABLE', currentBuildVars.result)
        assertTrue(currentBuildVars.description.contains('released without terminology (stays at 0.4.0)'),
                currentBuildVars.description)
        assertEquals('dev1', inputCalls[0].submitter, 'the deciders come from deployflow.yaml')
        assertPlain(decision)
    }

    @Test
    void notReleasingIsAFailureThatLetsTheBuildGoOn() {
        decidedFrom('decision-held-back.json', 'FAILURE')
        inputAnswers.add([DECISION: 'do-not-release', REASON: 'x', approver: 'dev1'])
        Map decision = step.call(failures: prepResult, customer: 'acme')
        assertEquals('FAILURE', currentBuildVars.result)
        assertEquals('do-not-release', decision.decision, 'the step returns: other customers can still be released')
    }

    @Test
    void aDecisionForTheReleaseAsAWholeNamesNoCustomer() {
        inputAnswers.add([DECISION: 'release-without', REASON: 'image never built', approver: 'dev1'])
        List failures = [[component: 'fhir-gateway', route: null, message: 'release failed: image did not appear',
                          repoPerson: [id: 'dev2', name: 'Developer Two', email: 'dev2@example.org']]]
        step.call(failures: failures, plan: 'in/plan.json', inputId: 'Decide-release')

        List<String> argv = decisions()[0]
        assertEquals(null, opt(argv, '--customer'))
        assertEquals('in/plan.json', opt(argv, '--plan'))
        assertEquals(['fhir-gateway'], argv.findIndexValues { it == '--component' }.collect { argv[(int) it + 1] })
        assertEquals('deployflow-out/release/decision-1.json', opt(argv, '--json'))
        assertEquals('dev1', inputCalls[0].submitter)
        assertEquals(['config', 'show', '--config', 'deployflow.yaml', '--json', 'deployflow-out/release/config-all.json'],
                configShows[0])
        assertEquals('The release failed: decide what happens', inputCalls[0].message)
        String details = inputCalls[0].parameters[0].description
        assertTrue(details.contains('The release failed:\n- fhir-gateway: Developer Two'), details)
    }
}
