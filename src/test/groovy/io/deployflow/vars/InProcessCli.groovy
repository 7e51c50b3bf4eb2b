package io.deployflow.vars

import io.deployflow.cli.CliRun

import java.nio.file.Path

/**
 * The real CLI as a vars test's fake agent: the argv the step built runs through deployflow's Main in this JVM,
 * with file options made absolute in the workspace (the agent's working directory). What the CLI printed on
 * stderr is added to the echoes, as Jenkins shows an sh step's output in the log.
 */
final class InProcessCli {
    private static final Set<String> FILE_OPTIONS = ['--config', '--json', '--out', '--file', '--plan', '--notes',
                                                     '--failures', '--routes', '--out-dir', '--notes-out'] as Set

    private InProcessCli() {
    }

    static Closure<Integer> in(VarsTestBase test) {
        return { List<String> argv ->
            CliRun run = CliRun.of(absolute(test.workspace, argv) as String[])
            test.echoes.add(run.err())
            return run.exitCode()
        }
    }

    static List<String> absolute(Path workspace, List<String> argv) {
        List<String> out = []
        argv.eachWithIndex { String arg, int i ->
            boolean file = i > 0 && argv[i - 1] in FILE_OPTIONS
            out.add(file ? workspace.resolve(arg).toString() : arg)
        }
        return out
    }
}
