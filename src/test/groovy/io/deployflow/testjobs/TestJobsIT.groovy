package io.deployflow.testjobs

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

import static org.junit.jupiter.api.Assertions.assertFalse
import static org.junit.jupiter.api.Assertions.assertTrue
import static org.junit.jupiter.api.Assertions.fail

/**
 * Runs every {@code test-jobs/*.Jenkinsfile} (found by globbing: a job added later is picked up) through
 * {@link JobRunner}: JenkinsPipelineUnit with the library's vars, the real shaded CLI jar as DEPLOYFLOW_CLI, real
 * {@code sh} in a workspace under target/test-jobs/<job>/, the real peers its {@code // needs:} name. One test
 * per job, named after the file. A job whose needs this harness cannot meet fails, unless its header says why it
 * cannot run here ({@code // cannot-run-here:}); such jobs are listed, with the reason, at the end of the output.
 */
class TestJobsIT {
    static final Path PROJECT = PipelineRun.PROJECT
    static final Path JAR = Paths.get(System.getProperty('deployflow.jar', 'target/deployflow.jar')).toAbsolutePath()
    static final List<String> SUMMARY = Collections.synchronizedList([])

    /** Every job, or those named in -Ddeployflow.testJobs=a,b (file names without .Jenkinsfile) for a quick rerun. */
    static List<Path> jobs() {
        List<String> only = System.getProperty('deployflow.testJobs', '').split(',')*.trim().findAll { it }
        return Files.list(PROJECT.resolve('test-jobs')).toList()
                .findAll { it.fileName.toString().endsWith('.Jenkinsfile') }
                .findAll { only.isEmpty() || (it.fileName.toString() - '.Jenkinsfile') in only }.sort()
    }

    @TestFactory
    List<DynamicTest> everyTestJob() {
        assertTrue(Files.isRegularFile(JAR), 'the shaded jar is built: ' + JAR)
        List<Path> jobs = jobs()
        assertFalse(jobs.isEmpty(), 'there are test jobs')
        return jobs.collect { Path job -> DynamicTest.dynamicTest(job.fileName.toString(), job.toUri()) { runJob(job) } }
    }

    static void runJob(Path job) {
        String name = job.fileName.toString()
        JobHeader header = JobHeader.read(job)
        List<String> unmet = JobPeers.unmet(header.needs)
        if (header.cannotRunHere != null) {
            if (unmet.isEmpty()) {
                fail("${name} says it cannot run here (${header.cannotRunHere}), but this harness meets every need " +
                        "${header.needs}: remove its // cannot-run-here: line")
            }
            String line = "NOT RUNNABLE HERE ${name} (needs ${unmet}): ${header.cannotRunHere}"
            SUMMARY.add(line)
            println(line)
            return
        }
        if (!unmet.isEmpty()) {
            fail("${name} needs ${unmet}, which this harness cannot start (it starts ${JobPeers.OFFERS.keySet()}): " +
                    'add the peer to JobPeers, or say in a // cannot-run-here: line why no automated run can')
        }
        JobRunner.Outcome outcome = JobRunner.run(job, PROJECT.resolve('target/test-jobs').resolve(name - '.Jenkinsfile'),
                [DEPLOYFLOW_CLI: JAR.toString()])
        println("===== ${name}: ${outcome.result} (expected ${header.expect})\n${outcome.run.console}")
        SUMMARY.add("RAN ${name}: ${outcome.result}${outcome.problems ? ' — ' + outcome.problems.size() + ' problem(s)' : ''}")
        if (outcome.problems) {
            fail("${name}:\n" + outcome.problems.join('\n\n') + '\n\nconsole (also in target/test-jobs):\n' +
                    outcome.run.console.toString().readLines().takeRight(60).join('\n'))
        }
    }

    @AfterAll
    static void listWhatRanAndWhatCouldNot() {
        println("test jobs:\n  " + SUMMARY.join('\n  '))
    }
}
