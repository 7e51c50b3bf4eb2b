package io.deployflow.vars

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class DeliverTest extends ConfiguredStepTestBase {
    Object step
    int exitCode = 0

    @BeforeEach
    void fakeCli() {
        step = loadScript('deliver.groovy')
        cli = { List<String> argv ->
            if (exitCode <= 1) {
                writeFixture(argv, '--json', exitCode == 0 ? 'deliver.json' : 'deliver-conflict.json')
            }
            return exitCode
        }
    }

    Map deliver(Map extra = [:]) {
        return step.call([customer: 'acme', plan: 'deployflow-out/plan.json',
                          file: 'customers/acme/docker-compose.yml'] + extra)
    }

    @Test
    void buildsTheCommandWithGitAndGithubSecretsInTheEnvironment() {
        Map result = deliver(credentialsId: 'git-creds', githubCredentialsId: 'github-token', envFile: 'customers/acme/.env')
        assertEquals([['deliver', '--config', 'deployflow.yaml', '--customer', 'acme',
                       '--plan', 'deployflow-out/plan.json',
                       '--file', 'customers/acme/docker-compose.yml', '--env-file', 'customers/acme/.env',
                       '--json', 'deployflow-out/acme/deliver.json']], argvs())
        assertEquals([], configShows)
        assertEquals(password('git-creds'), cliCalls[0].env.DEPLOYFLOW_GIT_PASSWORD)
        assertEquals(secret('github-token'), cliCalls[0].env.DEPLOYFLOW_GITHUB_TOKEN)
        assertEquals('acme: delivered v1.1.0', currentBuildVars.description)
        assertEquals('release/1.1.0', result.branch, 'the engine names the branch after the customer version')
        assertPlain(result)
    }

    @Test
    void aPlanMapIsWrittenOut() {
        step.call(customer: 'acme', plan: [meetingDate: '2026-11-23', components: []], file: 'c.yml')
        assertEquals('deployflow-out/acme/plan.json', opt(argvs()[0], '--plan'))
    }

    @Test
    void aConflictStopsTheBuildWithTheEnginesMessage() {
        exitCode = 1
        def e = assertThrows(PipelineError) { deliver() }
        assertEquals('deliver acme stopped (conflict): acme: merging release/1.1.0 into develop conflicts in ' +
                'docker-compose.yml. Only release/1.1.0 was pushed; develop, main and the tag were not. Resolve it by ' +
                'merging develop into release/1.1.0 in the customer repository, then run deliver again', e.message)
    }

    @Test
    void badInputAndOutsideFailuresStopTheBuild() {
        [2: 'bad input (exit 2)', 3: 'an outside system failed (exit 3)'].each { code, text ->
            exitCode = code
            def e = assertThrows(PipelineError) { deliver() }
            assertTrue(e.message.startsWith('deployflow deliver acme: ' + text), e.message)
        }
    }

    @Test
    void requiredParametersAreNamed() {
        def e = assertThrows(PipelineError) { step.call(customer: 'acme', file: 'c.yml') }
        assertEquals('deliver: plan is required', e.message)
    }

    @Test
    void notesAreNoLongerTakenTheyComeFromThePlan() {
        def e = assertThrows(PipelineError) { deliver(notes: 'deployflow-out/release-notes.md') }
        assertTrue(e.message.startsWith('deliver: notes: is gone; the notes are generated from the plan'), e.message)
        assertEquals([], cliCalls)
    }

    @Test
    void theTestedStackAndTheCredentialIdsOfDeployflowYaml() {
        step.call(customer: 'acme', plan: 'p.json', tested: [composeFile: 'customers/acme/docker-compose.yml',
                                                            testedImages: 'deployflow-out/acme/tested-images.json'])
        List argv = argvs()[0]
        assertEquals('customers/acme/docker-compose.yml', opt(argv, '--file'))
        assertEquals('deployflow-out/acme/tested-images.json', opt(argv, '--tested'))
        assertEquals(null, opt(argv, '--env-file'), 'the CLI takes the .env beside the file')
        assertEquals(password('customer-creds'), cliCalls[0].env.DEPLOYFLOW_GIT_PASSWORD, 'the customer\'s git id')
        assertEquals(secret('github-token'), cliCalls[0].env.DEPLOYFLOW_GITHUB_TOKEN)
    }
}
