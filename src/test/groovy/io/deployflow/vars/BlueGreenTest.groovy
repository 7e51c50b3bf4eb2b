package io.deployflow.vars

import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

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
        currentBuildVars.getBuildCauses = { String type ->
            assertEquals('hudson.model.Cause$UserIdCause', type)
            return [[userId: 'dev1', shortDescription: 'Started by user Dev One']]
        }
        helper.registerAllowedMethod('withEnv', [List, Closure]) { List vars, Closure body ->
            Map saved = new LinkedHashMap(envVars)
            vars.each { String v -> envVars[v.substring(0, v.indexOf('='))] = v.substring(v.indexOf('=') + 1) }
            try {
                return body.call()
            } finally {
                envVars.clear()
                envVars.putAll(saved)
            }
        }
        cli = { List<String> argv ->
            assertEquals('bluegreen', argv[0])
            String fixture
            switch (argv[1]) {
                case 'deploy': fixture = 'bluegreen-deploy.json'; break
                case 'analyze':
                    fixture = 'bluegreen-analyze.json'
                    writeFixture(argv, '--junit', 'smoke-junit.xml')
                    break
                case 'shift': fixture = shiftFixture[opt(argv, '--weight')]; break
                case 'promote': fixture = 'bluegreen-shift-100.json'; break
                case 'cleanup': fixture = 'bluegreen-cleanup.json'; break
                case 'abort': fixture = 'bluegreen-shift-50-aborted.json'; break
                default: throw new AssertionError('unexpected phase ' + argv)
            }
            writeFixture(argv, '--json', fixture)
            return Integer.valueOf(Files.readString(FIXTURES.resolve(fixture)).find(/"exitCode" : (\d+)/) { m, c -> c })
        }
    }

    private List<String> phases() {
        return argvs().collect { it[1] + (it[1] == 'shift' ? ' ' + opt(it, '--weight') : '') }
    }

    @Test
    void runsEveryPhaseAsItsOwnCliCallWithApprovalsAndReturnsTheHistoryEntry() {
        inputAnswers.addAll([[DECISION: 'proceed', approver: 'dev2'], 'dev3'])
        Map result = step.call(target: 'portal', image: 'acme/portal:1.3.0', version: '1.3.0',
                approveBefore: [50, 100], routes: 'smoke/routes.yaml')

        assertEquals(['deploy', 'analyze', 'shift 10', 'shift 50', 'shift 100', 'promote', 'cleanup'], phases())
        List<String> deploy = argvs()[0]
        assertEquals(['bluegreen', 'deploy', '--config', 'deployflow.yaml', '--target', 'portal', '--id',
                      'bluegreen-portal', '--image', 'acme/portal:1.3.0', '--steps', '10,50,100', '--version', '1.3.0',
                      '--json', 'deployflow-out/bluegreen-portal/deploy.json'], deploy)
        assertEquals('smoke/routes.yaml', opt(argvs()[1], '--routes'))
        assertEquals(['Shift-50', 'Shift-100'], inputCalls.collect { it.id })
        assertEquals(['proceed', 'abort'], inputCalls[0].parameters[0].choices)
        assertEquals(1, helper.methodCallCount('junit'), 'the preview smoke is published')
        assertTrue(cliCalls.every { it.env.DEPLOYFLOW_USER == 'dev1' }, 'the CLI records who started the build')

        assertEquals([[id: 'jenkins-team-release-job-42', date: '2026-03-02T09:00:04Z', version: '1.3.0',
                       colour: 'green', status: 'completed', reason: '']], result.history)
        assertEquals('completed', result.status)
        assertEquals([blue: 0, green: 100], result.traffic)
        assertPlain(result)
        String written = Files.readString(ws('deployflow-out/bluegreen-portal/result.json'))
        assertTrue(written.contains('"status": "completed"'), written)
        assertEquals('portal: completed green 1.3.0', currentBuildVars.description)
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
    void answeringAbortAtAnApprovalAbortsTheRolloutInTheApproversName() {
        inputAnswers.add([DECISION: 'abort', approver: 'dev2'])
        def e = assertThrows(PipelineError) {
            step.call(target: 'portal', image: 'acme/portal:1.3.0', approveBefore: [50])
        }
        assertEquals('blueGreen portal: aborted at the approval before 50 % by dev2', e.message)
        assertEquals(['deploy', 'analyze', 'shift 10', 'abort'], phases())
        Map abort = cliCalls[3]
        assertEquals('aborted at the approval before 50 % by dev2', opt(abort.argv, '--reason'))
        assertEquals('dev2', abort.env.DEPLOYFLOW_USER)
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
        assertEquals('the approval before 50 % was aborted or timed out', opt(cliCalls[3].argv, '--reason'))
    }

    @Test
    void severalImagesAndTheAnalysisGoToTheCli() {
        shiftFixture['25'] = 'bluegreen-shift-10.json'
        Map result = step.call(target: 'portal', images: [web: 'acme/web:2.0', worker: 'acme/worker:2.0'],
                steps: [25, 100], cleanup: false, id: 'Rollout 7',
                analysis: [[name: 'error-rate', query: 'sum(rate(x{code="5xx"}[1m]))', successCondition: 'result < 0.01']])
        assertEquals(['deploy', 'analyze', 'shift 25', 'shift 100', 'promote'], phases())
        List<String> deploy = argvs()[0]
        assertEquals(['--image', 'web=acme/web:2.0', '--image', 'worker=acme/worker:2.0'],
                deploy.subList(deploy.indexOf('--image'), deploy.indexOf('--image') + 4))
        assertEquals('25,100', opt(deploy, '--steps'))
        assertEquals('rollout-7', opt(deploy, '--id'))
        String analysis = opt(deploy, '--analysis')
        assertEquals(analysis, opt(argvs()[2], '--analysis'), 'every shift gets the same analysis')
        String text = Files.readString(ws(analysis))
        assertTrue(text.contains('"successCondition": "result < 0.01"') && text.contains('"metrics"'), text)
        assertFalse(phases().contains('cleanup'))
        assertTrue(echoes.any { it.contains("run 'deployflow bluegreen cleanup --target portal'") }, echoes.join('\n'))
        assertPlain(result)
    }

    @Test
    void aTargetAndAnImageAreRequired() {
        assertTrue(assertThrows(PipelineError) { step.call(image: 'x') }.message.contains('target is required'))
        assertTrue(assertThrows(PipelineError) { step.call(target: 'portal') }.message.contains('image'))
        assertTrue(cliCalls.isEmpty())
    }
}
