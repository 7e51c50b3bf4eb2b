package io.deployflow.compose;

import io.deployflow.core.OutsideSystemException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks the Compose CLI that is installed whether a file is valid ({@code config -q}), in the file's directory so
 * it reads the same {@code .env}. {@code docker compose} (v2) is preferred, {@code docker-compose} (v1) is the
 * fallback; with neither installed there is nothing to ask, and the edit stands on our own checks.
 */
public interface ComposeValidator {
    /** The tool's complaint, or empty when the file is valid. */
    Optional<String> problem(Path composeFile);

    /** A name for the result record, such as {@code docker-compose config -q}. */
    String name();

    /** The tool's version, such as {@code 1.29.2}, for saying who judged a file; null when unknown. */
    default String version() {
        return null;
    }

    /** Who judged, in words: {@code docker-compose config -q (version 1.29.2)}. */
    default String describe() {
        return version() == null ? name() : name() + " (version " + version() + ")";
    }

    ComposeValidator NONE = new ComposeValidator() {
        @Override
        public Optional<String> problem(Path composeFile) {
            return Optional.empty();
        }

        @Override
        public String name() {
            return null;
        }
    };

    /** The installed Compose CLI, or {@link #NONE}. */
    static ComposeValidator detect() {
        List<String> cli = ComposeCli.command();
        return cli == null ? NONE : new CliValidator(cli);
    }

    /** Runs {@code <compose> -f FILE config -q}. */
    record CliValidator(List<String> cli) implements ComposeValidator {
        @Override
        public Optional<String> problem(Path composeFile) {
            Path absolute = composeFile.toAbsolutePath();
            List<String> command = new ArrayList<>(cli);
            command.addAll(List.of("-f", absolute.getFileName().toString(), "config", "-q"));
            try {
                Process process = new ProcessBuilder(command).directory(absolute.getParent().toFile())
                        .redirectErrorStream(true).start();
                process.getOutputStream().close();
                byte[] output = process.getInputStream().readAllBytes();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new OutsideSystemException(name(), "did not finish within 120 s");
                }
                return process.exitValue() == 0 ? Optional.empty()
                        : Optional.of(new String(output, StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                throw new OutsideSystemException(name(), "cannot run: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutsideSystemException(name(), "interrupted", e);
            }
        }

        @Override
        public String name() {
            return String.join(" ", cli) + " config -q";
        }

        @Override
        public String version() {
            return ComposeCli.version(cli);
        }
    }

    /** Finds the Compose CLI once per JVM. */
    final class ComposeCli {
        private static List<String> found;
        private static boolean searched;
        private static String version;

        private ComposeCli() {
        }

        static synchronized List<String> command() {
            if (!searched) {
                searched = true;
                if (onPath("docker") && succeeds(List.of("docker", "compose", "version"))) {
                    found = List.of("docker", "compose");
                } else if (onPath("docker-compose")) {
                    found = List.of("docker-compose");
                }
            }
            return found;
        }

        /** {@code <cli> version --short}, asked once per JVM; null when it does not answer. */
        static synchronized String version(List<String> cli) {
            if (version == null) {
                List<String> command = new ArrayList<>(cli);
                command.addAll(List.of("version", "--short"));
                try {
                    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                    p.getOutputStream().close();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                        version = out.lines().findFirst().orElse(out);
                    }
                } catch (IOException e) {
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return version;
        }

        private static boolean onPath(String program) {
            String path = System.getenv("PATH");
            if (path == null) {
                return false;
            }
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, program))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean succeeds(List<String> command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                return p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
