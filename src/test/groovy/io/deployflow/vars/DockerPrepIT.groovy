package io.deployflow.vars

import io.deployflow.testjobs.JobCredentials
import io.deployflow.testpeers.Peer
import io.deployflow.testpeers.PodmanPeer
import io.deployflow.testpeers.RegistryPeer
import io.deployflow.testpeers.TestImages
import org.junit.jupiter.api.Test

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.TimeUnit

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * dockerPrep on a real engine (podman + docker-compose) with the real CLI: set-versions, stack up, smoke and the
 * teardown in finally, for an image that answers every route and one that fails a route. The routes send a bearer
 * token from the environment; the leak check scans the CLI's output, the workspace and the JUnit/JSON for it.
 */
class DockerPrepIT extends VarsTestBase {
    static final Path JAR = Paths.get(System.getProperty('deployflow.jar', 'target/deployflow.jar')).toAbsolutePath()

    int bash(String script) {
        ProcessBuilder builder = new ProcessBuilder('bash', '-c', script).directory(workspace.toFile())
                .redirectErrorStream(true)
        envVars.each { k, v -> builder.environment().put(k, String.valueOf(v)) }
        Process process = builder.start()
        String output = new String(process.inputStream.readAllBytes(), StandardCharsets.UTF_8)
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), 'the CLI finished: ' + script)
        echoes.add(output)      // the console: scanned for secrets after the test
        println("+ ${script}\n${output}")
        return process.exitValue()
    }

    void customer(String image, int port) {
        Files.createDirectories(ws('customers/acme/smoke'))
        Files.writeString(ws('customers/acme/docker-compose.yml'), "# acme's stack\nservices:\n" +
                TestImages.service('fhir-gateway', image + ':1.2.0', port))
        Files.writeString(ws('customers/acme/smoke/routes.yaml'), """
baseUrl: http://127.0.0.1:${port}
headers: {Authorization: 'Bearer \${SMOKE_TOKEN}'}
routes:
  - {name: health, path: /health, expect: {status: 200, bodyContains: ['"version":"1.3.0"']}}
  - {name: patient, path: /fhir/Patient/example, expect: {status: 200}, component: fhir-gateway}
""")
        Files.writeString(ws('deployflow.yaml'), """
team:
  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
components:
  - {name: fhir-gateway, repo: 'file:///nowhere', image: '${image}'}
customers:
  - {name: acme, repo: 'file:///nowhere'}
""")
    }

    String running(PodmanPeer podman, String project) {
        return podman.podman('ps', '-a', '-q', '--filter', 'label=com.docker.compose.project=' + project).trim()
    }

    @Test
    void aGoodStackPassesABrokenOneNamesItsRepoPersonAndBothAreTornDown() {
        PodmanPeer podman = PodmanPeer.shared()
        envVars.putAll(podman.environment())
        // a token the routes send (as a withCredentials around the step would bind it): never in a report or log
        secretValues['smoke-token'] = JobCredentials.token('', 32)
        envVars.SMOKE_TOKEN = secretValues['smoke-token']
        envVars.DEPLOYFLOW_CLI = JAR.toString()
        envVars.BUILD_NUMBER = String.valueOf(ProcessHandle.current().pid())
        cli = { List<String> argv -> bash(cliCalls.last().script as String) }
        Files.writeString(ws('plan.json'), '''{"meetingDate":"2026-11-23","components":[{"name":"fhir-gateway",
 "hasChanges":true,"lastRelease":"1.2.0","nextVersion":"1.3.0","releaseVersion":"1.3.0",
 "repoPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org","known":true},"changes":[]}],
 "customers":[{"name":"acme","dcPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org"}}]}''')
        String project = 'df-team-release-job-' + envVars.BUILD_NUMBER + '-acme'
        RegistryPeer registry = RegistryPeer.start(workspace.resolve('registry'))
        TestImages images = null
        try {
            images = TestImages.build(podman, registry, '1.3.0')
            Object step = loadScript('dockerPrep.groovy')

            customer(images.repository('good'), Peer.freePort())
            Map good = step.call(customer: 'acme', plan: 'plan.json', routes: 'smoke/routes.yaml', wait: '120s',
                    readyTimeout: '30s')
            assertPlain(good)
            assertTrue(good.passed, "every route passes at 1.3.0: ${good.failures}")
            assertTrue(Files.readString(ws('customers/acme/docker-compose.yml')).contains('good:1.3.0'))
            assertEquals('', running(podman, project), 'the stack is down after dockerPrep')

            customer(images.repository('broken'), Peer.freePort())
            Map broken = step.call(customer: 'acme', plan: 'plan.json', routes: 'smoke/routes.yaml', wait: '120s',
                    readyTimeout: '30s', outDir: 'deployflow-out/broken')
            assertPlain(broken)
            assertFalse(broken.passed)
            assertEquals(['patient'], broken.failures.collect { it.route })
            assertEquals('fhir-gateway', broken.failures[0].component)
            assertEquals('dev2', broken.failures[0].repoPerson.id)
            assertTrue(Files.readString(ws('deployflow-out/broken/acme/smoke-junit.xml')).contains('patient'))
            assertEquals('', running(podman, project), 'the failing stack is down too')
        } finally {
            bash("java -jar '${JAR}' stack down --project ${project} >/dev/null 2>&1 || true")
            images?.removePulled(podman)
            registry.close()
        }
    }
}
