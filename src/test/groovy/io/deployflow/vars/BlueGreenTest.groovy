package io.deployflow.vars

import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertSame
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class BlueGreenTest extends VarsTestBase {
    Object step
    /** weight -> fixture for that shift; the fixtures are what the real engine writes (BlueGreenFixturesTest). */
    Map<String, String> shiftFixture = ['10': 'bluegreen-shift-10.json', '50': 'bluegreen-shift-10.json',
                                        '100': 'bluegreen-shift-100.json']

    @BeforeEach
    void fakeCli() {
        step = loadScript('blueGreen.groovy')
        // the approvals run the real engine (approvalGate's `approval` calls); the deciders are the built-in
        // traffic-shift task's answerers
        Files.writeString(ws('deployflow.yaml'), '''
team:
  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
  - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
decision:
  deciders: [dev2]
''')
        Closure<Integer> engine = InProcessCli.in(this)
        cli = { List<String> argv ->
            if (argv[0] in ['approval', 'notify', 'config']) {
                return engine(argv)
            }
            assertEquals('bluegreen', argv[0])
            String fixture
            switch (argv[1]) {
                case 'deploy': fixture = 'bluegreen-deploy.json'; break
                case 'analyze':
                    fixture = 'bluegreen-analyze.json'
                    writeFixture(argv, '--junit', 'smoke-junit.xml')
                    break
                case 'shift': fixture = shiftFixture[opt(argv, '--weight')]; break
                case 'promote': fixture = 'bluegreen-promote.json'; break
                case 'cleanup': fixture = 'bluegreen-cleanup-after-delay.json'; break
                case 'abort': fixture = 'bluegreen-shift-50-aborted.json'; break
                default: throw new AssertionError('unexpected phase ' + argv)
            }
            writeFixture(argv, '--json', fixture)
            return Integer.valueOf(Files.readString(FIXTURES.resolve(fixture)).find(/"exitCode" : (\d+)/) { m, c -> c })
        }
    }

    private List<String> phases() {
        return bluegreenCalls().collect { it.argv[1] + (it.argv[1] == 'shift' ? ' ' + opt(it.argv, '--weight') : '') }
    }

    private List<Map> bluegreenCalls() {
        return cliCalls.findAll { it.argv[0] == 'bluegreen' }
    }

    /** The approval answers in the ledger (approvalGate records every one): [gate, event, by, counted]. */
    private List<List> answers() {
        Path file = ws('.deployflow/ledger/ledger.jsonl')
        return Files.readAllLines(file).collect { new groovy.json.JsonSlurper().parseText(it) as Map }
                .findAll { it.type == 'approval' && it.data.event != 'requested' }
                .collect { [it.data.gate, it.data.event, it.data.by, it.data.counted] }
    }

    private static Map approve(String by) {
        return [DECISION: 'approve', REASON: '', approver: by]
    }

    @Test
    void runsEveryPhaseAsItsOwnCliCallWithApprovalsAndReturnsTheHistoryEntry() {
        inputAnswers.addAll([approve('dev2'), approve('dev2')])
        Map result = step.call(target: 'portal', image: 'acme/portal:1.3.0', version: '1.3.0',
                approveBefore: [50, 100], routes: 'smoke/routes.yaml')

        assertEquals(['deploy', 'analyze', 'shift 10', 'shift 50', 'shift 100'], phases(),
                'the shift to 100 % promoted and cleaned up (autoPromotionEnabled, scaleDownDelaySeconds 0)')
        assertTrue(echoes.any { it.contains('promoted the new colour') }, echoes.join('\n'))
        assertTrue(echoes.any { it.contains('scaled down already') }, echoes.join('\n'))
        List<String> deploy = bluegreenCalls()[0].argv
        assertEquals(['bluegreen', 'deploy', '--config', 'deployflow.yaml', '--target', 'portal', '--id',
                      'bluegreen-portal', '--image', 'acme/portal:1.3.0', '--steps', '10,50,100', '--version', '1.3.0',
                      '--json', 'deployflow-out/bluegreen-portal/deploy.json'], deploy)
        assertEquals('smoke/routes.yaml', opt(bluegreenCalls()[1].argv, '--routes'))
        assertEquals(['Shift-50-1', 'Shift-100-1'], inputCalls.collect { it.id }, "approvalGate's pages")
        assertEquals(['— choose —', 'approve', 'reject'], inputCalls[0].parameters[0].choices)
        assertEquals('dev2', inputCalls[0].submitter, 'the built-in traffic-shift task: the deciders')
        String before50 = inputCalls[0].parameters[0].description
        assertTrue(before50.contains('traffic now blue 90 % / green 10 %; next step 50 %') &&
                before50.contains('Last check: 3/3 measurements successful'), 'where the rollout stands: ' + before50)
        assertEquals([['bluegreen-portal-50', 'approve', 'dev2', true], ['bluegreen-portal-100', 'approve', 'dev2',
                                                                          true]], answers())
        assertEquals(1, helper.methodCallCount('junit'), 'the preview smoke is published')
        assertTrue(bluegreenCalls().every { it.env.DEPLOYFLOW_USER == 'dev1' }, 'the CLI records who started the build')

        assertEquals([[id: 'jenkins-team-release-job-42', date: '2026-03-02T09:00:04Z', version: '1.3.0',
                       colour: 'green', status: 'completed', reason: '']], result.history)
        assertEquals('completed', result.status)
        assertEquals([blue: 0, green: 100], result.traffic)
        assertPlain(result)
        String written = Files.readString(ws('deployflow-out/bluegreen-portal/result.json'))
        assertTrue(written.contains('"status": "completed"'), written)
        assertEquals('bluegreen-portal-50: approved by dev2 (1 of 1) | bluegreen-portal-100: approved by dev2 (1 of 1)' +
                ' | portal: completed green 1.3.0', currentBuildVars.description, 'each approval, then the outcome')
    }

    @Test
    void withoutAutoPromotionTheStepPromotesAndCleansUpItself() {
        shiftFixture['100'] = 'bluegreen-shift-100-held.json'
        Map result = step.call(target: 'portal', image: 'acme/portal:1.5.0', version: '1.5.0', id: 'r3')

        assertEquals(['deploy', 'analyze', 'shift 10', 'shift 50', 'shift 100', 'promote', 'cleanup'], phases())
        assertEquals('completed', result.status)
        assertEquals('1.5.0', result.version)
        assertEquals('promote', result.phases[5].phase)
        assertEquals('ok', result.phases[6].outcome)
    }

    @Test
    void aFailedAnalysisFailsTheBuildWithTheReasonAndKeepsTheRecord() {
        shiftFixture['50'] = 'bluegreen-shift-50-aborted.json'
        def e = assertThrows(PipelineError) {
            step.call(target: 'portal', images: [web: 'acme/portal:1.4.0'], id: 'r2')
        }
        assertTrue(e.message.startsWith('blueGreen portal: aborted: analysis at 50 % failed: error-rate'),
                e.message)
        assertEquals(['deploy', 'analyze', 'shift 10', 'shift 50'], phases())
        String written = Files.readString(ws('deployflow-out/bluegreen-portal/result.json'))
        assertTrue(written.contains('"status": "aborted"') && written.contains('"reason": "analysis at 50 % failed'),
                written)
    }

    @Test
    void aRejectionAtAnApprovalAbortsTheRolloutInTheDecidersName() {
        inputAnswers.add([DECISION: 'reject', REASON: 'p95 doubled at 10 %', approver: 'dev2'])
        def e = assertThrows(PipelineError) {
            step.call(target: 'portal', image: 'acme/portal:1.3.0', approveBefore: [50])
        }
        assertEquals('blueGreen portal: rejected at the approval before 50 % by dev2: p95 doubled at 10 %', e.message)
        assertEquals(['deploy', 'analyze', 'shift 10', 'abort'], phases())
        Map abort = bluegreenCalls()[3]
        assertEquals('rejected at the approval before 50 % by dev2: p95 doubled at 10 %', opt(abort.argv, '--reason'))
        assertEquals('dev2', abort.env.DEPLOYFLOW_USER)
        String written = Files.readString(ws('deployflow-out/bluegreen-portal/result.json'))
        assertTrue(written.contains('"status": "aborted"'), written)
    }

    @Test
    void onlyADecidersApprovalLetsTheTrafficMove() {
        // dev3 may press the button (Jenkins lets anyone with Build permission through); the engine does not count it
        inputAnswers.addAll([approve('dev3'), approve('dev2')])
        Map result = step.call(target: 'portal', image: 'acme/portal:1.3.0', approveBefore: [50])
        assertEquals(['Shift-50-1', 'Shift-50-2'], inputCalls.collect { it.id })
        assertEquals([['bluegreen-portal-50', 'approve', 'dev3', false], ['bluegreen-portal-50', 'approve', 'dev2',
                                                                          true]], answers())
        assertEquals('completed', result.status)
        assertTrue(echoes.any { it == 'blueGreen portal: 50 % approved by dev2' }, echoes.join('\n'))
    }

    @Test
    void aGateThatCannotOpenAbortsTheRolloutBeforeTheBuildFails() {
        def e = assertThrows(PipelineError) {
            step.call(target: 'portal', image: 'acme/portal:1.3.0', approveBefore: [50], approvalTask: 'trafic-shift')
        }
        assertTrue(e.message.contains('approval open trafic-shift'), e.message)
        assertTrue(echoes.any { it.contains("unknown task 'trafic-shift'; did you mean 'traffic-shift'?") },
                echoes.join('\n'))
        assertEquals(['deploy', 'analyze', 'shift 10', 'abort'], phases(), 'no traffic left half-shifted')
        assertTrue(opt(bluegreenCalls()[3].argv, '--reason').startsWith('the approval before 50 % failed: '))
        assertTrue(inputCalls.isEmpty())
    }

    @Test
    void anAbortedOrTimedOutApprovalAbortsTheRolloutAndStopsTheBuild() {
        FlowInterruptedException stopped = new FlowInterruptedException('ABORTED', 'input Shift-50 aborted')
        inputAnswers.add(stopped)
        def thrown = assertThrows(FlowInterruptedException) {
            step.call(target: 'portal', image: 'acme/portal:1.3.0', approveBefore: [50])
        }
        assertSame(stopped, thrown)
        assertEquals(['deploy', 'analyze', 'shift 10', 'abort'], phases())
        assertEquals('the approval before 50 % was aborted in Jenkins', opt(bluegreenCalls()[3].argv, '--reason'))
        assertEquals([['bluegreen-portal-50', 'abort']], answers().collect { it.take(2) }, 'the gate records the Abort')
    }

    @Test
    void severalImagesAndTheAnalysisGoToTheCli() {
        shiftFixture['25'] = 'bluegreen-shift-10.json'
        shiftFixture['100'] = 'bluegreen-shift-100-held.json'
        Map result = step.call(target: 'portal', images: [web: 'acme/web:2.0', worker: 'acme/worker:2.0'],
                steps: [25, 100], cleanup: false, id: 'Rollout 7',
                analysis: [[name: 'error-rate', query: 'sum(rate(x{code="5xx"}[1m]))', successCondition: 'result < 0.01']])
        assertEquals(['deploy', 'analyze', 'shift 25', 'shift 100', 'promote'], phases())
        List<String> deploy = bluegreenCalls()[0].argv
        assertEquals(['--image', 'web=acme/web:2.0', '--image', 'worker=acme/worker:2.0'],
                deploy.subList(deploy.indexOf('--image'), deploy.indexOf('--image') + 4))
        assertEquals('25,100', opt(deploy, '--steps'))
        assertEquals('rollout-7', opt(deploy, '--id'))
        String analysis = opt(deploy, '--analysis')
        assertEquals(analysis, opt(bluegreenCalls()[2].argv, '--analysis'), 'every shift gets the same analysis')
        String text = Files.readString(ws(analysis))
        assertTrue(text.contains('"successCondition": "result < 0.01"') && text.contains('"metrics"'), text)
        assertFalse(phases().contains('cleanup'))
        assertEquals('promoted', result.status, 'the old colour is still kept')
        assertTrue(echoes.any { it.contains("run 'deployflow bluegreen cleanup --target portal'") }, echoes.join('\n'))
        assertPlain(result)
    }

    @Test
    void aLedgerInGitGetsTheCredentialsDeployflowYamlNames() {
        Files.writeString(ws('deployflow.yaml'), Files.readString(ws('deployflow.yaml')) + 'credentials:\n  git: git-creds\n')
        step.call(target: 'portal', image: 'acme/portal:1.3.0')
        assertTrue(bluegreenCalls().every { it.env.DEPLOYFLOW_GIT_USERNAME == 'gitUser' &&
                it.env.DEPLOYFLOW_GIT_PASSWORD == password('git-creds') }, 'each phase may record in the ledger')
        assertTrue(bluegreenCalls().every { !it.script.contains(password('git-creds')) }, 'never in the command line')
    }

    @Test
    void aTargetAndAnImageAreRequired() {
        assertTrue(assertThrows(PipelineError) { step.call(image: 'x') }.message.contains('target is required'))
        assertTrue(assertThrows(PipelineError) { step.call(target: 'portal') }.message.contains('image'))
        assertTrue(cliCalls.isEmpty())
    }
}
