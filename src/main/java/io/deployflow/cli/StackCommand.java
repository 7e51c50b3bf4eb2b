package io.deployflow.cli;

import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import io.deployflow.stack.LocalStack;
import io.deployflow.stack.StackDownResult;
import io.deployflow.stack.StackUpResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Run a compose stack on the agent's engine (DOCKER_HOST) and wait until it is healthy.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class})
final class StackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: 'stack up' or 'stack down'");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"compose up -d, then wait until every container runs and every health check is healthy.",
                    "Exit 1 if the stack does not become healthy in time (the last log lines of each stuck "
                            + "container are printed); the stack is left up: remove it with 'stack down'."})
    static final class Up implements Callable<Integer> {
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The compose file.")
        Path file;

        @Option(names = "--project", required = true, paramLabel = "P",
                description = "Compose project name (lower case, digits, '-', '_'); unique per build.")
        String project;

        @Option(names = "--wait", defaultValue = "180s", paramLabel = "DURATION", converter = WaitConverter.class,
                description = "How long to wait for healthy after compose returns (e.g. 90s, 3m). Default: 180s.")
        Duration wait;

        @Option(names = "--keep", description = "Mark the stack as a preview stack that stays up for review; "
                + "the JSON result says how to remove it.")
        boolean keep;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            StackUpResult result = new LocalStack(System.getenv()).up(file, project, wait, keep);
            json.write(result);
            if (!result.healthy()) {
                Progress.line(project + ": " + result.problem());
                Progress.line(project + ": left up for inspection; remove it with " + result.removeWith());
                return ExitCode.CHECK_FAILED;
            }
            Progress.line(project + ": healthy in " + result.durationMs() + " ms"
                    + (keep ? "; preview stack kept up, remove it with " + result.removeWith() : ""));
            return ExitCode.OK;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = {"Remove the stack's containers, networks and volumes (compose down -v --remove-orphans).",
                    "Without --file the file recorded in the containers' Compose labels is used; "
                            + "a stack that does not exist is not an error."})
    static final class Down implements Callable<Integer> {
        @Option(names = "--project", required = true, paramLabel = "P", description = "Compose project name.")
        String project;

        @Option(names = "--file", paramLabel = "FILE", description = "The compose file (default: the one the "
                + "stack was started with).")
        Path file;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            StackDownResult result = new LocalStack(System.getenv()).down(project, file);
            json.write(result);
            return ExitCode.OK;
        }
    }

    /** Reads {@code 90s}, {@code 3m}, {@code 500ms}, {@code 1h} or an ISO-8601 duration such as {@code PT3M}. */
    static final class WaitConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (text.startsWith("pt")) {
                    return Duration.parse(text.toUpperCase(Locale.ROOT));
                }
                if (text.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
                }
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                switch (text.charAt(text.length() - 1)) {
                    case 's': return Duration.ofSeconds(amount);
                    case 'm': return Duration.ofMinutes(amount);
                    case 'h': return Duration.ofHours(amount);
                    default: break;
                }
            } catch (RuntimeException notANumber) {
                // reported below with the accepted forms
            }
            throw new TypeConversionException("'" + value + "' is not a duration; use e.g. 90s, 3m, 500ms or PT3M");
        }
    }
}
