package io.deployflow.cli;

import io.deployflow.core.Json;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.function.Consumer;

/** The {@code --json FILE} option every command shares. */
public final class JsonOption {
    @Option(names = "--json", paramLabel = "FILE", description = "Write the machine-readable result here.")
    Path file;

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
