package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class VerifyReleaseTest extends ConfiguredStepTestBase {
    Object step
    int exitCode = 0

    @BeforeEach
    void fakeCli() {
        step = loadScript('verifyRelease.groovy')
        cli = { List<String> argv ->
            if (exitCode != 2) {
                writeFixture(argv, '--json', ['verify-passed.json', 'verify-failed.json', null, 'verify-error.json'][exitCode])
            }
            return exitCode
        }
    }

    @Test
    void buildsTheCommandAndReturnsPlainChecks() {
        Map result = step.call(component: 'fhir-gateway', version: '1.3.0', config: 'c.yaml')
        assertEquals([['verify-release', '--config', 'c.yaml', '--component', 'fhir-gateway', '--version', '1.3.0',
                       '--json', 'deployflow-out/verify-fhir-gateway.json']], argvs())
        assertEquals(['tag-exists', 'no-skip-ci', 'readme-changed', 'readme-example-config', 'image-exists'],
                result.checks.collect { it.name }, 'the five checks the engine makes')
        assertTrue(result.passed)
        assertPlain(result)
    }

    @Test
    void withoutVersionTheCliPicksTheLatestRelease() {
        step.call(component: 'terminology')
        assertEquals(['verify-release', '--config', 'deployflow.yaml', '--component', 'terminology', '--json',
                      'deployflow-out/verify-terminology.json'], argvs()[0])
    }

    @Test
    void failingChecksAreAllNamedInTheError() {
        exitCode = 1
        def e = assertThrows(PipelineError) { step.call(component: 'fhir-gateway', version: '1.3.0') }
        assertEquals('verify-release fhir-gateway 1.3.0: 2 checks failed: no-skip-ci: the tagged commit says ' +
                '"chore: release 1.3.0 [skip ci]": CI did not build this release; image-exists: ' +
                '127.0.0.1:5000/fhir/fhir-gateway:1.3.0 is not in the registry', e.message)
    }

    @Test
    void aCheckThatCouldNotBeMadeIsNamedToo() {
        exitCode = 3
        def e = assertThrows(PipelineError) { step.call(component: 'fhir-gateway', version: '1.2.0') }
        assertEquals('verify-release fhir-gateway 1.2.0: 1 check failed: image-exists could not be checked: cannot ' +
                'ask the registry about 127.0.0.1:5000/fhir/fhir-gateway:1.2.0: registry 127.0.0.1:5000: HEAD ' +
                'http://127.0.0.1:5000/v2/fhir/fhir-gateway/manifests/1.2.0 failed after 4 attempts: ConnectException',
                e.message)
    }

    @Test
    void badInputIsAnErrorNamingTheExitCode() {
        exitCode = 2
        def bad = assertThrows(PipelineError) { step.call(component: 'nope') }
        assertTrue(bad.message.contains('verify-release nope: bad input (exit 2)'), bad.message)
    }

    @Test
    void registryCredentialsComeThroughTheEnvironment() {
        step.call(component: 'fhir-gateway', registryCredentialsId: 'registry-creds')
        assertEquals(password('registry-creds'), cliCalls[0].env.DEPLOYFLOW_REGISTRY_PASSWORD)
        assertEquals('regUser', cliCalls[0].env.DEPLOYFLOW_REGISTRY_USERNAME)
    }

    @Test
    void componentIsRequired() {
        def e = assertThrows(PipelineError) { step.call(version: '1.0.0') }
        assertTrue(e.message.contains('component is required'))
        assertEquals([], cliCalls)
    }
}
