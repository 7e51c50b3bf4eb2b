package io.deployflow.vars

import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The test jobs of the whole process run Jenkinsfile.example's own process: the lines between the markers are the
 * same, so what the harness proves about the jobs holds for the example a team copies. The release process
 * (meeting, release, environments, customers) is run by test-jobs/s0-process*.Jenkinsfile, the hotfix lane by
 * test-jobs/hotfix.Jenkinsfile. Only deployTo (how a version reaches an environment: blueGreen in the example) is
 * each job's own stand-in, after the shared lines.
 */
class ReleaseProcessJobsTest {
    static final String START = '// ---- the release process'
    static final String END = '// ---- end of the release process ----'
    static final String LANE_START = '// ---- the hotfix lane ----'
    static final String LANE_END = '// ---- how a version reaches an environment'

    static String process(Path file) {
        return between(file, START, END, true)
    }

    static String between(Path file, String startMarker, String endMarker, boolean includeEnd) {
        String text = Files.readString(file)
        int start = text.indexOf(startMarker)
        int end = text.indexOf(endMarker)
        assertTrue(start >= 0 && end > start, "${file.fileName} holds '${startMarker}' … '${endMarker}'")
        return text.substring(start, includeEnd ? end + endMarker.length() : end)
    }

    @Test
    void theJobsRunTheExamplesProcessLineForLine() {
        String example = process(VarsTestBase.PROJECT.resolve('Jenkinsfile.example'))
        ['s0-process', 's0-process-release-without'].each { String job ->
            assertEquals(example, process(VarsTestBase.PROJECT.resolve("test-jobs/${job}.Jenkinsfile")), job)
        }
    }

    @Test
    void theHotfixJobRunsTheExamplesHotfixLaneLineForLine() {
        assertEquals(between(VarsTestBase.PROJECT.resolve('Jenkinsfile.example'), LANE_START, LANE_END, false),
                between(VarsTestBase.PROJECT.resolve('test-jobs/hotfix.Jenkinsfile'), LANE_START, LANE_END, false))
    }

    @Test
    void eachJobReplacesOnlyHowAVersionReachesAnEnvironment() {
        ['s0-process', 's0-process-release-without', 'hotfix'].each { String job ->
            Path file = VarsTestBase.PROJECT.resolve("test-jobs/${job}.Jenkinsfile")
            String text = Files.readString(file)
            String own = text.substring(text.indexOf(LANE_END))
            assertEquals(['deployTo'], (own =~ /(?m)^\w+ (\w+)\(/).collect { it[1] },
                    "${job}: after the shared lines, only deployTo is the job's own")
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
