package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class PortainerDeployTest extends ConfiguredStepTestBase {
    Object step
    int exitCode = 0
    String fixture
    List archived = []

    @BeforeEach
    void fakeCli() {
        step = loadScript('portainerDeploy.groovy')
        helper.registerAllowedMethod('archiveArtifacts', [Map]) { Map a -> archived.addAll(a.artifacts.split(',')) }
        cli = { List<String> argv ->
            String file = fixture ?: (exitCode == 0 ? 'portainer-deployed.json' : 'portainer-rolledback.json')
            if (fixture != null || exitCode <= 1) {
                writeFixture(argv, '--json', file)
            }
            return exitCode
        }
    }

    @Test
    void theApiKeyIsOnlyInTheEnvironmentOfTheCli() {
        Map result = step.call(customer: 'acme', file: 'customers/acme/docker-compose.yml', plan: 'plan.json',
                credentialsId: 'portainer-key', routes: 'customers/acme/smoke/routes.yaml', envFile: '.env')
        assertEquals([['portainer', 'deploy', '--config', 'deployflow.yaml', '--customer', 'acme',
                       '--file', 'customers/acme/docker-compose.yml', '--env-file', '.env', '--plan', 'plan.json',
                       '--routes', 'customers/acme/smoke/routes.yaml', '--json',
                       'deployflow-out/acme/portainer-deploy.json']], argvs())
        assertEquals([], configShows, 'everything given: deployflow.yaml is not asked')
        assertEquals(secret('portainer-key'), cliCalls[0].env.PORTAINER_API_KEY)
        assertFalse(cliCalls[0].script.contains(secret('portainer-key')))
        assertNull(envVars.PORTAINER_API_KEY, 'the key is unbound after the step')
        assertEquals('deployed', result.outcome)
        assertPlain(result)
    }

    @Test
    void theKeyVariableFollowsTheConfiguredName() {
        step.call(customer: 'acme', file: 'c.yml', plan: 'p.json', credentialsId: 'portainer-key',
                apiKeyEnv: 'ACME_PORTAINER_KEY')
        assertEquals(secret('portainer-key'), cliCalls[0].env.ACME_PORTAINER_KEY)
        assertNull(cliCalls[0].env.PORTAINER_API_KEY)
    }

    @Test
    void gitCredentialsForTheLedgerRepositoryReachTheCliOnlyThroughTheEnvironment() {
        step.call(customer: 'acme', file: 'c.yml', plan: 'p.json', credentialsId: 'portainer-key',
                gitCredentialsId: 'git-creds')
        assertEquals(password('git-creds'), cliCalls[0].env.DEPLOYFLOW_GIT_PASSWORD)
        assertEquals('gitUser', cliCalls[0].env.DEPLOYFLOW_GIT_USERNAME)
        assertFalse(cliCalls[0].script.contains(password('git-creds')))
        step.call(customer: 'acme', file: 'c.yml', plan: 'p.json', credentialsId: 'portainer-key')
        assertNull(cliCalls[1].env.DEPLOYFLOW_GIT_PASSWORD, 'none given: none bound')
    }

    @Test
    void aLoginCanReplaceTheKey() {
        settings.customer.credentials.remove('portainer')
        step.call(customer: 'acme', file: 'c.yml', plan: 'p.json', loginCredentialsId: 'portainer-login')
        assertEquals('admin', cliCalls[0].env.PORTAINER_USERNAME)
        assertEquals(password('portainer-login'), cliCalls[0].env.PORTAINER_PASSWORD)
    }

    @Test
    void theRollbackPointIsKeptAsItsOwnArtifact() {
        step.call(customer: 'acme', file: 'c.yml', plan: 'p.json', credentialsId: 'portainer-key')
        Map point = new groovy.json.JsonSlurper().parse(ws('deployflow-out/acme/rollback-point.json').toFile()) as Map
        assertTrue(point.stackFileContent.contains('fhir-gateway:${FHIR_GATEWAY_VERSION}'), point.toString())
        assertEquals([FHIR_GATEWAY_VERSION: '1.2.0', LOG_LEVEL: 'debug'], point.restoreEnv)
        assertEquals(['DB_PASSWORD'], point.unchangedEnvNames, 'a secret is kept by name only')
        assertEquals(['deployflow-out/acme/portainer-deploy.json', 'deployflow-out/acme/rollback-point.json'],
                archived)
    }

    @Test
    void exitOneMeansRolledBackAndFailsTheBuildSayingSo() {
        exitCode = 1
        def e = assertThrows(PipelineError) { deploy() }
        assertEquals('portainer deploy acme: smoke routes failed: 1 of 2 routes passed at https://fhir.acme.example; ' +
                'rolled back to the previous stack file and env, and the rollback is healthy and passed the smoke ' +
                'routes (exit 1)', e.message)
        assertTrue(Files.exists(ws('deployflow-out/acme/rollback-point.json')), 'the rollback point is archived too')
    }

    @Test
    void aRollbackThatDoesNotVerifyIsSaidLoudly() {
        exitCode = 1
        fixture = 'portainer-unverified.json'
        def e = assertThrows(PipelineError) { deploy() }
        assertTrue(e.message.endsWith('and the rollback does NOT verify: smoke routes failed: 1 of 2 routes passed at ' +
                'https://fhir.acme.example (exit 1)'), e.message)
    }

    @Test
    void theEnginesMessageNamesWhatWasRefused() {
        exitCode = 2
        fixture = 'portainer-refused.json'
        def bad = assertThrows(PipelineError) { deploy() }
        assertEquals("portainer deploy acme: deployflow.yaml:12: customers[0].portainer.stack: no stack " +
                "'acme-team-fhir-stack' on endpoint 'acme-prod' (id 3); stacks there: none. Set createIfMissing: true " +
                'to create it (exit 2)', bad.message)
    }

    @Test
    void withoutJsonTheExitCodeSpeaks() {
        exitCode = 3
        fixture = null
        def dead = assertThrows(PipelineError) { deploy() }
        assertTrue(dead.message.contains('portainer deploy acme: an outside system failed (exit 3)'), dead.message)
    }

    Map deploy() {
        return step.call(customer: 'acme', file: 'c.yml', plan: 'p.json', credentialsId: 'portainer-key')
    }

    @Test
    void credentialsAreRequired() {
        settings.customer.credentials = [git: 'customer-creds']
        def e = assertThrows(PipelineError) { step.call(customer: 'acme', file: 'c.yml', plan: 'p.json') }
        assertTrue(e.message.contains('credentials.portainer'), e.message)
        assertEquals([], cliCalls)
    }

    @Test
    void theTestedStackIsRequiredAndItsRecordIsPassedOn() {
        def e = assertThrows(PipelineError) { step.call(customer: 'acme', credentialsId: 'portainer-key') }
        assertTrue(e.message.contains('plan (the plan as tested) or tested'), e.message)

        step.call(customer: 'acme', tested: [composeFile: 'customers/acme/docker-compose.yml',
                                             testedImages: 'deployflow-out/acme/tested-images.json'])
        List argv = argvs()[0]
        assertEquals('customers/acme/docker-compose.yml', opt(argv, '--file'), 'the tested file is deployed')
        assertEquals('deployflow-out/acme/tested-images.json', opt(argv, '--tested'))
    }

    @Test
    void keyIdKeyVariableAndRoutesComeFromDeployflowYaml() {
        settings.customer.portainer.apiKeyEnv = 'ACME_PORTAINER_KEY'
        step.call(customer: 'acme', plan: 'p.json')
        assertEquals(secret('portainer-key'), cliCalls[0].env.ACME_PORTAINER_KEY)
        assertEquals('customers/acme/docker-compose.yml', opt(argvs()[0], '--file'))
        assertEquals('customers/acme/smoke/routes.yaml', opt(argvs()[0], '--routes'))
        assertEquals(1, configShows.size())
    }
}
