package io.deployflow.vars

import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The test jobs of the whole process run Jenkinsfile.example's own process: the lines between the markers are the
 * same, so what the harness proves about the jobs holds for the example a team copies.
 */
class ReleaseProcessJobsTest {
    static final String START = '// ---- the release process'
    static final String END = '// ---- end of the release process ----'

    static String process(Path file) {
        String text = Files.readString(file)
        int start = text.indexOf(START)
        int end = text.indexOf(END)
        assertTrue(start >= 0 && end > start, "${file.fileName} holds the release process between the markers")
        return text.substring(start, end + END.length())
    }

    @Test
    void theJobsRunTheExamplesProcessLineForLine() {
        String example = process(VarsTestBase.PROJECT.resolve('Jenkinsfile.example'))
        ['s0-process', 's0-process-release-without'].each { String job ->
            assertEquals(example, process(VarsTestBase.PROJECT.resolve("test-jobs/${job}.Jenkinsfile")), job)
        }
    }

    @Test
    void theExampleNamesCustomersOnlyAndAssignsNoGlobals() {
        String example = Files.readString(VarsTestBase.PROJECT.resolve('Jenkinsfile.example'))
        ['credentialsId', 'repo:', 'routes:', 'deciders:', 'apiKeyEnv', 'cache:'].each {
            assertFalse(example.contains(it), "Jenkinsfile.example leaves ${it} to deployflow.yaml")
        }
        // a top-level assignment without def logs "Did you forget the def keyword?" on every build
        List<String> globals = example.readLines().findAll { it ==~ /^[A-Za-z_][A-Za-z0-9_]*\s*=[^=].*/ }
        assertEquals([], globals)
    }
}
