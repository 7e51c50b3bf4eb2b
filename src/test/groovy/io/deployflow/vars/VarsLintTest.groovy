package io.deployflow.vars

import org.codenarc.CodeNarcRunner
import org.codenarc.analyzer.FilesystemSourceAnalyzer
import org.codenarc.results.FileResults
import org.codenarc.results.Results
import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/** CodeNarc (in process, Groovy 4) over vars/ with src/test/resources/codenarc/ruleset.groovy. */
class VarsLintTest {

    static List<String> lint(Path dir) {
        CodeNarcRunner runner = new CodeNarcRunner()
        runner.ruleSetFiles = 'codenarc/ruleset.groovy'
        runner.sourceAnalyzer = new FilesystemSourceAnalyzer(baseDirectory: dir.toString(), includes: '**/*.groovy')
        runner.reportWriters = []
        Results results = runner.execute()
        assertTrue(results.getTotalNumberOfFiles(true) > 0, 'CodeNarc analysed the files in ' + dir)
        List<String> found = []
        collect(results, found)
        return found
    }

    private static void collect(Results results, List<String> found) {
        if (results instanceof FileResults) {
            results.violations.findAll { it.rule.priority <= 2 }.each { v ->
                found.add("${results.path}:${v.lineNumber} [${v.rule.name} p${v.rule.priority}] ${v.message ?: ''} " +
                        "| ${v.sourceLine?.trim()}")
            }
        }
        results.children.each { collect(it, found) }
    }

    @Test
    void varsHaveNoPriorityOneOrTwoViolations() {
        List<String> found = lint(VarsTestBase.PROJECT.resolve('vars'))
        assertEquals([], found, 'CodeNarc violations in vars/:\n' + found.join('\n'))
    }

    @Test
    void theCpsAndSandboxRulesCatchTheTrapsOfDesignMd() {
        Path dir = Files.createTempDirectory('lint-bad')
        Files.writeString(dir.resolve('badStep.groovy'), '''
            def call(Map args) {
                def slurper = new groovy.json.JsonSlurperClassic()
                def copy = new java.util.LinkedHashMap()
                def m = (args.name =~ /x(.)/)
                sh 'true'
                def sorted = args.list.sort { a, b -> a <=> b }
                def forgotten = 1
                if (args.quiet) {
                }
                return [slurper, copy, m, sorted]
            }

            @NonCPS
            def parse(String text) {
                echo text
                return text
            }
            '''.stripIndent())
        String found = lint(dir).join('\n')
        ['SandboxRefusedClass', "step 'echo' called inside a @NonCPS method", 'sort with a closure in CPS code',
         'a regex Matcher (=~) in CPS code', 'UnusedVariable', 'EmptyIfStatement'].each {
            assertTrue(found.contains(it), "the lint reports ${it}:\n${found}")
        }
    }
}
