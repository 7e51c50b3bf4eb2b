package io.deployflow.vars

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertNull
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

class DeployflowCliTest extends VarsTestBase {

    Object script() {
        return binding.getVariable('deployflowCli')
    }

    @Test
    void withoutDeployflowCliItRunsDeployflowFromPath() {
        int code = script().runCli(['validate', '--config', 'deployflow.yaml'])
        assertEquals(0, code)
        assertEquals('deployflow validate --config deployflow.yaml', shScripts[0])
    }

    @Test
    void aJarPathRunsWithJavaJarTheLaunchersJvmOptionsAndItsArchiveAndIsQuoted() {
        envVars.DEPLOYFLOW_CLI = '/opt/deploy flow/deployflow.jar'
        script().runCli(['validate', '--config', 'deployflow.yaml'])
        assertEquals("java -XX:TieredStopAtLevel=1 '-XX:SharedArchiveFile=/opt/deploy flow/deployflow.jsa' " +
                "-Xlog:disable -Xlog:all=warning:stderr -jar '/opt/deploy flow/deployflow.jar' " +
                'validate --config deployflow.yaml', shScripts[0])
        assertEquals(['validate', '--config', 'deployflow.yaml'], cliCalls[0].argv)
    }

    @Test
    void theJarOptionsAreTheLaunchersSoBothStartTheSameJvm() {
        String launcher = new File(System.getProperty('deployflow.projectDir', '.'), 'bin/deployflow').text
        List options = script().jvmOptions('/opt/deployflow/deployflow.jar')
        String defaults = (launcher =~ /(?m)^defaults="([^"]*)"/)[0][1]
        options.findAll { !it.startsWith('-XX:SharedArchiveFile=') }.each { String option ->
            assertTrue(defaults.split(' ').contains(option), "${option} is one of the launcher's defaults: ${defaults}")
        }
        defaults.split(' ').each { String option ->
            assertTrue(options.contains(option), "the launcher's ${option} is passed for a jar too: ${options}")
        }
        assertTrue(launcher.contains('archive=${jar%.jar}.jsa'), 'the launcher names its archive as the steps do')
        assertTrue(options.contains('-XX:SharedArchiveFile=/opt/deployflow/deployflow.jsa'), options.toString())
    }

    @Test
    void anyOtherValueIsACommand() {
        envVars.DEPLOYFLOW_CLI = '/usr/local/bin/deployflow --quiet-jvm'
        script().runCli(['validate'])
        assertEquals('/usr/local/bin/deployflow --quiet-jvm validate', shScripts[0])
    }

    @Test
    void everyArgumentReachesTheCliUnchangedHoweverNastyItIs() {
        List nasty = ["it's", 'a b', '$HOME', '`id`', '"q"', 'x;rm -rf /', '', 'a\\b', '*', '~', '#c', 'ü-ß',
                      'line\nbreak', '--set', 'fhir-gateway=1.3.0', 'http://h:1/p?q=1&r=2']
        script().runCli(['decision'] + nasty)
        assertEquals(['decision'] + nasty, cliCalls[0].argv)
    }

    @Test
    void plainWordsStayReadable() {
        assertEquals('fhir-gateway=1.3.0', script().quote('fhir-gateway=1.3.0'))
        assertEquals('deployflow-out/acme/plan.json', script().quote('deployflow-out/acme/plan.json'))
        assertEquals("''", script().quote(''))
        assertEquals("'it'\"'\"'s'", script().quote("it's"))
    }

    @Test
    void exitCodesMapToOutcomes() {
        assertEquals(['ok', 'check-failed', 'bad-input', 'outside-failure', 'unexpected'],
                [0, 1, 2, 3, 127].collect { script().outcome(it) })
        script().check(0, 'validate')
        script().check(1, 'smoke', true)
        def checkFailed = assertThrows(PipelineError) { script().check(1, 'smoke') }
        assertTrue(checkFailed.message.contains('a check failed (exit 1)'), checkFailed.message)
        def bad = assertThrows(PipelineError) { script().check(2, 'validate') }
        assertTrue(bad.message.contains('bad input (exit 2)') && bad.message.contains('Nothing was changed'))
        def outside = assertThrows(PipelineError) { script().check(3, 'release-meeting') }
        assertTrue(outside.message.contains('outside system failed (exit 3)'), outside.message)
        def unknown = assertThrows(PipelineError) { script().check(127, 'validate') }
        assertTrue(unknown.message.contains('unexpected exit code 127'), unknown.message)
    }

    @Test
    void jsonComesBackAsPlainMapsAndLists() {
        java.nio.file.Files.copy(FIXTURES.resolve('plan.json'), ws('plan.json'))
        Map plan = script().readJson('plan.json')
        assertPlain(plan)
        assertEquals('1.3.0', plan.components[0].releaseVersion)
        assertEquals(['FHIR-12'], plan.components[0].changes[0].tickets)
        assertNull(plan.components[1].repoPerson.id)
        assertEquals(false, plan.components[2].hasChanges)
    }

    @Test
    void aMapPlanIsWrittenOutAndAPathIsKept() {
        assertEquals('given/plan.json', script().planFile('given/plan.json', 'out/plan.json'))
        String written = script().planFile([meetingDate: '2026-11-23', components: []], 'out/plan.json')
        assertEquals('out/plan.json', written)
        assertEquals('2026-11-23', script().readJson('out/plan.json').meetingDate)
        assertThrows(PipelineError) { script().planFile(42, 'out/plan.json') }
    }

    @Test
    void projectNamesAreUniquePerBuildAndValidForCompose() {
        assertEquals('df-team-release-job-42-acme', script().projectName('acme'))
        envVars.JOB_NAME = 'Folder/' + 'x' * 100
        String longName = script().projectName('acme')
        assertTrue(longName.length() <= 63 && longName ==~ /[a-z0-9][a-z0-9_-]*[a-z0-9]/, longName)
    }

    @Test
    void credentialsAreBoundToTheNamesTheCliReads() {
        List seen = []
        cli = { List argv -> seen.add(new LinkedHashMap(envVars)); 0 }
        script().withSecrets([git: 'git-creds', registry: 'registry-creds', github: 'github-token',
                              portainerApiKey: 'portainer-key', apiKeyEnv: 'ACME_PORTAINER_KEY']) {
            script().runCli(['validate'])
        }
        Map env = seen[0]
        assertEquals(password('git-creds'), env.DEPLOYFLOW_GIT_PASSWORD)
        assertEquals(password('registry-creds'), env.DEPLOYFLOW_REGISTRY_PASSWORD)
        assertEquals(secret('github-token'), env.DEPLOYFLOW_GITHUB_TOKEN)
        assertEquals(secret('portainer-key'), env.ACME_PORTAINER_KEY)
        assertNull(envVars.ACME_PORTAINER_KEY, 'the secret is gone after the block')
        assertEquals('deployflow validate', shScripts[0])
    }

    @Test
    void withoutCredentialIdsNothingIsBound() {
        script().withSecrets([git: null]) { script().runCli(['validate']) }
        assertEquals(0, helper.methodCallCount('withCredentials'))
        assertEquals(1, cliCalls.size())
    }

    @Test
    void theLeakGuardCatchesAnInterpolatedSecret() {
        // what a careless var would do: put the bound value into the command line
        script().withSecrets([portainerApiKey: 'portainer-key']) {
            script().runCli(['portainer', 'deploy', '--api-key', envVars.PORTAINER_API_KEY])
        }
        List<String> leaks = leakedSecrets()
        assertTrue(leaks.any { it.contains('sh script') }, leaks.join('\n'))
        assertTrue(leaks.any { it.contains('step call') && it.contains('(sh)') }, leaks.join('\n'))
        helper.callStack.clear()
        shScripts.clear()
        assertEquals([], leakedSecrets())
    }
}
