package io.deployflow.compose;

import io.deployflow.core.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The images a compose stack runs, as Compose resolves them: every service's {@code image:} (anchors and
 * {@code <<:} merges followed) with its variables filled from the {@code .env} beside the file or from the
 * variables a target will use. This is what "the stack that was tested" and "the stack that is delivered" are
 * compared by.
 *
 * @param file          the compose file, for messages
 * @param variablesFrom where the variables came from ("stack/.env", "no .env", "Portainer stack variables")
 */
public record StackImages(String file, String variablesFrom, List<Image> images) {

    /**
     * One service's image.
     *
     * @param written    the value as written in the file
     * @param image      the value as Compose reads it; null when Compose would refuse or run an incomplete name
     * @param repository the image without tag or digest (null with {@code image})
     * @param tag        the tag, {@code latest} when none is written (null with {@code image})
     * @param variables  the variables the value uses, with their values (null: not set)
     * @param problem    why {@code image} is null: an unset variable or a {@code ${VAR?error}}
     */
    public record Image(String service, int line, String written, String image, String repository, String tag,
                        String digest, Map<String, String> variables, String problem) {
        /** How the value came to be, for messages: {@code x:${TAG} with TAG=1.0}. */
        public String explained() {
            if (variables.isEmpty()) {
                return written;
            }
            List<String> parts = new ArrayList<>();
            variables.forEach((name, value) -> parts.add(name + (value == null ? " not set" : "=" + value)));
            return written + " with " + String.join(", ", parts);
        }
    }

    /** Resolves a compose text with the given variables. */
    public static StackImages of(Path file, String text, Function<String, String> variables, String variablesFrom) {
        ComposeFile compose = ComposeFile.parse(file, text);
        List<Image> images = new ArrayList<>();
        for (ComposeFile.ServiceImage service : compose.images()) {
            images.add(image(service, variables));
        }
        return new StackImages(file.toString(), variablesFrom, List.copyOf(images));
    }

    /**
     * Reads a compose file and its variables as Compose would on this machine: from {@code envFile}, else from the
     * {@code .env} beside the compose file when there is one.
     */
    public static StackImages read(Path composeFile, Path envFile) {
        String text = read(composeFile, "compose file");
        Path env = envFile != null ? envFile : besideOrNull(composeFile);
        if (env == null) {
            return of(composeFile, text, name -> null, "no .env beside " + composeFile);
        }
        return of(composeFile, text, EnvFile.read(env, EnvFile.Mode.STRICT).values()::get, env.toString());
    }

    /** The {@code .env} beside a compose file, or null when there is none: the file Compose reads by default. */
    public static Path besideOrNull(Path composeFile) {
        Path env = composeFile.toAbsolutePath().resolveSibling(".env");
        return Files.isRegularFile(env) ? composeFile.resolveSibling(".env") : null;
    }

    public Optional<Image> service(String name) {
        return images.stream().filter(i -> i.service().equals(name)).findFirst();
    }

    private static Image image(ComposeFile.ServiceImage service, Function<String, String> variables) {
        Interpolation.Resolved resolved = Interpolation.resolve(service.value(), variables);
        String problem = null;
        if (!resolved.errors().isEmpty()) {
            problem = String.join("; ", resolved.errors());
        } else if (!resolved.unset().isEmpty()) {
            problem = String.join(", ", resolved.unset()) + (resolved.unset().size() == 1 ? " is" : " are")
                    + " not set, so Compose would run '" + resolved.text() + "'";
        }
        if (problem != null) {
            return new Image(service.service(), service.line(), service.value(), null, null, null, null,
                    resolved.values(), problem);
        }
        ImageReference ref = ImageReference.parse(resolved.text());
        String tag = ref.hasTag() ? resolved.text().substring(ref.tagStart(), ref.tagEnd()) : "latest";
        return new Image(service.service(), service.line(), service.value(), resolved.text(), ref.repository(), tag,
                ref.digest(), resolved.values(), null);
    }

    private static String read(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file.toString(), 0, null, what + " not found");
        }
        try {
            return ComposeFile.decode(file, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new BadInputException(file.toString(), 0, null, "cannot read the " + what + ": " + e.getMessage());
        }
    }
}
