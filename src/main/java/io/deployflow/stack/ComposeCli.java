package io.deployflow.stack;

import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Compose CLI installed on the agent: {@code docker compose} (v2 plugin) when {@code docker compose version}
 * works, else {@code docker-compose} (v1, as Debian packages it). Compose stays the only thing that interprets
 * compose files, so a stack behaves here as it does on the team's laptops.
 */
public final class ComposeCli {
    /** Lines of Compose output kept for an error message; Compose prints its reason last. */
    private static final int KEPT_LINES = 40;

    private final List<String> command;
    private final Map<String, String> environment;

    private ComposeCli(List<String> command, Map<String, String> environment) {
        this.command = List.copyOf(command);
        this.environment = environment;
    }

    /** What one Compose run printed (stdout and stderr merged, last lines only) and how it ended. */
    public record Result(int exitCode, List<String> lastLines) {
        public boolean ok() {
            return exitCode == 0;
        }

        public String output() {
            return String.join("\n", lastLines);
        }
    }

    /**
     * Finds the Compose CLI, preferring v2.
     *
     * @param environment the full environment for Compose (DOCKER_HOST and whatever Compose reads)
     */
    public static ComposeCli detect(Map<String, String> environment) {
        List<String> failures = new ArrayList<>();
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            ComposeCli cli = new ComposeCli(candidate, environment);
            try {
                Result version = cli.run(Path.of("."), Duration.ofSeconds(30), false, "version");
                if (version.ok()) {
                    return cli;
                }
                failures.add(String.join(" ", candidate) + ": exit " + version.exitCode() + " "
                        + (version.lastLines().isEmpty() ? "" : version.lastLines().get(0)));
            } catch (OutsideSystemException notInstalled) {
                failures.add(notInstalled.getMessage());
            }
        }
        throw new OutsideSystemException("Compose CLI", "neither `docker compose` (v2) nor `docker-compose` (v1) "
                + "works on this agent; install one of them (" + String.join("; ", failures) + ")");
    }

    /** The command words, e.g. {@code [docker-compose]} or {@code [docker, compose]}. */
    public List<String> command() {
        return command;
    }

    /**
     * Runs Compose with {@code args} in {@code directory}.
     *
     * @param echo print each output line as progress, so a long {@code up} shows what Compose is doing
     */
    public Result run(Path directory, Duration timeout, boolean echo, String... args) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new OutsideSystemException(String.join(" ", command), "cannot start: " + e.getMessage(), e);
        }
        Deque<String> last = new ArrayDeque<>();
        Thread reader = new Thread(() -> collect(process, last, echo), "compose-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroyForcibly();
                throw new OutsideSystemException(String.join(" ", full), "did not finish within "
                        + timeout.toSeconds() + "s");
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new OutsideSystemException(String.join(" ", full), "interrupted", e);
        }
        synchronized (last) {
            return new Result(process.exitValue(), List.copyOf(last));
        }
    }

    private static void collect(Process process, Deque<String> last, boolean echo) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (echo && !line.isBlank()) {
                    Progress.line("  compose: " + line.strip());
                }
                synchronized (last) {
                    last.addLast(line);
                    if (last.size() > KEPT_LINES) {
                        last.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended or was killed; whatever was read is what we report
        }
    }
}
