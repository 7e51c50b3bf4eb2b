package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class ReleaseMeetingTest extends ConfiguredStepTestBase {
    Object step
    String planFixture = 'plan.json'
    Map<String, Integer> exitCodes = [:]
    List archived = []

    @BeforeEach
    void fakeCli() {
        step = loadScript('releaseMeeting.groovy')
        helper.registerAllowedMethod('archiveArtifacts', [Map]) { Map a -> archived.addAll(a.artifacts.split(',')) }
        cli = { List<String> argv ->
            int code = exitCodes.getOrDefault(argv[0], 0)
            if (code == 0 && argv[0] == 'release-meeting') {
                writeFixture(argv, '--json', planFixture)
            }
            if (code == 0 && argv[0] == 'release-notes') {
                assertTrue(Files.exists(ws(opt(argv, '--plan'))), 'notes are made from the plan just written')
                Files.writeString(ws(opt(argv, '--out')), '# notes')
            }
            return code
        }
    }

    @Test
    void runsTheMeetingThenTheNotesAndArchivesBoth() {
        Map plan = step.call(config: 'ci/deployflow.yaml', date: '2026-11-23', cache: '/var/cache/df')
        assertEquals([['release-meeting', '--config', 'ci/deployflow.yaml', '--date', '2026-11-23',
                       '--cache', '/var/cache/df', '--json', 'deployflow-out/plan.json'],
                      ['release-notes', '--config', 'ci/deployflow.yaml', '--plan', 'deployflow-out/plan.json',
                       '--out', 'deployflow-out/release-notes.md']], argvs())
        assertEquals(['deployflow-out/plan.json', 'deployflow-out/release-notes.md'], archived)
        assertEquals('2026-11-23', plan.meetingDate)
        assertPlain(plan)
    }

    @Test
    void theDescriptionIsOneLineSayingWhoReleasesWhat() {
        step.call()
        assertEquals('2 to release: fhir-gateway 1.3.0 (dev2), terminology 0.4.1 (unknown oc@elsewhere.example); ' +
                'acme→dev3, st-mary→dev1', currentBuildVars.description)
        assertFalse(currentBuildVars.description.contains('\n'))
    }

    @Test
    void componentsWhoseChangesNeedNoReleaseAreNamedButNotCountedAsReleasing() {
        planFixture = 'plan-no-release-needed.json'     // terminology got only a docs: commit
        Map plan = step.call()
        assertEquals(false, plan.components[1].releaseNeeded)
        assertEquals('1 to release: fhir-gateway 1.3.0 (dev2); no release needed: terminology; acme→dev3, st-mary→dev1',
                currentBuildVars.description)
    }

    @Test
    void aMeetingWithNothingToReleaseSaysSo() {
        planFixture = 'plan-nothing.json'
        step.call()
        assertEquals('nothing to release; acme→dev1', currentBuildVars.description)
    }

    @Test
    void bothNoteFormatsOnRequest() {
        step.call(notes: 'both')
        assertEquals(['release-meeting', 'release-notes', 'release-notes'], commandsRun())
        assertEquals(['deployflow-out/release-notes.md', 'deployflow-out/release-notes.html'],
                argvs().drop(1).collect { opt(it, '--out') })
        assertThrows(IllegalArgumentException) { step.call(notes: 'pdf') }
    }

    @Test
    void gitCredentialsReachTheCliOnlyThroughTheEnvironment() {
        step.call(gitCredentialsId: 'git-creds')
        assertEquals(password('git-creds'), cliCalls[0].env.DEPLOYFLOW_GIT_PASSWORD)
        assertEquals('gitUser', cliCalls[0].env.DEPLOYFLOW_GIT_USERNAME)
        assertEquals(null, cliCalls[1].env.DEPLOYFLOW_GIT_PASSWORD, 'only the meeting needs git access')
    }

    /** confirm: goes through approvalGate, whose `approval` calls run the real engine in process. */
    void withTheApprovalEngine() {
        Files.writeString(ws('deployflow.yaml'), '''
team:
  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
  - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
components:
  - {name: fhir-gateway, repo: 'file:///nowhere/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
customers:
  - {name: acme, repo: 'file:///nowhere/acme'}
''')
        Closure<Integer> meeting = cli
        Closure<Integer> engine = InProcessCli.in(this)
        cli = { List<String> argv -> argv[0] in ['approval', 'notify'] ? engine(argv) : meeting(argv) }
    }

    List<Map> ledger() {
        return Files.readAllLines(ws('.deployflow/ledger/ledger.jsonl')).collect {
            new groovy.json.JsonSlurper().parseText(it) as Map
        }
    }

    @Test
    void confirmAsksTheTeamOnTheGatesPageAndRecordsWhoConfirmed() {
        withTheApprovalEngine()
        inputAnswers.add([DECISION: 'approve', REASON: '', approver: 'dev2'])
        Map plan = step.call(confirm: true)
        Map page = inputCalls[0]
        assertEquals('Confirm-plan-1', page.id)
        assertEquals('dev1,dev2,dev3', page.submitter, 'the built-in task release-plan: the team')
        assertEquals('approver', page.submitterParameter)
        assertFalse(page.message.contains('\n'))
        assertTrue(page.parameters[0].description.contains('fhir-gateway: 1.2.0 → 1.3.0, released by dev2\n'),
                page.parameters[0].description)
        assertTrue(page.parameters[0].description.contains('- Release notes: http://jenkins.example/job/release/42/' +
                'artifact/deployflow-out/release-notes.md'), page.parameters[0].description)
        assertTrue(currentBuildVars.description.contains('(confirmed by dev2)'), currentBuildVars.description)
        assertEquals(['requested', 'approve'], ledger().collect { it.data.event })
        assertEquals('release-plan', ledger()[1].data.task)
        assertPlain(plan)
    }

    @Test
    void someoneInNoRoleCannotConfirmThePlan() {
        withTheApprovalEngine()
        // bob has Build permission, so Jenkins lets him answer; he is in no role, so the engine refuses him
        inputAnswers.addAll([[DECISION: 'approve', REASON: '', approver: 'bob'],
                             [DECISION: 'approve', REASON: '', approver: 'dev1']])
        step.call(confirm: true)
        assertEquals(['Confirm-plan-1', 'Confirm-plan-2'], inputCalls.collect { it.id })
        assertEquals([false, true], ledger().findAll { it.data.event == 'approve' }.collect { it.data.counted })
        assertTrue(currentBuildVars.description.contains('(confirmed by dev1)'), currentBuildVars.description)
    }

    @Test
    void anAbortedConfirmationIsRecordedAndStopsTheStep() {
        withTheApprovalEngine()
        inputAnswers.add(new InterruptedException('aborted by dev3'))
        assertThrows(InterruptedException) { step.call(confirm: true) }
        assertEquals('abort', ledger().last().data.event)
    }

    @Test
    void badInputAndOutsideFailuresFailTheBuildBeforeAnyNotes() {
        exitCodes['release-meeting'] = 2
        def bad = assertThrows(PipelineError) { step.call() }
        assertTrue(bad.message.contains('release-meeting: bad input (exit 2)'), bad.message)
        assertEquals(['release-meeting'], commandsRun())

        exitCodes['release-meeting'] = 3
        def outside = assertThrows(PipelineError) { step.call() }
        assertTrue(outside.message.contains('outside system failed (exit 3)'), outside.message)

        exitCodes['release-meeting'] = 1
        assertThrows(PipelineError) { step.call() }
    }

    @Test
    void failingNotesFailTheBuild() {
        exitCodes['release-notes'] = 2
        def e = assertThrows(PipelineError) { step.call() }
        assertTrue(e.message.contains('release-notes: bad input'), e.message)
    }
}
