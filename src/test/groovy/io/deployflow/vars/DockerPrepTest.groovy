package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class DockerPrepTest extends ConfiguredStepTestBase {
    Object step
    Map<String, Object> exitCodes = [:]
    List<Map> gitCalls = []

    @BeforeEach
    void fakeCli() {
        step = loadScript('dockerPrep.groovy')
        helper.registerAllowedMethod('git', [Map]) { Map a -> gitCalls.add(a) }
        cli = { List<String> argv ->
            String command = argv[0] in ['compose', 'stack'] ? argv.take(2).join(' ') : argv[0]
            Object code = exitCodes.getOrDefault(command, 0)
            if (code instanceof Throwable) {
                throw code
            }
            if (command == 'compose set-versions') {
                assertTrue(Files.exists(ws(opt(argv, '--plan'))), 'the plan file exists when versions are set')
            }
            if (command == 'stack up' && code == 1) {
                writeFixture(argv, '--json', 'stack-unhealthy.json')
            }
            if (command == 'smoke' && code <= 1) {
                writeFixture(argv, '--json', code == 0 ? 'smoke-passed.json' : 'smoke-failed.json')
                writeFixture(argv, '--junit', 'smoke-junit.xml')
            }
            return code
        }
        Files.createDirectories(ws('in'))
        Files.copy(FIXTURES.resolve('plan.json'), ws('in/plan.json'))
    }

    Map prep(Map extra = [:]) {
        return step.call([customer: 'acme', plan: 'in/plan.json', routes: 'smoke/routes.yaml',
                          repo: 'git://127.0.0.1/acme-stack.git'] + extra)
    }

    @Test
    void checksOutSetsVersionsRunsTheStackSmokesAndTearsDown() {
        Map result = prep(customerCredentialsId: 'customer-creds', baseUrl: 'http://127.0.0.1:18093')
        assertEquals([[url: 'git://127.0.0.1/acme-stack.git', branch: 'develop', credentialsId: 'customer-creds']],
                gitCalls)
        String project = 'df-team-release-job-42-acme'
        assertEquals([
                ['compose', 'set-versions', '--config', 'deployflow.yaml', '--customer', 'acme',
                 '--file', 'customers/acme/docker-compose.yml', '--plan', 'in/plan.json',
                 '--json', 'deployflow-out/acme/set-versions.json'],
                ['compose', 'images', '--file', 'customers/acme/docker-compose.yml',
                 '--json', 'deployflow-out/acme/tested-images.json'],
                ['stack', 'up', '--file', 'customers/acme/docker-compose.yml', '--project', project,
                 '--wait', '180s', '--json', 'deployflow-out/acme/stack.json'],
                ['smoke', '--routes', 'customers/acme/smoke/routes.yaml', '--junit', 'deployflow-out/acme/smoke-junit.xml',
                 '--json', 'deployflow-out/acme/smoke.json', '--base-url', 'http://127.0.0.1:18093',
                 '--concurrency', '16', '--plan', 'in/plan.json', '--config', 'deployflow.yaml'],
                ['stack', 'down', '--project', project, '--file', 'customers/acme/docker-compose.yml']], argvs())
        assertTrue(result.passed)
        assertEquals([], result.failures)
        assertEquals(1, helper.methodCallCount('junit'))
        assertEquals('deployflow-out/acme/tested-images.json', result.testedImages, 'what deliver is held to')
        assertEquals([], configShows, 'repo and routes given: deployflow.yaml is not asked')
        assertPlain(result)
    }

    @Test
    void theRepositoryBranchRoutesAndCredentialsComeFromDeployflowYaml() {
        settings.customer.developBranch = 'integration'
        Map result = step.call(customer: 'acme', plan: 'in/plan.json')
        assertEquals([['config', 'show', '--config', 'deployflow.yaml', '--customer', 'acme', '--json',
                       'deployflow-out/acme/config-customer-acme.json']], configShows)
        assertEquals([[url: 'https://git.example.org/customers/acme-stack.git', branch: 'integration',
                       credentialsId: 'customer-creds']], gitCalls)
        assertEquals('customers/acme/smoke/routes.yaml', opt(argvs()[3], '--routes'))
        assertTrue(result.passed)
    }

    @Test
    void aFailingRouteDoesNotMarkTheBuildTheDecisionDoes() {
        List<Map> published = []
        helper.registerAllowedMethod('junit', [Map]) { Map a -> published.add(a) }
        exitCodes.smoke = 1
        prep()
        assertEquals(true, published[0].skipMarkingBuildUnstable)
        assertEquals(null, currentBuildVars.result)
    }

    @Test
    void failingRoutesAreReturnedWithTheirRepoPersonsAndTheStackStillGoesDown() {
        exitCodes.smoke = 1
        Map result = prep()
        assertFalse(result.passed)
        assertEquals(['fhir-gateway', 'terminology'], result.failures.collect { it.component })
        assertEquals('dev2', result.failures[0].repoPerson.id)
        assertEquals('deployflow-out/acme/smoke.json', result.report)
        assertEquals('stack down', commandsRun().last())
        assertTrue(currentBuildVars.result == null, 'dockerPrep leaves the decision to releaseDecision')
        assertPlain(result)
    }

    @Test
    void aPlanMapFromReleaseMeetingIsWrittenForTheCli() {
        Map plan = [meetingDate: '2026-11-23', components: [[name: 'fhir-gateway', releaseVersion: '1.3.0']]]
        step.call(customer: 'acme', plan: plan, routes: 'routes.yaml', checkout: false)
        assertEquals('deployflow-out/acme/plan.json', opt(argvs()[0], '--plan'))
        assertEquals(0, gitCalls.size(), 'checkout: false uses the checkout that is already there')
    }

    @Test
    void theStackGoesDownWhenSmokeThrows() {
        exitCodes.smoke = new InterruptedException('build aborted during smoke')
        assertThrows(InterruptedException) { prep() }
        assertEquals(['compose set-versions', 'compose images', 'stack up', 'smoke', 'stack down'], commandsRun())
    }

    @Test
    void theStackGoesDownWhenSmokeIsBadInputAndTheErrorIsKept() {
        exitCodes.smoke = 2
        def e = assertThrows(PipelineError) { prep() }
        assertTrue(e.message.contains('smoke: bad input (exit 2)'), e.message)
        assertEquals('stack down', commandsRun().last())
    }

    @Test
    void aStackThatNeverGetsHealthyIsAFailureOfItsComponentAndGoesDown() {
        exitCodes['stack up'] = 1
        Map result = prep()
        assertFalse(result.passed)
        assertEquals([[route: null, component: 'fhir-gateway',
                       repoPerson: [id: 'dev2', name: 'Developer Two', email: 'dev2@example.org', known: true],
                       message: 'service fhir-gateway not healthy (running, unhealthy)']], result.failures)
        assertPlain(result)
        assertEquals(['compose set-versions', 'compose images', 'stack up', 'stack down'], commandsRun())
    }

    @Test
    void stackUpOutsideFailureStillTriesTeardown() {
        exitCodes['stack up'] = 3
        assertThrows(PipelineError) { prep() }
        assertEquals('stack down', commandsRun().last())
    }

    @Test
    void aFailedTeardownWarnsWithoutHidingTheResult() {
        exitCodes['stack down'] = 3
        Map result = prep()
        assertTrue(result.passed)
        assertTrue(echoes.any { it.startsWith('WARNING: stack down df-team-release-job-42-acme failed (exit 3)') })
    }

    @Test
    void badVersionsStopBeforeAnyStackIsStarted() {
        exitCodes['compose set-versions'] = 2
        def e = assertThrows(PipelineError) { prep() }
        assertTrue(e.message.contains('compose set-versions acme: bad input'), e.message)
        assertEquals(['compose set-versions'], commandsRun())
    }

    @Test
    void keepLeavesAPreviewStackUpAndSaysHowToRemoveIt() {
        Map result = prep(keep: true)
        assertEquals(['compose set-versions', 'compose images', 'stack up', 'smoke'], commandsRun())
        assertEquals('--keep', argvs()[2].last())
        assertTrue(result.kept)
        assertEquals('preview stack df-team-release-job-42-acme left up; remove it with: deployflow stack down ' +
                '--project df-team-release-job-42-acme --file customers/acme/docker-compose.yml',
                currentBuildVars.description)
    }

    @Test
    void requiredParametersAreNamed() {
        settings.customer.routes = null
        def e = assertThrows(PipelineError) { step.call(customer: 'acme', plan: 'p.json') }
        assertEquals('dockerPrep: routes is required (or set customers[].routes for acme in deployflow.yaml)',
                e.message)
        assertEquals([], cliCalls)
    }
}
