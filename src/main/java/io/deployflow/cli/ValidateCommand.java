package io.deployflow.cli;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Load and validate deployflow.yaml; exit 2 listing every error, in file order, each naming file,"
                + " line and field.")
final class ValidateCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "deployflow.yaml")
    Path config;

    @Override
    public Integer call() {
        DeployflowConfig loaded = ConfigLoader.load(config);
        Progress.line(config + ": valid (" + loaded.team().size() + " people, " + loaded.components().size()
                + " components, " + loaded.customers().size() + " customers)");
        return ExitCode.OK;
    }
}
