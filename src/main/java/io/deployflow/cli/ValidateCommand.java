package io.deployflow.cli;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Load and validate deployflow.yaml; exit 2 listing every error, in file order, each naming file,"
                + " line and field.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        DeployflowConfig loaded = config.load();
        Progress.line(config.file + ": valid (" + loaded.team().size() + " people, " + loaded.components().size()
                + " components, " + loaded.customers().size() + " customers)");
        return ExitCode.OK;
    }
}
