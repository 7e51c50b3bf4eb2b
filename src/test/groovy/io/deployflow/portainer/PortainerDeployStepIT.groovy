package io.deployflow.portainer

import com.sun.net.httpserver.HttpServer
import io.deployflow.vars.VarsTestBase
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.TimeUnit

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * portainerDeploy (the library step) with the real CLI against the stateful Portainer fake: the key is bound with
 * withCredentials, reaches only the CLI's environment, and is found in no script, log or written file (the base
 * class greps them all after each test); a failing smoke test rolls the stack back and fails the step saying so.
 */
class PortainerDeployStepIT extends VarsTestBase {
    static final Path JAR = Paths.get(System.getProperty('deployflow.jar', 'target/deployflow.jar')).toAbsolutePath()
    FakePortainer portainer
    FakePortainer.FakeStack stack
    HttpServer app

    @BeforeEach
    void start() {
        secretValues['portainer-key'] = FakePortainer.API_KEY
        portainer = new FakePortainer()
        portainer.deployPolls = 0
        portainer.endpoints.put(1, 'acme-prod')
        stack = portainer.addStack(7, 'acme-team-fhir-stack', 1, PortainerDeployerTest.OLD_FILE,
                PortainerDeployerTest.OLD_ENV)
        app = HttpServer.create(new InetSocketAddress('127.0.0.1', 0), 0)
        app.createContext('/') { exchange ->
            exchange.sendResponseHeaders(String.valueOf(stack.runningFile).contains('broken') ? 500 : 200, -1)
            exchange.close()
        }
        app.start()
        Files.writeString(ws('deployflow.yaml'), """
team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
components:
  - {name: fhir-gateway, repo: /r/gw, image: registry.example.org/fhir/fhir-gateway}
customers:
  - name: acme
    repo: https://git.example.org/customers/acme-stack.git
    portainer:
      url: ${portainer.url()}
      endpoint: acme-prod
      stack: acme-team-fhir-stack
      env: {LOG_LEVEL: info}
      deployedUrl: http://127.0.0.1:${app.address.port}
      waitSeconds: 20
""")
        Files.writeString(ws('routes.yaml'), 'routes:\n  - {name: metadata, path: /metadata, expect: {status: 200}}\n')
        envVars.DEPLOYFLOW_CLI = JAR.toString()
        cli = { List<String> argv -> bash(cliCalls.last().script as String) }
    }

    @AfterEach
    void stop() {
        portainer.close()
        app.stop(0)
    }

    int bash(String script) {
        ProcessBuilder builder = new ProcessBuilder('bash', '-c', script).directory(workspace.toFile())
                .redirectErrorStream(true)
        builder.environment().keySet().removeIf { it.startsWith('PORTAINER_') }
        envVars.each { k, v -> builder.environment().put(k, String.valueOf(v)) }
        Process process = builder.start()
        String output = new String(process.inputStream.readAllBytes(), StandardCharsets.UTF_8)
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), 'the CLI finished: ' + script)
        echoes.add(output)     // the console log: scanned for the key after the test
        return process.exitValue()
    }

    /** Deploys the file as tested at this gateway version (the plan the step holds the stack to). */
    Map deploy(String file, String gatewayVersion) {
        Files.writeString(ws('docker-compose.yml'), file)
        Files.writeString(ws('plan.json'), '{"components":[{"name":"fhir-gateway","releaseVersion":"' +
                gatewayVersion + '"}]}')
        return loadScript('portainerDeploy.groovy').call(customer: 'acme', file: 'docker-compose.yml',
                routes: 'routes.yaml', plan: 'plan.json', credentialsId: 'portainer-key')
    }

    @Test
    void deploysWithTheKeyOnlyInTheEnvironmentAndKeepsTheRollbackPoint() {
        Map result = deploy(PortainerDeployerTest.OLD_FILE.replace('${APP_VERSION}', '1.3.0'), '1.3.0')
        assertPlain(result)
        assertEquals('deployed', result.outcome)
        assertTrue(stack.runningFile.contains('fhir-gateway:1.3.0'), stack.runningFile)
        assertTrue(Files.readString(ws('deployflow-out/acme/rollback-point.json')).contains('fhir-gateway'))
        assertEquals('acme: deployed to Portainer', currentBuildVars.description)
    }

    @Test
    void aFailingSmokeTestRollsBackAndFailsTheStep() {
        def e = assertThrows(PipelineError) {
            deploy(PortainerDeployerTest.OLD_FILE.replace('${APP_VERSION}', '1.3.0-broken'), '1.3.0-broken')
        }
        assertTrue(e.message.startsWith('portainer deploy acme: '), e.message)
        assertTrue(e.message.contains('rolled back to the previous stack file and env, and the rollback is healthy'),
                e.message)
        assertEquals(PortainerDeployerTest.OLD_FILE, stack.runningFile, 'Portainer runs the old file again')
        assertTrue(Files.exists(ws('deployflow-out/acme/rollback-point.json')))
    }

    @Test
    void aStackThatIsNotTheTestedOneIsRefusedBeforePortainerIsWritten() {
        def e = assertThrows(PipelineError) {
            deploy(PortainerDeployerTest.OLD_FILE, '1.3.0')     // the gateway's tag comes from the stack's APP_VERSION
        }
        assertTrue(e.message.contains('but fhir-gateway was tested at 1.3.0'), e.message)
        assertEquals(PortainerDeployerTest.OLD_FILE, stack.file, 'nothing was sent')
    }
}
