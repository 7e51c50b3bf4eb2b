package io.deployflow.vars

import com.sun.net.httpserver.HttpServer
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.TimeUnit

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertNotNull
import static org.junit.jupiter.api.Assertions.assertThrows
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The vars against the real CLI: `sh` runs the script the step built with bash in the workspace, with
 * DEPLOYFLOW_CLI pointing at the shaded jar. This proves the flags, the quoting and the JSON the steps read
 * against the engine itself, not against fixtures. Steps that take credentials get them bound, and the leak check
 * after each test scans the CLI's output, the workspace (JSON, audit log, git objects) and the CLI's cache.
 */
class VarsCliIT extends VarsTestBase {
    static final Path JAR = Paths.get(System.getProperty('deployflow.jar', 'target/deployflow.jar')).toAbsolutePath()
    HttpServer server
    /** The CLI's repository cache (XDG_CACHE_HOME): the leak check scans it with the workspace. */
    Path state

    @BeforeEach
    void realCli() {
        assertTrue(Files.isRegularFile(JAR), 'the shaded jar is built: ' + JAR)
        envVars.DEPLOYFLOW_CLI = JAR.toString()
        state = Files.createTempDirectory('vars-cli-state')
        envVars.XDG_CACHE_HOME = state.toString()
        cli = { List<String> argv -> bash(cliCalls.last().script as String) }
    }

    @Override
    List<Path> stateDirs() {
        return [state]
    }

    @AfterEach
    void stopServer() {
        server?.stop(0)
    }

    int bash(String script) {
        ProcessBuilder builder = new ProcessBuilder('bash', '-c', script).directory(workspace.toFile())
                .redirectErrorStream(true)
        envVars.each { k, v -> builder.environment().put(k, String.valueOf(v)) }
        Process process = builder.start()
        String output = new String(process.inputStream.readAllBytes(), StandardCharsets.UTF_8)
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), 'the CLI finished: ' + script)
        echoes.add(output)
        println("+ ${script}\n${output}")
        return process.exitValue()
    }

    /** `deployflow demo`: example repositories and a config in the workspace, as the README's main job makes them. */
    Path demo() {
        assertEquals(0, bash("java -jar '${JAR}' demo --dir demo --date 2026-11-23 >/dev/null"))
        Path config = workspace.resolve('demo/deployflow.yaml')
        assertTrue(Files.isRegularFile(config))
        return config
    }

    @Test
    void releaseMeetingRunsTheMeetingAndBothNotesAndReturnsThePlan() {
        demo()
        Object step = loadScript('releaseMeeting.groovy')
        Map plan = step.call(config: 'demo/deployflow.yaml', date: '2026-11-23', cache: 'demo/cache', notes: 'both')
        assertPlain(plan)
        assertEquals('2026-11-23', plan.meetingDate)
        List releasing = plan.components.findAll { it.hasChanges }
        assertFalse(releasing.isEmpty(), 'the demo has something to release')
        String description = currentBuildVars.description
        assertTrue(description.startsWith("${releasing.size()} to release: ${releasing[0].name} " +
                "${releasing[0].releaseVersion}"), description)
        plan.customers.each { assertTrue(description.contains("${it.name}→${it.dcPerson.id}"), description) }
        assertTrue(Files.readString(ws('deployflow-out/release-notes.md')).contains(releasing[0].name))
        assertTrue(Files.readString(ws('deployflow-out/release-notes.html')).contains('<'))
    }

    @Test
    void aBrokenConfigIsBadInputAndFailsTheStep() {
        demo()
        Files.writeString(ws('broken.yaml'), Files.readString(ws('demo/deployflow.yaml'))
                .replace('cadenceDays: 7', 'cadenceDayz: 7'))
        def e = assertThrows(PipelineError) { loadScript('releaseMeeting.groovy').call(config: 'broken.yaml') }
        // the step reads its settings (credential ids) from the config first, so that is where the config is refused
        assertEquals('deployflow config show: bad input (exit 2); the log above names the file, line and field. ' +
                'Nothing was changed.', e.message)
        assertTrue(echoes.any { it.contains('broken.yaml') && it.contains('cadenceDayz') }, echoes.join('\n'))
    }

    @Test
    void smokeTestReadsTheRealReportAndNamesTheRepoPerson() {
        server = HttpServer.create(new InetSocketAddress('127.0.0.1', 0), 0)
        server.createContext('/') { exchange ->
            boolean health = exchange.requestURI.path == '/health'
            byte[] body = (health ? '{"status":"UP"}' : 'no such page').getBytes(StandardCharsets.UTF_8)
            exchange.sendResponseHeaders(health ? 200 : 404, body.length)
            exchange.responseBody.withCloseable { it.write(body) }
        }
        server.start()
        Path config = demo()
        Map plan = new groovy.json.JsonSlurper().parse(workspace.resolve('demo/plan.json').toFile())
        Map component = plan.components[0]
        Files.writeString(ws("it's routes.yaml"), """
baseUrl: http://127.0.0.1:${server.address.port}
routes:
  - name: health
    path: /health
    expect: {status: 200, bodyContains: ["UP"]}
  - name: metadata
    path: /fhir/metadata
    expect: {status: 200}
    component: ${component.name}
""")
        Object step = loadScript('smokeTest.groovy')
        Map result = step.call(routes: "it's routes.yaml", plan: 'demo/plan.json', config: workspace.relativize(config),
                concurrency: 2, readyTimeout: '10s')
        assertPlain(result)
        assertFalse(result.passed)
        assertEquals('UNSTABLE', currentBuildVars.result)
        assertEquals(1, result.failures.size())
        assertEquals('metadata', result.failures[0].route)
        assertEquals(component.name, result.failures[0].component)
        assertEquals(component.repoPerson.email, result.failures[0].repoPerson.email)
        assertNotNull(result.failures[0].message)
        assertTrue(Files.readString(ws('deployflow-out/smoke-junit.xml')).contains('metadata'))
    }

    @Test
    void releaseDecisionAsksAgainUntilTheEngineAcceptsTheDecider() {
        Path config = demo()
        Files.writeString(config, Files.readString(config) + '\ndecision:\n  deciders: [dev1]\n')
        Files.createDirectories(ws('deployflow-out/acme'))
        Files.copy(FIXTURES.resolve('smoke-failed.json'), ws('deployflow-out/acme/smoke.json'))
        Map prep = [passed: false, report: 'deployflow-out/acme/smoke.json',
                    failures: [[route: 'patient-create', component: 'fhir-gateway', message: 'expected 201, got 500',
                                repoPerson: [id: 'dev2', name: 'Developer Two', email: 'dev2@example.org']]]]
        inputAnswers.add([DECISION: 'release-with-error', REASON: 'known issue FHIR-88', approver: 'dev3'])
        inputAnswers.add([DECISION: 'release-with-error', REASON: 'known issue FHIR-88', approver: 'dev1'])
        Map decision = loadScript('releaseDecision.groovy').call(failures: prep, customer: 'acme',
                config: 'demo/deployflow.yaml', gitCredentialsId: 'git-creds', gitSshCredentialsId: 'git-ssh')
        assertPlain(decision)
        assertEquals(2, decision.round, 'dev3 is no decider: the engine refused, the step asked again')
        assertEquals('release-with-error', decision.record.choice)
        assertEquals('dev1', decision.record.decidedBy.id)
        assertEquals('known issue FHIR-88', decision.record.reason)
        // the engine reads the failing components from the smoke report itself
        assertEquals(['fhir-gateway', 'terminology'], decision.record.failing.collect { it.component })
        assertEquals('dev2@example.org', decision.record.failing[0].repoPerson.email)
    }

    @Test
    void deliverPushesToTheCustomerRepositoryAndReportsTheTag() {
        Path config = demo()
        assertEquals(0, bash('''set -e
            mkdir seed && cd seed && git init -q -b main
            printf 'services:\\n  fhir-gateway:\\n    image: registry.example.org/fhir/fhir-gateway:1.2.0  # pinned\\n' \\
                > docker-compose.yml
            printf '# acme stack\\n' > README.md
            git add -A && git -c user.name=ops -c user.email=ops@example.org commit -q -m "acme stack"
            git branch develop && cd .. && git clone -q --bare seed acme.git
            mkdir tested && sed 's/1.2.0/1.3.0/' seed/docker-compose.yml > tested/docker-compose.yml'''))
        Files.writeString(config, Files.readString(config).replace('https://git.example.org/customers/acme-stack.git',
                'file://' + workspace.resolve('acme.git')))
        // bound as a real build binds them (file:// needs none): the leak check proves no value reaches any output
        Map result = loadScript('deliver.groovy').call(customer: 'acme', plan: 'demo/plan.json',
                file: 'tested/docker-compose.yml', config: 'demo/deployflow.yaml', cache: 'delivery-cache',
                credentialsId: 'customer-creds', sshCredentialsId: 'git-ssh', githubCredentialsId: 'github-token')
        assertPlain(result)
        assertEquals('delivered', result.status)
        assertNotNull(result.tag?.name)
        assertEquals("acme: delivered ${result.tag.name}".toString(), currentBuildVars.description)
        assertEquals(0, bash("git -C acme.git rev-parse -q --verify 'refs/tags/${result.tag.name}' >/dev/null"))
        assertEquals(0, bash("git -C acme.git show main:docker-compose.yml | grep -q 'fhir-gateway:1.3.0  # pinned'"))
    }
}
