package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.time.LocalDate
import java.time.ZoneOffset

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * promote with the real engine: every CLI call runs through deployflow's Main in this JVM against a real ledger
 * in the workspace, so the criteria are judged as in a real build. Only Jenkins is simulated.
 */
class PromoteStepTest extends VarsTestBase {
    /** Production is frozen from yesterday to tomorrow (UTC), whenever the test runs. */
    static String config() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC)
        return """
team:
  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
components:
  - {name: fhir-gateway, repo: 'file:///nowhere/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
customers:
  - {name: acme, repo: 'file:///nowhere/acme'}
approval:
  roles:
    ops: [ops1]
  tasks:
    emergency-promotion: {responsible: ops}
promotion:
  override: emergency-promotion
  environments:
    - name: SIT
      routes: smoke/sit.yaml
      baseUrl: http://sit.example.org
      target: sit-stack
    - name: UAT
      requires: {releaseNotes: true}
    - name: Production
      timeZone: Europe/London
      freeze:
        - {from: "${today.minusDays(1)} 00:00", until: "${today.plusDays(1)} 23:00", reason: change freeze}
"""
    }

    Object step
    List<Map> smokeRuns = []

    @BeforeEach
    void realEngine() {
        step = loadScript('promote.groovy')
        Files.writeString(ws('deployflow.yaml'), config())
        Closure<Integer> real = InProcessCli.in(this)
        // the smoke routes would need a running service: the smoke call is answered as a passing run would be
        cli = { List<String> argv ->
            if (argv[0] == 'smoke') {
                smokeRuns.add([routes: opt(argv, '--routes'), baseUrl: opt(argv, '--base-url')])
                writeFixture(argv, '--junit', 'smoke-junit.xml')
                writeFixture(argv, '--json', 'smoke-passed.json')
                return 0
            }
            return real.call(argv)
        }
    }

    List<Map> ledger() {
        return Files.readAllLines(ws('.deployflow/ledger/ledger.jsonl')).collect {
            new groovy.json.JsonSlurper().parseText(it) as Map
        }
    }

    @Test
    void whenEveryCriterionHoldsTheBlockRunsWithTheEnvironmentAndTheDeploymentIsRecorded() {
        List<Map> deployed = []
        Map result = step.call(service: 'fhir-gateway', version: '1.3.0', to: 'SIT') { Map environment ->
            deployed.add(environment)
        }
        assertPlain(result)
        assertTrue(result.deployed)
        assertEquals([[name: 'SIT', target: 'sit-stack', routes: 'smoke/sit.yaml', baseUrl: 'http://sit.example.org',
                       timeZone: 'Z', production: false, service: 'fhir-gateway', version: '1.3.0', customer: null,
                       image: '127.0.0.1:5000/fhir/fhir-gateway:1.3.0']], deployed)
        assertEquals([[routes: 'smoke/sit.yaml', baseUrl: 'http://sit.example.org']], smokeRuns,
                'the environment\'s smoke routes ran after the block')
        assertEquals(['started', 'deployed'], ledger().collect { it.data.event })
        assertEquals('http://jenkins.example/job/release/42/', ledger()[1].data.build)
        assertEquals('fhir-gateway 1.3.0 → SIT: deployed', currentBuildVars.description)
        assertTrue(echoes.any { it.contains('PASS       freeze: not in a freeze window') }, echoes.join('\n'))
    }

    @Test
    void anUnmetCriterionRefusesNamingItAndTheBlockNeverRuns() {
        boolean ran = false
        def e = assertThrows(PipelineError) {
            step.call(service: 'fhir-gateway', version: '1.3.0', to: 'UAT') { ran = true }
        }
        assertEquals('promote fhir-gateway 1.3.0 → UAT: refused; unmet: previous-environment, release-notes',
                e.message)
        assertFalse(ran)
        assertEquals(['refused'], ledger().collect { it.data.event })
        assertTrue(echoes.any { it.contains('FAIL       release-notes: no record that release notes were shared') })
    }

    @Test
    void evidenceAndThePreviousEnvironmentLetTheNextPromotionThrough() {
        step.call(service: 'fhir-gateway', version: '1.3.0', to: 'SIT') { }
        Map evidence = step.evidence(kind: 'release-notes', service: 'fhir-gateway', version: '1.3.0',
                link: 'https://wiki.example.org/notes/1.3.0')
        assertEquals('release-notes', evidence.data.kind)
        Map result = step.call(service: 'fhir-gateway', version: '1.3.0', to: 'UAT', smoke: false) { }
        assertEquals(['previous-environment', 'release-notes', 'freeze'], result.criteria.collect { it.name })
        assertTrue(result.criteria.every { it.status == 'PASS' })
    }

    @Test
    void aFailingBlockIsRecordedAsAFailedDeploymentAndFailsTheBuild() {
        def e = assertThrows(PipelineError) {
            step.call(service: 'fhir-gateway', version: '1.3.0', to: 'SIT') { throw new PipelineError('compose up failed') }
        }
        assertEquals('compose up failed', e.message)
        Map last = ledger().last()
        assertEquals('failed', last.data.event)
        assertEquals('compose up failed', last.data.reason)
        assertEquals([], smokeRuns, 'no smoke tests after a failed deployment')
    }

    @Test
    void anEmergencyOverrideIsAskedAtItsOwnApprovalAndRecorded() {
        step.call(service: 'fhir-gateway', version: '1.3.0', to: 'SIT') { }
        step.call(service: 'fhir-gateway', version: '1.3.0', to: 'UAT', smoke: false,
                  evidence: [releaseNotes: 'https://wiki.example.org/notes/1.3.0']) { }
        Map shared = ledger().find { it.type == 'evidence' }
        assertEquals([kind: 'release-notes', service: 'fhir-gateway', version: '1.3.0', environment: 'UAT',
                      link: 'https://wiki.example.org/notes/1.3.0', note: ''], shared.data)
        inputAnswers.add([DECISION: 'approve', REASON: '', approver: 'ops1'])
        boolean ran = false
        Map result = step.call(service: 'fhir-gateway', version: '1.3.0', to: 'Production', emergency: true) {
            ran = true
        }
        assertTrue(ran)
        assertEquals('Emergency-Production-1', inputCalls[0].id)
        assertTrue(inputCalls[0].message.startsWith('Emergency promotion of fhir-gateway 1.3.0 → Production despite:'
                + ' freeze'), inputCalls[0].message)
        assertEquals('ops1', inputCalls[0].submitter)
        assertEquals(['ops1'], result.override.approvedBy)
        assertEquals('OVERRIDDEN', result.criteria.find { it.name == 'freeze' }.status)
        List<Map> promotions = ledger().findAll { it.type == 'promotion' && it.data.environment == 'Production' }
        assertEquals(['refused', 'started', 'deployed'], promotions.collect { it.data.event })
        assertEquals('emergency-promotion', promotions[2].data.override.task)
        assertTrue(currentBuildVars.description.endsWith('fhir-gateway 1.3.0 → Production: deployed (emergency' +
                ' override)'), currentBuildVars.description)
    }

    @Test
    void aRejectedOverrideLeavesThePromotionRefused() {
        inputAnswers.add([DECISION: 'reject', REASON: 'wait for January', approver: 'ops1'])
        def e = assertThrows(PipelineError) {
            step.call(service: 'fhir-gateway', version: '1.3.0', to: 'Production', emergency: true) { }
        }
        assertTrue(e.message.startsWith('promote fhir-gateway 1.3.0 → Production: refused; unmet:'), e.message)
        assertNull(ledger().find { it.data.event == 'started' })
    }

    @Test
    void theEnvironmentsComeInTheirOrderWithTheirSettings() {
        List environments = step.environments()
        assertPlain(environments)
        assertEquals(['SIT', 'UAT', 'Production'], environments.collect { it.name })
        assertEquals([false, false, true], environments.collect { it.production })
        assertEquals('sit-stack', environments[0].target)
        assertEquals('Europe/London', environments[2].timeZone)
    }

    @Test
    void withAskTheApprovalsNobodyGaveYetAreAskedAndThePromotionGoesOn() {
        Files.writeString(ws('deployflow.yaml'), config().replace('ops: [ops1]', 'ops: [ops1]\n    po: [po1]')
                .replace('emergency-promotion: {responsible: ops}',
                         'emergency-promotion: {responsible: ops}\n    uat-sign-off: {responsible: po}')
                .replace('requires: {releaseNotes: true}', 'requires: {approvals: [uat-sign-off]}'))
        step.call(service: 'fhir-gateway', version: '1.3.0', to: 'SIT', smoke: false) { }
        inputAnswers.add([DECISION: 'approve', REASON: '', approver: 'po1'])
        boolean ran = false
        Map result = step.call(service: 'fhir-gateway', version: '1.3.0', to: 'UAT', ask: true) { ran = true }
        assertTrue(ran)
        assertEquals(['Uat-sign-off-fhir-gateway-1'], inputCalls.collect { it.id.toString() })
        assertTrue(inputCalls[0].message.contains('uat-sign-off: fhir-gateway 1.3.0 → UAT'), inputCalls[0].message)
        assertEquals('PASS', result.criteria.find { it.name == 'approval:uat-sign-off' }.status)
        Map answer = ledger().find { it.type == 'approval' && it.data.event == 'approve' }
        assertEquals(['po1', 'fhir-gateway@1.3.0'], [answer?.data?.by, answer?.data?.gate],
                'the sign-off is recorded under the version\'s gate')
        List<String> events = ledger().findAll { it.type == 'promotion' && it.data.environment == 'UAT' }
                .collect { it.data.event }
        assertEquals(['started', 'deployed'], events, 'asked before starting: no refusal recorded')
    }

    @Test
    void withAskSomeoneConfirmsTheNotesWereSharedAndTheLedgerNamesThem() {
        step.call(service: 'fhir-gateway', version: '1.3.0', to: 'SIT', smoke: false) { }
        inputAnswers.add([LINK: 'https://wiki.example.org/notes/1.3.0', approver: 'po1'])
        Map result = step.call(service: 'fhir-gateway', version: '1.3.0', to: 'UAT', ask: true) { }
        assertEquals(['Release-notes-UAT-fhir-gateway'], inputCalls.collect { it.id.toString() })
        assertEquals('approver', inputCalls[0].submitterParameter)
        assertTrue(inputCalls[0].message.startsWith('Release notes shared for fhir-gateway 1.3.0 → UAT'),
                inputCalls[0].message)
        Map shared = ledger().find { it.type == 'evidence' }
        assertEquals(['https://wiki.example.org/notes/1.3.0', 'UAT', 'confirmed by po1 in the promotion'],
                [shared.data.link, shared.data.environment, shared.data.note])
        // the ledger takes its user from DEPLOYFLOW_USER (the in-process CLI here has the JVM's own environment)
        Map call = cliCalls.find { it.argv[0..1] == ['promote', 'evidence'] }
        assertEquals('po1', call.env.DEPLOYFLOW_USER, 'recorded as the confirmer\'s')
        assertEquals('PASS', result.criteria.find { it.name == 'release-notes' }.status)
    }

    @Test
    void withAskARejectedApprovalStillRefusesAndAFreezeIsNotAskedAbout() {
        Files.writeString(ws('deployflow.yaml'), config().replace('ops: [ops1]', 'ops: [ops1]\n    po: [po1]')
                .replace('emergency-promotion: {responsible: ops}',
                         'emergency-promotion: {responsible: ops}\n    uat-sign-off: {responsible: po}')
                .replace('requires: {releaseNotes: true}', 'requires: {approvals: [uat-sign-off], previous: false}'))
        inputAnswers.add([DECISION: 'reject', REASON: 'UAT found a blocker', approver: 'po1'])
        def e = assertThrows(PipelineError) {
            step.call(service: 'fhir-gateway', version: '1.3.0', to: 'UAT', ask: true) { }
        }
        assertEquals('promote fhir-gateway 1.3.0 → UAT: refused; unmet: approval:uat-sign-off', e.message)
        assertEquals(1, inputCalls.size())
        // Production is frozen: asking approvals cannot help, so nothing is asked
        inputCalls.clear()
        assertThrows(PipelineError) {
            step.call(service: 'fhir-gateway', version: '1.3.0', to: 'Production', ask: true) { }
        }
        assertEquals([], inputCalls)
    }

    @Test
    void anUnknownEnvironmentIsBadInputNamingTheConfigLine() {
        def e = assertThrows(PipelineError) { step.call(service: 'fhir-gateway', version: '1.3.0', to: 'Prod') { } }
        assertTrue(e.message.contains('bad input (exit 2)'), e.message)
        assertTrue(echoes.any { it.contains("deployflow.yaml:16: promotion.environments: unknown environment 'Prod'")
        }, echoes.join('\n'))
    }
}
