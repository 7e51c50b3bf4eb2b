package io.deployflow.vars

import io.deployflow.testjobs.JobHeader
import io.deployflow.testjobs.JobPeers
import org.codehaus.groovy.ast.ClassCodeVisitorSupport
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.MethodNode
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.MapExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.SourceUnit
import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * Every test job and Jenkinsfile.example parses as Groovy, opens with the header DESIGN.md asks for (and
 * TestJobsIT can read it), calls only steps that exist (this library's vars, stock Pipeline steps and Declarative
 * sections, or its own methods), and passes each step only parameters that step reads.
 */
class JenkinsfilesTest {
    static final Set<String> STOCK = ([
            // Declarative Pipeline sections and directives
            'pipeline', 'agent', 'label', 'any', 'none', 'stages', 'stage', 'steps', 'script', 'post', 'always',
            'success', 'failure', 'unstable', 'aborted', 'cleanup', 'triggers', 'cron', 'options', 'parameters',
            'string', 'booleanParam', 'choice', 'environment', 'when', 'expression', 'disableConcurrentBuilds',
            'buildDiscarder', 'logRotator',
            // steps of the plugins a Pipeline installation has (workflow-basic-steps, durable-task, git, junit,
            // credentials-binding, input, mailer, workflow-cps-global-lib)
            'node', 'sh', 'echo', 'error', 'readFile', 'writeFile', 'fileExists', 'dir', 'deleteDir', 'input',
            'timeout', 'parallel', 'archiveArtifacts', 'junit', 'withCredentials', 'usernamePassword', 'library',
            'git', 'checkout', 'unstable', 'catchError', 'retry', 'sleep', 'mail', 'withEnv',
    ] as Set).asImmutable()

    static Set<String> libraryVars() {
        return Files.list(VarsTestBase.PROJECT.resolve('vars')).toList()
                .findAll { it.fileName.toString().endsWith('.groovy') }
                .collect { it.fileName.toString() - '.groovy' } as Set
    }

    static List<Path> jenkinsfiles() {
        List<Path> files = Files.list(VarsTestBase.PROJECT.resolve('test-jobs')).toList()
                .findAll { it.fileName.toString().endsWith('.Jenkinsfile') }.sort()
        files.add(VarsTestBase.PROJECT.resolve('Jenkinsfile.example'))
        return files
    }

    /** The implicit-this calls of a script that are neither its own methods nor known steps. */
    static List<String> unknownCalls(Path file) {
        CompilationUnit unit = new CompilationUnit()
        SourceUnit source = unit.addSource(file.fileName.toString(), Files.readString(file))
        unit.compile(Phases.CONVERSION)
        Set<String> own = [] as Set
        List<MethodCallExpression> calls = []
        source.AST.classes.each { ClassNode node ->
            node.methods.each { MethodNode m -> own.add(m.name) }
            new ClassCodeVisitorSupport() {
                @Override
                protected SourceUnit getSourceUnit() {
                    return source
                }

                @Override
                void visitMethodCallExpression(MethodCallExpression call) {
                    if (call.implicitThis) {
                        calls.add(call)
                    }
                    super.visitMethodCallExpression(call)
                }
            }.visitClass(node)
        }
        Set<String> known = STOCK + libraryVars() + own
        return calls.findAll { !(it.methodAsString in known) }
                .collect { "${file.fileName}:${it.lineNumber} ${it.methodAsString}()".toString() }
    }

    /** The implicit-this calls of a script, parsed to the AST (no class resolution needed). */
    static List<MethodCallExpression> calls(Path file) {
        CompilationUnit unit = new CompilationUnit()
        SourceUnit source = unit.addSource(file.fileName.toString(), Files.readString(file))
        unit.compile(Phases.CONVERSION)
        List<MethodCallExpression> calls = []
        source.AST.classes.each { ClassNode node ->
            new ClassCodeVisitorSupport() {
                @Override
                protected SourceUnit getSourceUnit() {
                    return source
                }

                @Override
                void visitMethodCallExpression(MethodCallExpression call) {
                    if (call.implicitThis) {
                        calls.add(call)
                    }
                    super.visitMethodCallExpression(call)
                }
            }.visitClass(node)
        }
        return calls
    }

    /** The named parameters a var reads: args.NAME, args?.NAME, and the names in its `required` list. */
    static Set<String> parametersRead(String step) {
        String source = Files.readString(VarsTestBase.PROJECT.resolve("vars/${step}.groovy"))
        Set<String> names = (source =~ /\bargs\??\.(\w+)/).collect { it[1] } as Set
        (source =~ /for \(String required : \[([^\]]*)\]\)/).each { m ->
            names.addAll((m[1] =~ /'(\w+)'/).collect { it[1] })
        }
        return names
    }

    /** "file:line step(name:)" for each named argument a job passes to a library step that the step never reads. */
    static List<String> unreadParameters(Path file) {
        Set<String> vars = libraryVars()
        return calls(file).findAll { it.methodAsString in vars }.collectMany { MethodCallExpression call ->
            def args = call.arguments instanceof TupleExpression ? call.arguments.expressions : []
            List<String> keys = args.findAll { it instanceof MapExpression }.collectMany { MapExpression map ->
                map.mapEntryExpressions.findAll { it.keyExpression instanceof ConstantExpression }
                        .collect { it.keyExpression.value.toString() }
            }
            Set<String> read = parametersRead(call.methodAsString)
            keys.findAll { !(it in read) }.collect { "${file.fileName}:${call.lineNumber} ${call.methodAsString}(${it}:)".toString() }
        }
    }

    @Test
    void everyNamedParameterAJobPassesIsOneTheStepReads() {
        List<String> unread = jenkinsfiles().collectMany { unreadParameters(it) }
        assertEquals([], unread, 'parameters no step reads (a typo, or a parameter the step lost):\n' + unread.join('\n'))
    }

    @Test
    void theParameterCheckFindsATypo() {
        Path bad = Files.createTempDirectory('jf').resolve('typo.Jenkinsfile')
        Files.writeString(bad, "node {\n  deliver(customer: 'acme', plan: 'p', notes: 'n', file: 'f', credentialId: 'x')\n}\n")
        assertEquals(['typo.Jenkinsfile:2 deliver(credentialId:)'], unreadParameters(bad))
    }

    @Test
    void everyTestJobsHeaderIsOneTheHarnessCanActOn() {
        jenkinsfiles().findAll { it.fileName.toString().endsWith('.Jenkinsfile') }.each { Path job ->
            JobHeader header = JobHeader.read(job)       // throws naming the line when the grammar is wrong
            List<String> unmet = JobPeers.unmet(header.needs)
            assertTrue(unmet.isEmpty() || header.cannotRunHere != null,
                    "${job.fileName} needs ${unmet}, which TestJobsIT cannot start, and does not say why (// cannot-run-here:)")
        }
    }

    @Test
    void theExampleIsTriggeredWeeklyByAValidCronAndCanBeRunOnDemand() {
        Path example = VarsTestBase.PROJECT.resolve('Jenkinsfile.example')
        List<MethodCallExpression> all = calls(example)
        List<String> crons = all.findAll { it.methodAsString == 'cron' }.collect { it.arguments.expressions[0].text }
        assertEquals(1, crons.size(), "one cron trigger: ${crons}")
        List<String> fields = crons[0].split(/\s+/)
        assertEquals(5, fields.size(), "cron has minute hour day month weekday: ${crons[0]}")
        assertTrue(fields[4] ==~ /[0-7]|MON|TUE|WED|THU|FRI|SAT|SUN/, "once a week, on one day: ${crons[0]}")
        assertTrue(all.any { it.methodAsString == 'parameters' }, 'parameters for a run on demand')
    }

    @Test
    void everyStepHasATestJob() {
        Set<String> jobs = jenkinsfiles().collect { it.fileName.toString() - '.Jenkinsfile' } as Set
        Set<String> missing = libraryVars() - jobs - ['deployflowCli']
        assertEquals([] as Set, missing, 'steps without test-jobs/<step>.Jenkinsfile')
    }

    @Test
    void everyFileParsesAndCallsOnlyKnownSteps() {
        List<String> unknown = jenkinsfiles().collectMany { unknownCalls(it) }
        assertEquals([], unknown, 'unknown steps called:\n' + unknown.join('\n'))
    }

    @Test
    void testJobsOpenWithTheHeaderAnAutomatedRunReads() {
        jenkinsfiles().findAll { it.fileName.toString().endsWith('.Jenkinsfile') }.each { Path job ->
            List<String> head = Files.readAllLines(job).take(3)
            assertTrue(head[0].startsWith('// needs:'), "${job.fileName} line 1: ${head[0]}")
            assertTrue(head[1] ==~ /\/\/ expect: (SUCCESS|UNSTABLE|FAILURE)/, "${job.fileName} line 2: ${head[1]}")
            assertTrue(head[2].startsWith('// inputs:'), "${job.fileName} line 3: ${head[2]}")
            assertTrue(Files.readString(job).contains("library('deployflow@main')"), "${job.fileName} loads the library")
        }
    }

    @Test
    void theExampleRunsTheWholeS0FlowWeeklyAndOnDemand() {
        String example = Files.readString(VarsTestBase.PROJECT.resolve('Jenkinsfile.example'))
        ['cron(', 'releaseMeeting(', 'releaseComponents(', 'dockerPrep(', 'releaseDecision(', 'portainerDeploy(',
         'deliver(', 'parameters {', 'approvalGate(', 'parallel(', 'promote(', 'promote.environments()', 'blueGreen(',
         'hotfix(', "name: 'HOTFIX_ISSUE'"].each {
            assertTrue(example.contains(it), "Jenkinsfile.example uses ${it}")
        }
    }

    @Test
    void aStepStillLandingIsAllowedInTheExampleOnly() {
        Path dir = Files.createTempDirectory('jf')
        Path job = dir.resolve('job.Jenkinsfile')
        Files.writeString(job, "node { blueGreen(target: 'x') }\n")
        List<String> expected = 'blueGreen' in libraryVars() ? [] : ['job.Jenkinsfile:1 blueGreen()']
        assertEquals(expected, unknownCalls(job), 'a test job cannot rely on a step this branch does not have')
        Path example = dir.resolve('Jenkinsfile.example')
        Files.writeString(example, "node { blueGreen(target: 'x') }\n")
        assertEquals([], unknownCalls(example))
    }

    @Test
    void theCheckFindsAnUnknownStep() {
        Path dir = Files.createTempDirectory('jf')
        Path bad = dir.resolve('bad.Jenkinsfile')
        Files.writeString(bad, "node { releaseMeting(config: 'x') }\n")
        assertEquals(['bad.Jenkinsfile:1 releaseMeting()'], unknownCalls(bad))
    }
}
