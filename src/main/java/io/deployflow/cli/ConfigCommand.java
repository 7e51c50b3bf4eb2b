package io.deployflow.cli;

import io.deployflow.core.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "config", mixinStandardHelpOptions = true, subcommands = ConfigShowCommand.class,
        description = "Show deployflow.yaml's settings as the pipeline steps use them.")
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }
}
