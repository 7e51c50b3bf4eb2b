package io.deployflow.testjobs

import io.deployflow.testsupport.LeakScan

import java.nio.file.Files
import java.nio.file.Path

/**
 * Runs one test job the way {@link TestJobsIT} does and judges it: the peers its header needs, the real CLI jar,
 * the header's input answers; then the expected result, every answer used, every offered address taken, and no
 * credential value anywhere (console, description, every file of the workspace, its @tmp, the agent's home with
 * the CLI's cache, the archived artifacts, git objects included).
 */
final class JobRunner {
    /** What one job's run came to: its result and every reason it does not count as passed. */
    static final class Outcome {
        final String job
        final PipelineRun run
        final BuildResult result
        final List<String> problems

        Outcome(String job, PipelineRun run, BuildResult result, List<String> problems) {
            this.job = job
            this.run = run
            this.result = result
            this.problems = problems
        }
    }

    private JobRunner() {
    }

    /** @param agentEnv what the agent provides besides the peers (DEPLOYFLOW_CLI) */
    static Outcome run(Path job, Path runDir, Map<String, String> agentEnv) {
        return run(job, JobHeader.read(job), runDir, agentEnv, JobCredentials.realistic())
    }

    static Outcome run(Path job, JobHeader header, Path runDir, Map<String, String> agentEnv,
                       JobCredentials credentials) {
        PipelineRun.deleteTree(runDir)
        Files.createDirectories(runDir)
        JobPeers peers = JobPeers.start(header.needs, runDir.resolve('peers'), credentials)
        try {
            PipelineRun run = new PipelineRun(job, runDir, agentEnv + peers.env, peers.params as Map<String, Object>,
                    credentials, header.inputs)
            BuildResult result = run.run()
            Files.writeString(runDir.resolve('console.log'), run.console)
            return new Outcome(job.fileName.toString(), run, result, judge(header, peers, run, result, credentials,
                    runDir))
        } finally {
            peers.close()
        }
    }

    private static List<String> judge(JobHeader header, JobPeers peers, PipelineRun run, BuildResult result,
                                      JobCredentials credentials, Path runDir) {
        List<String> problems = []
        Throwable f = run.failure
        if (f instanceof HarnessStop || f instanceof MissingMethodException || f instanceof MissingPropertyException) {
            problems.add("the run stopped on something no build result may stand for: ${f}\n${stack(f)}")
        }
        if (result.name() != header.expect) {
            problems.add("the build ended ${result}, the header expects ${header.expect}" +
                    (f == null ? '' : "; it ended with ${f}\n${stack(f)}"))
        }
        if (!run.answers.isEmpty()) {
            problems.add("the header answers inputs the job never asked: ${run.answers}")
        }
        List<String> ignored = peers.params.keySet().findAll { !(it in run.declaredParameters) }.toList()
        if (ignored) {
            problems.add("the job does not declare the parameter(s) ${ignored} through which it gets its peer's " +
                    'address, so it would use a fixed one: declare them with the default a person\'s agent has')
        }
        if (run.librariesLoaded.isEmpty()) {
            problems.add("the job never loads the library (library('deployflow@main'))")
        }
        LeakScan scan = new LeakScan(credentials.secrets())
        List<String> leaks = scan.inTexts([console: run.console.toString(),
                                           description: String.valueOf(run.currentBuild.description)]) +
                scan.inFiles(run.workspace, run.tmp, run.agentHome, run.archive)
        if (leaks) {
            problems.add("credential values leaked:\n" + leaks.join('\n'))
        }
        return problems
    }

    static String stack(Throwable t) {
        StringWriter out = new StringWriter()
        t.printStackTrace(new PrintWriter(out))
        return out.toString().readLines().findAll { !(it =~ /^\s+at (org\.codehaus\.groovy|groovy\.lang|java\.base|jdk\.)/) }
                .take(40).join('\n')
    }
}
