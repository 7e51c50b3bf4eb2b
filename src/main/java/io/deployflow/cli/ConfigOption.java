package io.deployflow.cli;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --config FILE} option of every command that reads deployflow.yaml. The file is loaded (and validated,
 * every error at once, exit 2) on first use and kept, so a command and its helpers read it once.
 */
final class ConfigOption {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "deployflow.yaml")
    Path file;

    /** The option for a command whose model is built in code ({@link OptionsInCode}). */
    OptionSpec inCode() {
        return OptionsInCode.option("--config", Path.class, "FILE", value -> file = (Path) value, "deployflow.yaml")
                .required(true).build();
    }

    private DeployflowConfig loaded;

    DeployflowConfig load() {
        if (loaded == null) {
            loaded = ConfigLoader.load(file);
        }
        return loaded;
    }
}
