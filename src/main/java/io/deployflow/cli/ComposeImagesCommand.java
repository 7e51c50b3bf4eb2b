package io.deployflow.cli;

import io.deployflow.compose.StackImages;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "images", mixinStandardHelpOptions = true,
        description = {"Print the image each service runs, as Compose resolves it from the file and its .env"
                + " (${VAR}, ${VAR:-default}, ${VAR-default}).",
                "The --json record is what `deliver --tested` and `portainer deploy --tested` hold the delivered"
                        + " stack to: take it right before the stack is tested."})
final class ComposeImagesCommand implements Callable<Integer> {
    @Option(names = "--file", required = true, paramLabel = "COMPOSE", description = "the compose file")
    Path file;

    @Option(names = "--env-file", paramLabel = "FILE", description = "its variables; default: the .env beside it")
    Path envFile;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        StackImages images = StackImages.read(file, envFile);
        images.images().forEach(i -> Progress.line(i.service() + ": " + (i.image() != null ? i.image()
                : "cannot be resolved: " + i.problem()) + (i.variables().isEmpty() ? "" : " (" + i.explained() + ")")));
        json.write(images);
        return ExitCode.OK;
    }
}
