package io.deployflow.cli;

import io.deployflow.core.Json;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The {@code --json FILE} option every command shares. */
public final class JsonOption {
    private static final String DESCRIPTION = "Write the machine-readable result here.";

    @Option(names = "--json", paramLabel = "FILE", description = DESCRIPTION)
    Path file;

    /** The option for a command whose model is built in code ({@link OptionsInCode}). */
    OptionSpec inCode() {
        return OptionsInCode.option("--json", Path.class, "FILE", value -> file = (Path) value, DESCRIPTION).build();
    }

    /** Writes the result when --json was given. */
    public void write(Object result) {
        if (file != null) {
            Json.write(file, result);
        }
    }

    /** Hands the file to a writer of its own when --json was given (a result too large for the mapper to be quick). */
    public void write(Consumer<Path> writer) {
        if (file != null) {
            writer.accept(file);
        }
    }
}
