package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class SmokeTestTest extends VarsTestBase {
    Object step
    int exitCode = 0

    @BeforeEach
    void fakeCli() {
        step = loadScript('smokeTest.groovy')
        cli = { List<String> argv ->
            assertEquals('smoke', argv[0])
            if (exitCode <= 1) {
                writeFixture(argv, '--json', exitCode == 0 ? 'smoke-passed.json' : 'smoke-failed.json')
                writeFixture(argv, '--junit', 'smoke-junit.xml')
            }
            return exitCode
        }
    }

    @Test
    void buildsTheCommandPublishesJunitAndReturnsPlainResults() {
        Map result = step.call(routes: 'smoke/routes.yaml', baseUrl: 'http://127.0.0.1:18093', concurrency: 4,
                readyTimeout: '30s', config: 'deployflow.yaml', plan: 'deployflow-out/plan.json')
        assertEquals([['smoke', '--routes', 'smoke/routes.yaml', '--junit', 'deployflow-out/smoke-junit.xml',
                       '--json', 'deployflow-out/smoke.json', '--base-url', 'http://127.0.0.1:18093',
                       '--concurrency', '4', '--ready-timeout', '30s', '--plan', 'deployflow-out/plan.json',
                       '--config', 'deployflow.yaml']], argvs())
        assertEquals(1, helper.methodCallCount('junit'))
        assertTrue(result.passed)
        assertEquals([], result.failures)
        assertNull(currentBuildVars.result)
        assertPlain(result)
    }

    @Test
    void failingRoutesMakeTheBuildUnstableByDefaultAndNameTheRepoPersons() {
        exitCode = 1
        Map result = step.call(routes: 'routes.yaml')
        assertEquals('UNSTABLE', currentBuildVars.result)
        assertFalse(result.passed)
        assertEquals([[route: 'patient-create', component: 'fhir-gateway',
                       repoPerson: [id: 'dev2', name: 'Developer Two', email: 'dev2@example.org', known: true],
                       message: 'expected status 201, got 500; body: {"issue":"NullPointerException"}'],
                      [route: 'valueset-expand', component: 'terminology',
                       repoPerson: [id: null, name: 'Outside Contributor', email: 'oc@elsewhere.example',
                                    known: false],
                       message: 'expected the body to contain "expansion"; body: {"resourceType":"ValueSet"}']],
                result.failures)
        assertTrue(echoes.any { it.contains('patient-create [fhir-gateway] (repo-person dev2)') }, echoes.join('\n'))
        assertPlain(result)
    }

    @Test
    void failOnErrorFailsTheBuildAfterPublishingJunit() {
        exitCode = 1
        def e = assertThrows(PipelineError) { step.call(routes: 'routes.yaml', failOn: 'error') }
        assertTrue(e.message.startsWith('smoke: 2 route(s) failed: patient-create'), e.message)
        assertEquals(1, helper.methodCallCount('junit'))
    }

    @Test
    void aMapPlanIsWrittenForTheCli() {
        Map plan = [meetingDate: '2026-11-23', components: [[name: 'fhir-gateway', releaseVersion: '1.3.0']]]
        step.call(routes: 'routes.yaml', plan: plan)
        String planPath = opt(argvs()[0], '--plan')
        assertEquals('deployflow-out/smoke-plan.json', planPath)
        assertTrue(Files.readString(ws(planPath)).contains('"releaseVersion": "1.3.0"'))
    }

    @Test
    void badRoutesAndAServiceThatNeverGotReadyAreErrorsWithoutJunit() {
        exitCode = 2
        def bad = assertThrows(PipelineError) { step.call(routes: 'routes.yaml') }
        assertTrue(bad.message.contains('smoke: bad input (exit 2)'), bad.message)
        exitCode = 3
        def never = assertThrows(PipelineError) { step.call(routes: 'routes.yaml') }
        assertTrue(never.message.contains('smoke: an outside system failed (exit 3)'), never.message)
        assertEquals(0, helper.methodCallCount('junit'))
    }

    @Test
    void parametersAreChecked() {
        assertThrows(PipelineError) { step.call(baseUrl: 'http://x') }
        def e = assertThrows(PipelineError) { step.call(routes: 'r.yaml', failOn: 'ignore') }
        assertTrue(e.message.contains("failOn must be 'unstable' or 'error'"))
        assertEquals([], cliCalls)
    }
}
