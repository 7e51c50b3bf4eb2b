package io.deployflow.testjobs

import com.lesfurets.jenkins.unit.BasePipelineTest
import hudson.AbortException
import io.deployflow.testpeers.Peer
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException

import java.nio.charset.StandardCharsets
import java.nio.file.FileSystems
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.PathMatcher
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.TimeUnit

/**
 * One build of one test job, run as a Jenkins agent would run it: JenkinsPipelineUnit loads the job and the
 * library's vars (non-CPS), and every step does the real thing in a real workspace. {@code sh} writes the script
 * to {@code <workspace>@tmp} and runs it with {@code /bin/sh -xe} (or its own {@code #!} interpreter) as
 * durable-task does; {@code git} runs git; {@code junit} reads the XML and makes the build UNSTABLE for a failed
 * case; {@code archiveArtifacts} copies files and fails on an empty match; {@code input} takes the header's
 * answers with the plugin's return shapes; {@code withCredentials} binds values from {@link JobCredentials} and
 * masks them in the console. Declarative {@code pipeline {}} is interpreted by {@link Declarative}.
 *
 * <p>Every step the harness does not implement is unknown to it: calling one stops the test (HarnessStop or
 * MissingMethodException), never a silent no-op.
 */
class PipelineRun extends BasePipelineTest {
    static final Path PROJECT = Path.of(System.getProperty('deployflow.projectDir', System.getProperty('user.dir')))
            .toAbsolutePath()
    static final long SH_TIMEOUT_MINUTES = 15
    /** The run on this thread, for the few Declarative conditions that read the build (when { environment }). */
    static final ThreadLocal<PipelineRun> CURRENT = new ThreadLocal<>()

    final Path jobFile
    final String jobName
    final Path workspace
    final Path tmp
    final Path agentHome
    final Path archive
    final Map<String, String> agentEnv
    final Map<String, Object> paramOverrides
    final JobCredentials credentials
    final List<JobHeader.InputAnswer> answers

    final StringBuilder console = new StringBuilder()
    final JobEnv env = new JobEnv()
    final Map<String, Object> params = [:]
    final CurrentBuild currentBuild
    final List<Map> inputsAsked = []
    final List<Map> mails = []
    final List<String> stages = []
    final List<String> librariesLoaded = []
    /** The parameters a Declarative job declares (a peer's address is only passed to a job that asks for it). */
    final List<String> declaredParameters = []
    /** Values withCredentials masks in the console while its body runs. */
    private final List<String> masked = []
    private final Deque<Path> dirs = new ArrayDeque<>()
    private int scripts
    /** The current stage's own result (unstable, junit, catchError), for Declarative's stage-level post. */
    BuildResult stageResult
    /** Set when the job's top-level code (or the Declarative run) ended with an exception. */
    Throwable failure

    PipelineRun(Path jobFile, Path runDir, Map<String, String> agentEnv, Map<String, Object> paramOverrides,
                JobCredentials credentials, List<JobHeader.InputAnswer> answers) {
        this.jobFile = jobFile.toAbsolutePath()
        this.jobName = jobFile.fileName.toString() - '.Jenkinsfile'
        this.workspace = runDir.resolve('workspace')
        this.tmp = runDir.resolve('workspace@tmp')
        this.agentHome = runDir.resolve('agent-home')
        this.archive = runDir.resolve('archive')
        this.agentEnv = agentEnv
        this.paramOverrides = paramOverrides
        this.credentials = credentials
        this.answers = new ArrayList<>(answers)
        // a unique number: compose project names and container names are machine-wide, and so are podman's
        this.currentBuild = new CurrentBuild((int) (ProcessHandle.current().pid() % 100000), null,
                JobHeader.BUILD_USER)
    }

    /** Runs the build to its end and returns its result; {@link #failure} says why it ended early, if it did. */
    BuildResult run() {
        [workspace, tmp, agentHome, archive].each { Files.createDirectories(it) }
        dirs.push(workspace)
        scriptRoots = [PROJECT.resolve('vars').toString(), jobFile.parent.toString()] as String[]
        scriptExtension = 'groovy'
        super.setUp()
        // JenkinsPipelineUnit registers no-op steps; none may stay, or a step the harness lacks would pass silently
        helper.allowedMethodCallbacks.clear()
        Steps.register(this)
        String buildUrl = "http://jenkins.example/job/${jobName}/${currentBuild.number}/"
        env.putAll([JOB_NAME: jobName, JOB_BASE_NAME: jobName, BUILD_NUMBER: currentBuild.id, BUILD_ID: currentBuild.id,
                    BUILD_TAG: "jenkins-${jobName}-${currentBuild.number}", BUILD_URL: buildUrl,
                    JENKINS_URL: 'http://jenkins.example/', NODE_NAME: 'built-in', EXECUTOR_NUMBER: '0',
                    WORKSPACE: workspace.toString(), WORKSPACE_TMP: tmp.toString()])
        // a node's environment variables (DEPLOYFLOW_CLI, DOCKER_HOST) are part of env, as on a configured agent
        env.putAll(agentEnv)
        binding.setVariable('env', env)
        binding.setVariable('params', params)
        binding.setVariable('currentBuild', currentBuild)
        currentBuild.metaClass.getAbsoluteUrl = { -> buildUrl }
        log("Started by user ${JobHeader.BUILD_USER}")
        CURRENT.set(this)
        try {
            Script script = loadScript(jobFile.fileName.toString())
            script.run()
        } catch (Throwable t) {
            failure = t
            endedBy(t)
        } finally {
            CURRENT.remove()
        }
        log("Finished: ${currentBuild.currentResult}")
        return BuildResult.of(currentBuild.currentResult)
    }

    /** What an exception leaving a step does to the build (Jenkins' CpsFlowExecution → Run.setResult). */
    void endedBy(Throwable t) {
        if (t instanceof FlowInterruptedException) {
            currentBuild.result = t.buildResult()
            log("${t.buildResult()}: ${t.message}")
        } else if (t instanceof AbortException) {
            currentBuild.result = 'FAILURE'
            log("ERROR: ${t.message}")
        } else {
            currentBuild.result = 'FAILURE'
            log("Also:   ${t}")
        }
    }

    /**
     * The value an automated run gives a parameter instead of its default: a peer's address, or for a parameter
     * named *_PORT a port that is free now (so a job's own server does not collide with another build's).
     */
    Object overrideFor(String name) {
        if (paramOverrides.containsKey(name)) {
            return paramOverrides[name]
        }
        return name.endsWith('_PORT') ? String.valueOf(Peer.freePort()) : null
    }

    // ---------------------------------------------------------------- the agent: directories, env, console

    Path cwd() {
        return dirs.peek()
    }

    Path resolve(Object file) {
        Path p = cwd().resolve(file.toString()).normalize()
        return p
    }

    Object inDir(Object path, Closure body) {
        dirs.push(resolve(path))
        try {
            return body.call()
        } finally {
            dirs.pop()
        }
    }

    /** A console line, with every value withCredentials binds masked as Jenkins masks it. */
    void log(Object line) {
        String text = String.valueOf(line)
        masked.each { if (it) { text = text.replace(it, '****') } }
        console.append(text)
        if (!text.endsWith('\n')) {
            console.append('\n')
        }
    }

    /** What a process started by {@code sh} sees: the agent's environment (without USER, as Jenkins' sh), env. */
    Map<String, String> processEnv() {
        Map<String, String> out = new LinkedHashMap<>(System.getenv())
        ['USER', 'LOGNAME', 'MAVEN_OPTS', 'MAVEN_CMD_LINE_ARGS', 'JAVA_TOOL_OPTIONS', 'CLASSPATH'].each { out.remove(it) }
        out.HOME = agentHome.toString()
        out.XDG_CACHE_HOME = agentHome.resolve('.cache').toString()
        out.putAll(agentEnv)
        params.each { k, v -> out[k] = String.valueOf(v) }
        env.each { k, v ->
            if (v != null) {
                out[k.toString()] = v.toString()
            }
        }
        return out
    }

    Object withMasked(List<String> values, Closure body) {
        masked.addAll(values)
        try {
            return body.call()
        } finally {
            values.each { masked.remove(it) }
        }
    }

    // ---------------------------------------------------------------- sh

    Object sh(Object arg) {
        Map a = arg instanceof Map ? arg : [script: arg]
        String script = a.script.toString()
        Files.createDirectories(cwd())
        Path dir = tmp.resolve("durable-${++scripts}")
        Files.createDirectories(dir)
        Path file = dir.resolve('script.sh')
        Files.writeString(file, script)
        List<String> command
        if (script.startsWith('#!')) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString('rwx------'))
            command = [file.toString()]
        } else {
            command = ['/bin/sh', '-xe', file.toString()]
        }
        log("[Pipeline] sh${a.label ? ' (' + a.label + ')' : ''}")
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd().toFile())
        builder.environment().clear()
        builder.environment().putAll(processEnv())
        Path stderr = dir.resolve('stderr')
        if (a.returnStdout) {
            builder.redirectError(stderr.toFile())
        } else {
            builder.redirectErrorStream(true)
        }
        Process process = builder.start()
        String output = new String(process.inputStream.readAllBytes(), StandardCharsets.UTF_8)
        if (!process.waitFor(SH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach { it.destroyForcibly() }
            process.destroyForcibly()
            throw new HarnessStop("sh ran longer than ${SH_TIMEOUT_MINUTES} minutes: ${script}")
        }
        int code = process.exitValue()
        if (a.returnStdout) {
            log(Files.readString(stderr))
        } else {
            log(output)
        }
        deleteTree(dir)
        if (a.returnStatus) {
            return code
        }
        if (code != 0) {
            throw new AbortException("script returned exit code ${code}")
        }
        return a.returnStdout ? output : null
    }

    // ---------------------------------------------------------------- files

    String readFile(Object arg) {
        Map a = arg instanceof Map ? arg : [file: arg]
        Path p = resolve(a.file)
        if (!Files.isRegularFile(p)) {
            throw new AbortException("${p} does not exist.")
        }
        return Files.readString(p, StandardCharsets.UTF_8)
    }

    void writeFile(Map a) {
        Path p = resolve(a.file)
        Files.createDirectories(p.parent)
        Files.writeString(p, a.text.toString(), StandardCharsets.UTF_8)
    }

    boolean fileExists(Object file) {
        return Files.exists(resolve(file instanceof Map ? file.file : file))
    }

    void deleteDir() {
        deleteTree(cwd())
    }

    static void deleteTree(Path dir) {
        if (Files.exists(dir)) {
            Files.walk(dir).sorted(Comparator.reverseOrder()).each { Files.delete(it) }
        }
    }

    /** The files under the current directory matching Ant-style patterns ("a/*.json,b/**&#47;x.xml"). */
    List<Path> matching(String patterns, String excludes = null) {
        Path base = cwd()
        if (!Files.isDirectory(base)) {
            return []
        }
        List<PathMatcher> include = patterns.split(',')*.trim().findAll { it }.collect { glob(it) }
        List<PathMatcher> exclude = (excludes ?: '').split(',')*.trim().findAll { it }.collect { glob(it) }
        return Files.walk(base).filter { Files.isRegularFile(it) }.toList().findAll { Path p ->
            Path rel = base.relativize(p)
            include.any { it.matches(rel) } && !exclude.any { it.matches(rel) }
        }.sort()
    }

    private static PathMatcher glob(String ant) {
        // Ant's "**/" also matches no directory at all; a glob's does not, so both forms are tried
        String pattern = ant.endsWith('/') ? ant + '**' : ant
        PathMatcher full = FileSystems.default.getPathMatcher('glob:' + pattern)
        PathMatcher shortened = FileSystems.default.getPathMatcher('glob:' + pattern.replace('**/', ''))
        return { Path p -> full.matches(p) || (pattern.contains('**/') && shortened.matches(p)) } as PathMatcher
    }

    void archiveArtifacts(Object arg) {
        Map a = arg instanceof Map ? arg : [artifacts: arg]
        if (a.onlyIfSuccessful && currentBuild.result != null && currentBuild.result != 'SUCCESS') {
            return
        }
        List<Path> files = matching(a.artifacts.toString(), a.excludes?.toString())
        if (files.isEmpty()) {
            if (a.allowEmptyArchive) {
                log("No artifacts found that match the file pattern \"${a.artifacts}\". Configuration error?")
                return
            }
            throw new AbortException("No artifacts found that match the file pattern \"${a.artifacts}\". " +
                    'Configuration error?')
        }
        files.each { Path f ->
            Path target = archive.resolve(cwd().relativize(f).toString())
            Files.createDirectories(target.parent)
            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING)
        }
        log("Archiving artifacts: ${files.collect { cwd().relativize(it) }.join(', ')}")
    }

    /** The junit step: reads each report, and a failed or erroring case makes the build (and stage) UNSTABLE. */
    Map junit(Object arg) {
        Map a = arg instanceof Map ? arg : [testResults: arg]
        List<Path> files = matching(a.testResults.toString())
        if (files.isEmpty()) {
            if (a.allowEmptyResults) {
                log("None of the test reports contained any result")
                return [totalCount: 0, failCount: 0, skipCount: 0, passCount: 0]
            }
            throw new AbortException("No test report files were found. Configuration error?")
        }
        int total = 0
        int failed = 0
        int skipped = 0
        files.each { Path f ->
            def suites = new groovy.xml.XmlSlurper().parse(f.toFile())
            suites.depthFirst().findAll { it.name() == 'testcase' }.each { tc ->
                total++
                if (!tc.failure.isEmpty() || !tc.error.isEmpty()) {
                    failed++
                } else if (!tc.skipped.isEmpty()) {
                    skipped++
                }
            }
        }
        log("Recording test results: ${total} tests, ${failed} failed")
        if (failed > 0 && !a.skipMarkingBuildUnstable) {
            markUnstable("${failed} test(s) failed")
        }
        return [totalCount: total, failCount: failed, skipCount: skipped, passCount: total - failed - skipped]
    }

    void markUnstable(String why) {
        currentBuild.result = 'UNSTABLE'
        stageResult = BuildResult.UNSTABLE.combine(stageResult)
        log("WARNING: ${why}")
    }

    // ---------------------------------------------------------------- git

    /** The git step: clones or updates the current directory to a local branch; refuses file:// as the plugin does. */
    void git(Map a) {
        String url = a.url.toString()
        String branch = (a.branch ?: 'master').toString()
        if (url.startsWith('file:') || url.startsWith('/')) {
            throw new AbortException("Checkout of Git remote '${url}' aborted because it references a local " +
                    'directory, which may be insecure. You can allow local checkouts anyway by setting the ' +
                    'system property \'hudson.plugins.git.GitSCM.ALLOW_LOCAL_CHECKOUT\' to true.')
        }
        Map<String, String> secretEnv = [:]
        List<String> secrets = []
        if (a.credentialsId) {
            JobCredentials.Entry c = credentials.get(a.credentialsId.toString())
            if (c.type != 'usernamePassword') {
                throw new HarnessStop("the harness's git step takes usernamePassword credentials only, not ${c.type}")
            }
            Path askpass = tmp.resolve('askpass.sh')
            Files.writeString(askpass, '#!/bin/sh\ncase "$1" in Username*) echo "$GIT_USER";; *) echo "$GIT_PASS";; esac\n')
            Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString('rwx------'))
            secretEnv = [GIT_ASKPASS: askpass.toString(), GIT_USER: c.username, GIT_PASS: c.secret]
            secrets = [c.secret]
        }
        log("[Pipeline] git ${url} (${branch})")
        Files.createDirectories(cwd())
        withMasked(secrets) {
            gitCommand(secretEnv, ['init', '-q'])
            gitCommand(secretEnv, ['config', 'remote.origin.url', url])
            gitCommand(secretEnv, ['fetch', '-q', '--tags', '--force', 'origin',
                                   "+refs/heads/${branch}:refs/remotes/origin/${branch}".toString()])
            gitCommand(secretEnv, ['checkout', '-q', '-f', '-B', branch, "origin/${branch}".toString()])
        }
        Files.deleteIfExists(tmp.resolve('askpass.sh'))
    }

    private void gitCommand(Map<String, String> extraEnv, List<String> args) {
        ProcessBuilder builder = new ProcessBuilder(['git'] + args).directory(cwd().toFile()).redirectErrorStream(true)
        builder.environment().clear()
        builder.environment().putAll(processEnv() + extraEnv)
        Process p = builder.start()
        String out = new String(p.inputStream.readAllBytes(), StandardCharsets.UTF_8)
        if (p.waitFor() != 0) {
            log(out)
            throw new AbortException("git ${args[0]} failed in ${cwd()}: ${out.trim()}")
        }
    }

    // ---------------------------------------------------------------- input

    /** The input step with the header's answer; returns what input-step 534 returns for that shape. */
    Object input(Object arg) {
        Map a = arg instanceof Map ? arg : [message: arg]
        if (!a.id) {
            throw new HarnessStop("input '${a.message}' has no id: give it one, so a header (and a person reading " +
                    'the build) can name it')
        }
        String id = InputIds.canonical(a.id.toString())
        inputsAsked.add([id: id, message: a.message?.toString()])
        log("[Pipeline] input\n${a.message}\n${a.ok ?: 'Proceed'} or Abort")
        int index = answers.findIndexOf { it.id == id }
        if (index < 0) {
            throw new HarnessStop("the job paused at input ${id}, which its // inputs: header does not answer " +
                    "(it answers ${answers*.id ?: 'nothing more'})")
        }
        JobHeader.InputAnswer answer = answers.remove(index)
        if (a.submitter) {
            List<String> allowed = a.submitter.toString().split(',')*.trim()
            if (!(answer.user in allowed) && answer.user != JobHeader.BUILD_USER) {
                throw new HarnessStop("${answer.user} may not answer input ${id} (submitter: ${a.submitter}) and " +
                        'is no administrator')
            }
        }
        if (answer.abort) {
            log("Aborted by ${answer.user}")
            throw new FlowInterruptedException('ABORTED', "input ${id} aborted by ${answer.user}")
        }
        Map<String, Object> values = [:]
        List definitions = (a.parameters ?: []) as List
        definitions.each { Map p -> values[p.name.toString()] = ParameterDefinitions.defaultOf(p) }
        answer.values.each { String name, String value ->
            Map p = definitions.find { it.name == name }
            if (p == null) {
                throw new HarnessStop("the header answers ${name} at input ${id}, which has no such parameter " +
                        "(it has ${definitions*.name})")
            }
            values[name] = ParameterDefinitions.valueOf(p, value, "input ${id}")
        }
        if (a.submitterParameter) {
            values[a.submitterParameter.toString()] = answer.user
        }
        log("Approved by ${answer.user}")
        switch (values.size()) {
            case 0: return null
            case 1: return values.values().first()
            default: return values
        }
    }

    // ---------------------------------------------------------------- credentials

    /** Binds each credential into env for the body, masks its secret, and removes key files afterwards. */
    Object withCredentials(List bindings, Closure body) {
        Map<String, String> set = [:]
        List<String> secrets = []
        List<Path> files = []
        bindings.each { Map b ->
            JobCredentials.Entry c = credentials.get(b.credentialsId.toString())
            switch (b.kind) {
                case 'usernamePassword':
                    expectType(c, 'usernamePassword')
                    if (b.usernameVariable) {
                        set[b.usernameVariable.toString()] = c.username
                    }
                    set[b.passwordVariable.toString()] = c.secret
                    break
                case 'usernameColonPassword':
                    expectType(c, 'usernamePassword')
                    set[b.variable.toString()] = c.username + ':' + c.secret
                    break
                case 'string':
                    expectType(c, 'string')
                    set[b.variable.toString()] = c.secret
                    break
                case 'sshUserPrivateKey':
                case 'file':
                    expectType(c, b.kind == 'file' ? 'file' : 'sshUserPrivateKey')
                    Path f = tmp.resolve("secretFiles/${UUID.randomUUID()}/${b.kind == 'file' ? c.username : 'key'}")
                    Files.createDirectories(f.parent)
                    Files.writeString(f, c.secret)
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString('rw-------'))
                    files.add(f)
                    set[(b.keyFileVariable ?: b.variable).toString()] = f.toString()
                    if (b.usernameVariable) {
                        set[b.usernameVariable.toString()] = c.username
                    }
                    break
                default:
                    throw new HarnessStop("withCredentials: the harness does not bind ${b}")
            }
            secrets.add(c.secret)
        }
        try {
            return withMasked(secrets) { env.with(set, body) }
        } finally {
            files.each { deleteTree(it.parent) }
        }
    }

    private static void expectType(JobCredentials.Entry c, String type) {
        if (c.type != type) {
            throw new AbortException("Credentials '${c.id}' is of type '${c.type}' where '${type}' was expected")
        }
    }

    // ---------------------------------------------------------------- the library

    /** The library step: loads every var of this repository (vars/*.groovy) under its name. */
    Object library(Object identifier) {
        String id = identifier instanceof Map ? identifier.identifier : identifier
        if (!id?.startsWith('deployflow')) {
            throw new HarnessStop("library '${id}': the harness offers only this repository, as 'deployflow@…'")
        }
        librariesLoaded.add(id)
        log("Loading library ${id}")
        Files.list(PROJECT.resolve('vars')).toList().findAll { it.fileName.toString().endsWith('.groovy') }.sort()
                .each { Path f ->
                    String name = f.fileName.toString() - '.groovy'
                    Script var = loadScript(f.fileName.toString())
                    binding.setVariable(name, var)
                    var.metaClass.methods.findAll { it.name == 'call' && it.declaringClass.theClass == var.class }
                            .each { m -> Steps.registerVarCall(this, name, var, m.nativeParameterTypes as List<Class>) }
                }
        return null
    }

    String libraryResource(Object path) {
        Path p = PROJECT.resolve('resources').resolve(path.toString())
        if (!Files.isRegularFile(p)) {
            throw new AbortException("No such library resource ${path} could be found.")
        }
        return Files.readString(p)
    }
}
