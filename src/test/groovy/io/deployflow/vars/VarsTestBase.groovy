package io.deployflow.vars

import com.lesfurets.jenkins.unit.BasePipelineTest
import io.deployflow.testjobs.JobCredentials
import io.deployflow.testsupport.LeakScan
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue
import static org.junit.jupiter.api.Assertions.fail

/**
 * Runs the library's vars in JenkinsPipelineUnit (non-CPS) with a fake agent: the workspace is a real temp
 * directory, `sh` parses the script it gets as a POSIX shell would and hands the CLI's argv to a fake CLI that
 * writes the JSON the real CLI would write (fixtures under src/test/resources/vars-fixtures), and withCredentials
 * sets secret values in env only while its body runs, so a test can prove they never reach a script or a log.
 *
 * <p>The credentials hold random, real-looking values (a GitHub token shape, long passwords, an ssh private key
 * file) made anew for each test, and after each test every channel is scanned for them ({@link LeakScan}): every
 * recorded call, echo and sh script, the description, every file of the workspace (git objects included) and of
 * the state directories a test adds ({@link #stateDirs}). LeakGuardControlTest plants values to prove the scan
 * finds them.
 */
abstract class VarsTestBase extends BasePipelineTest {
    static final Path PROJECT = Paths.get(System.getProperty('deployflow.projectDir', System.getProperty('user.dir')))
    static final Path FIXTURES = PROJECT.resolve('src/test/resources/vars-fixtures')

    /** Credentials id → user:password, a secret text, or (git-ssh) the path of a private key file outside the workspace. */
    Map<String, String> secretValues = [
            'git-creds'      : 'gitUser:' + JobCredentials.token('', 24),
            'registry-creds' : 'regUser:' + JobCredentials.token('', 24),
            'portainer-key'  : JobCredentials.token('ptr_', 43),
            'portainer-login': 'admin:' + JobCredentials.token('', 24),
            'github-token'   : JobCredentials.token('ghp_', 36),
            'customer-creds' : 'custUser:' + JobCredentials.token('', 24),
            'git-ssh'        : privateKeyFile().toString()]
    Path workspace
    Map<String, Object> envVars
    /** Each CLI call: [argv: [...], env: [name: value at the time of the call], script: the sh text]. */
    List<Map> cliCalls = []
    List<String> shScripts = []
    List<String> echoes = []
    List<Map> inputCalls = []
    List<Object> inputAnswers = []
    /** The fake CLI: gets the argv after the CLI command and returns the exit code. */
    Closure<Integer> cli = { List<String> argv -> 0 }
    Map currentBuildVars
    List<Map> buildCauses = [[_class: 'hudson.model.Cause$UserIdCause', shortDescription: 'Started by user Dev One',
                              userId: 'dev1', userName: 'Dev One']]

    @BeforeEach
    void setUpPipeline() {
        baseScriptRoot = PROJECT.toString()
        scriptRoots = ['vars'] as String[]
        scriptExtension = 'groovy'
        super.setUp()
        workspace = Files.createTempDirectory('vars-ws')
        envVars = [JOB_NAME: 'Team/Release Job', BUILD_NUMBER: '42', WORKSPACE: workspace.toString(),
                   BUILD_URL: 'http://jenkins.example/job/release/42/']
        binding.setVariable('env', envVars)
        // the build was started by dev1 (currentBuild.getBuildCauses() as Jenkins gives it)
        currentBuildVars = [result: null, description: null, getBuildCauses: { -> buildCauses }]
        binding.setVariable('currentBuild', currentBuildVars)

        helper.registerAllowedMethod('sh', [Map]) { Map a -> runSh(a) }
        helper.registerAllowedMethod('echo', [String]) { String s -> echoes.add(s) }
        helper.registerAllowedMethod('error', [String]) { String s -> throw new PipelineError(s) }
        helper.registerAllowedMethod('unstable', [String]) { String s ->
            echoes.add('UNSTABLE: ' + s)
            currentBuildVars.result = 'UNSTABLE'
        }
        helper.registerAllowedMethod('readFile', [Map]) { Map a -> Files.readString(ws(a.file)) }
        helper.registerAllowedMethod('writeFile', [Map]) { Map a ->
            Path p = ws(a.file)
            Files.createDirectories(p.parent)
            Files.writeString(p, a.text.toString())
        }
        helper.registerAllowedMethod('fileExists', [String]) { String f -> Files.exists(ws(f)) }
        helper.registerAllowedMethod('archiveArtifacts', [Map]) { Map a -> }
        helper.registerAllowedMethod('junit', [Map]) { Map a ->
            assertTrue(Files.exists(ws(a.testResults)), 'junit publishes a file that exists: ' + a.testResults)
        }
        helper.registerAllowedMethod('dir', [String, Closure]) { String d, Closure c -> c.call() }
        helper.registerAllowedMethod('git', [Map]) { Map a -> }
        helper.registerAllowedMethod('mail', [Map]) { Map a -> }
        helper.registerAllowedMethod('libraryResource', [String]) { String path ->
            Files.readString(PROJECT.resolve('resources').resolve(path))
        }
        helper.registerAllowedMethod('timeout', [Map, Closure]) { Map a, Closure c -> c.call() }
        helper.registerAllowedMethod('input', [Map]) { Map a ->
            inputCalls.add(a)
            if (inputAnswers.isEmpty()) {
                fail('the step asked for more input than the test answers: ' + a.id)
            }
            Object answer = inputAnswers.remove(0)
            if (answer instanceof Throwable) {
                throw answer
            }
            return answer
        }
        helper.registerAllowedMethod('choice', [Map]) { Map a -> [type: 'choice'] + a }
        helper.registerAllowedMethod('string', [Map]) { Map a -> [type: 'string'] + a }
        helper.registerAllowedMethod('text', [Map]) { Map a -> [type: 'text'] + a }
        helper.registerAllowedMethod('booleanParam', [Map]) { Map a -> [type: 'booleanParam'] + a }
        helper.registerAllowedMethod('withEnv', [List, Closure]) { List vars, Closure body -> withFakeEnv(vars, body) }
        helper.registerAllowedMethod('usernamePassword', [Map]) { Map a -> [type: 'usernamePassword'] + a }
        helper.registerAllowedMethod('sshUserPrivateKey', [Map]) { Map a -> [type: 'sshUserPrivateKey'] + a }
        helper.registerAllowedMethod('withCredentials', [List, Closure]) { List bindings, Closure body ->
            withFakeCredentials(bindings, body)
        }

        binding.setVariable('deployflowCli', loadScript('deployflowCli.groovy'))
        binding.setVariable('smokeTest', loadScript('smokeTest.groovy'))
        binding.setVariable('approvalGate', loadScript('approvalGate.groovy'))
    }

    @AfterEach
    void noSecretLeaked() {
        List<String> leaks = leakedSecrets()
        assertTrue(leaks.isEmpty(), 'a secret leaked into a script, log, description or file:\n' + leaks.join('\n'))
    }

    /**
     * Where each bound secret shows up: every recorded call (sh scripts, echo, error, input...), every echo and
     * console text, the description, every file of the workspace and the state directories.
     */
    List<String> leakedSecrets() {
        Map<String, String> texts = [:]
        helper.callStack.eachWithIndex { call, i -> texts["step call ${i} (${call.methodName})".toString()] = call.toString() }
        echoes.eachWithIndex { text, i -> texts["echo/console ${i}".toString()] = text }
        shScripts.eachWithIndex { text, i -> texts["sh script ${i}".toString()] = text }
        texts['build description'] = String.valueOf(currentBuildVars.description)
        LeakScan scan = new LeakScan(secrets())
        return scan.inTexts(texts) + scan.inFiles(([workspace] + stateDirs()).findAll { it != null } as Path[])
    }

    /** Directories besides the workspace where a step or the CLI may write (the CLI's cache in an IT). */
    List<Path> stateDirs() {
        return []
    }

    /** The secret part of every credential: passwords, tokens, and each line of the private key. */
    List<String> secrets() {
        return secretValues.collectMany { String id, String value ->
            if (id == 'git-ssh') {
                return Files.readAllLines(Paths.get(value)).findAll { !it.startsWith('-----') }
            }
            return [value.contains(':') ? value.substring(value.indexOf(':') + 1) : value]
        }
    }

    String password(String id) {
        return secretValues[id].split(':', 2)[1]
    }

    String secret(String id) {
        return secretValues[id]
    }

    /** A private key file (random content in the OpenSSH layout), outside the workspace as Jenkins keeps it. */
    static Path privateKeyFile() {
        Path file = Files.createTempFile('vars-ssh-key', '')
        file.toFile().deleteOnExit()
        Files.writeString(file, '-----BEGIN OPENSSH PRIVATE KEY-----\n' +
                (1..4).collect { JobCredentials.token('', 70) }.join('\n') + '\n-----END OPENSSH PRIVATE KEY-----\n')
        return file
    }

    Path ws(Object file) {
        return workspace.resolve(file.toString())
    }

    Object runSh(Map a) {
        String script = a.script.toString()
        shScripts.add(script)
        List<String> words = ShellWords.split(script)
        List<String> prefix = cliPrefix()
        assertEquals(prefix, words.take(prefix.size()), 'the CLI is started as configured: ' + script)
        List<String> argv = words.drop(prefix.size())
        cliCalls.add([argv: argv, env: new LinkedHashMap(envVars), script: script])
        assertTrue(a.returnStatus == true, 'CLI calls use returnStatus so the step maps exit codes: ' + script)
        return cli.call(argv)
    }

    List<String> cliPrefix() {
        String configured = envVars.DEPLOYFLOW_CLI
        if (!configured) {
            return ['deployflow']
        }
        // the jar's JVM options are deployflowCli's own business (DeployflowCliTest checks them)
        return ShellWords.split(binding.getVariable('deployflowCli').cliCommand(configured))
    }

    Object withFakeCredentials(List bindings, Closure body) {
        Map<String, String> set = [:]
        bindings.each { Map b ->
            String value = secretValues[b.credentialsId]
            assertTrue(value != null, 'unknown credentials id in test: ' + b.credentialsId)
            switch (b.type) {
                case 'usernamePassword':
                    set[b.usernameVariable] = value.split(':')[0]
                    set[b.passwordVariable] = value.split(':')[1]
                    break
                case 'string':
                    set[b.variable] = value
                    break
                case 'sshUserPrivateKey':
                    set[b.keyFileVariable] = value
                    break
                default:
                    fail('unknown binding ' + b)
            }
        }
        envVars.putAll(set)
        try {
            return body.call()
        } finally {
            set.keySet().each { envVars.remove(it) }
        }
    }

    /** withEnv: the variables are set while the body runs, then put back as they were. */
    Object withFakeEnv(List vars, Closure body) {
        Map<String, Object> before = [:]
        vars.each { String pair ->
            String name = pair.substring(0, pair.indexOf('='))
            before[name] = envVars.containsKey(name) ? envVars[name] : this
            envVars[name] = pair.substring(pair.indexOf('=') + 1)
        }
        try {
            return body.call()
        } finally {
            before.each { name, value -> value.is(this) ? envVars.remove(name) : envVars.put(name, value) }
        }
    }

    /** The value after an option in a CLI argv, or null. */
    static String opt(List<String> argv, String name) {
        int i = argv.indexOf(name)
        return i < 0 ? null : argv[i + 1]
    }

    /** Writes a fixture where the CLI writes its --json (or another option's) output. */
    void writeFixture(List<String> argv, String option, String fixture, Map<String, String> replace = [:]) {
        String target = opt(argv, option)
        assertTrue(target != null, "the step passes ${option}: ${argv}")
        String text = Files.readString(FIXTURES.resolve(fixture))
        replace.each { k, v -> text = text.replace(k, v) }
        Path p = ws(target)
        Files.createDirectories(p.parent)
        Files.writeString(p, text)
    }

    List<List<String>> argvs() {
        return cliCalls.collect { it.argv }
    }

    List<String> commandsRun() {
        return cliCalls.collect { it.argv.take(it.argv[0] in ['compose', 'stack', 'portainer'] ? 2 : 1).join(' ') }
    }

    /** Proves a value can be kept across a CPS step: only plain maps, lists and scalars, and it serializes. */
    static void assertPlain(Object value) {
        walkPlain(value, 'result')
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(value)
    }

    private static void walkPlain(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return
        }
        if (value instanceof Map) {
            assertEquals(LinkedHashMap, value.getClass(), "${path} is a plain [:] map, not ${value.getClass()}")
            value.each { k, v -> walkPlain(v, "${path}.${k}") }
            return
        }
        if (value instanceof List) {
            assertEquals(ArrayList, value.getClass(), "${path} is a plain [] list, not ${value.getClass()}")
            value.eachWithIndex { v, i -> walkPlain(v, "${path}[${i}]") }
            return
        }
        fail("${path} is a ${value.getClass()}, not a plain JSON value")
    }

    /** What Jenkins' error step throws (hudson.AbortException); a distinct type so tests can tell it apart. */
    static class PipelineError extends IOException {
        PipelineError(String message) {
            super(message)
        }
    }
}
