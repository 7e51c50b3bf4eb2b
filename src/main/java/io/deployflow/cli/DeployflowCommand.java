package io.deployflow.cli;

import io.deployflow.core.ExitCode;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * The top command, {@code deployflow}, described in code rather than with annotations: picocli builds an annotated
 * model by reflection (annotation proxies, generic signatures), which cost about 90 ms of every pipeline step's
 * start-up for a command that only dispatches. Subcommands keep their annotations; only the invoked one is built.
 */
final class DeployflowCommand implements Callable<Integer> {
    static final String DESCRIPTION = "Release and deployment process as code. Exit codes: 0 ok, 1 a check failed,"
            + " 2 bad input (nothing changed), 3 an outside system failed.";

    private CommandSpec spec;

    /** The model picocli parses against: name, description, {@code -h/--help} and {@code -V/--version}. */
    static CommandSpec spec() {
        DeployflowCommand command = new DeployflowCommand();
        CommandSpec spec = OptionsInCode.command(command, "deployflow", DESCRIPTION).version(version());
        command.spec = spec;
        return spec;
    }

    /** {@code deployflow <version>}, the version from the jar's manifest ({@code dev} when run from classes). */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "deployflow " + (version == null ? "dev" : version);
    }

    /** No subcommand given: show what there is, and say it was bad input. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }
}
