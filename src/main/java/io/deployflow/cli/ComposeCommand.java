package io.deployflow.cli;

import io.deployflow.core.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "compose", mixinStandardHelpOptions = true,
        subcommands = {ComposeSetVersionsCommand.class, ComposeImagesCommand.class},
        description = "Edit a customer's compose stack in place, or show the images it runs.")
final class ComposeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }
}
