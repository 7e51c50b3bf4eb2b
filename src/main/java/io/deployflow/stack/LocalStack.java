package io.deployflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A compose stack on the agent's engine: {@link #up} runs {@code compose up -d} and waits through the engine API
 * until every container runs and every health check says healthy; {@link #down} removes the stack with its volumes.
 * Compose does all the creating and removing; this class only decides when the stack is ready and reports why not.
 */
public final class LocalStack {
    /** Compose v2 refuses other project names, and v1 would silently rewrite them, breaking the label lookups. */
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    /** Pulling images can take long on a cold agent; the health wait only starts after Compose returns. */
    private static final Duration COMPOSE_UP_LIMIT = Duration.ofMinutes(15);
    private static final Duration COMPOSE_SHORT_LIMIT = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int LOG_LINES = 30;

    private final Map<String, String> environment;
    private final EngineApi engine;

    /**
     * @param environment the full environment for Compose and the engine: DOCKER_HOST names the engine, as for the
     *                    docker CLI ({@code System.getenv()} from the CLI; tests add their engine's variables)
     */
    public LocalStack(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.engine = EngineApi.fromEnvironment(environment);
    }

    /**
     * Brings the stack up and waits for it. Never tears down: the caller decides (the pipeline step always does,
     * in a finally block). An unhealthy stack is a result, not an exception.
     *
     * @throws BadInputException      the project name is invalid or Compose rejects the file (nothing was started)
     * @throws OutsideSystemException the engine is unreachable or {@code compose up} itself failed
     */
    public StackUpResult up(Path file, String project, Duration wait, boolean keep) {
        long started = System.nanoTime();
        requireProjectName(project);
        Path composeFile = requireFile(file);
        ComposeCli compose = ComposeCli.detect(environment);
        validate(compose, composeFile, project);
        engine.ping();

        Progress.line(project + ": " + String.join(" ", compose.command()) + " up -d (" + composeFile + ")");
        ComposeCli.Result up = compose.run(composeFile.getParent(), COMPOSE_UP_LIMIT, true,
                "-p", project, "-f", composeFile.toString(), "up", "-d");
        if (!up.ok()) {
            throw new OutsideSystemException(String.join(" ", compose.command()) + " up",
                    "failed with exit " + up.exitCode() + " for project " + project + ":\n" + up.output()
                            + "\nThe stack may be partly up: remove it with " + removeCommand(project, composeFile));
        }

        WaitOutcome outcome = awaitHealthy(project, wait);
        List<ContainerStatus> containers = outcome.containers();
        if (outcome.problem() != null) {
            containers = withLogsOfTheStuck(containers);
        }
        return new StackUpResult(project, composeFile.toString(), compose.command(), engine.dockerHost(),
                outcome.problem() == null, outcome.problem(), keep, removeCommand(project, composeFile),
                elapsedMillis(started), containers);
    }

    /**
     * Removes the stack's containers, networks and volumes. With {@code file} null the stack's own file is found
     * again through the labels Compose put on its containers ({@code com.docker.compose.project.working_dir} and
     * {@code .config_files}), because Compose v1 cannot {@code down} a project without its file. If that file is
     * gone too (a cleaned workspace), the labelled containers, networks and volumes are removed through the engine
     * API, so a preview stack can always be removed. Removing a stack that does not exist succeeds.
     */
    public StackDownResult down(String project, Path file) {
        long started = System.nanoTime();
        requireProjectName(project);
        Path composeFile = file == null ? null : requireFile(file);
        ComposeCli compose = null;
        if (composeFile != null) {
            compose = ComposeCli.detect(environment);
            validate(compose, composeFile, project);
        }
        engine.ping();

        List<JsonNode> containers = engine.projectContainers(project);
        List<JsonNode> volumes = engine.projectResources("volumes", project);
        List<JsonNode> networks = engine.projectResources("networks", project);
        List<String> files = composeFile != null ? List.of(composeFile.toString()) : filesFromLabels(containers);
        if (containers.isEmpty() && volumes.isEmpty() && networks.isEmpty() && composeFile == null) {
            Progress.line(project + ": no such stack, nothing to remove");
            return new StackDownResult(project, "nothing", null, null, List.of(), List.of(), List.of(),
                    elapsedMillis(started));
        }

        String method;
        List<String> composeCommand = null;
        if (!files.isEmpty() && files.stream().allMatch(f -> Files.isRegularFile(Path.of(f)))) {
            if (compose == null) {
                compose = ComposeCli.detect(environment);
            }
            composeCommand = compose.command();
            List<String> args = new ArrayList<>(List.of("-p", project));
            files.forEach(f -> args.addAll(List.of("-f", f)));
            args.addAll(List.of("down", "-v", "--remove-orphans"));
            Progress.line(project + ": " + String.join(" ", compose.command()) + " " + String.join(" ", args));
            ComposeCli.Result down = compose.run(Path.of(files.get(0)).getParent(), COMPOSE_SHORT_LIMIT, true,
                    args.toArray(String[]::new));
            if (!down.ok()) {
                throw new OutsideSystemException(String.join(" ", compose.command()) + " down",
                        "failed with exit " + down.exitCode() + " for project " + project + ":\n" + down.output());
            }
            method = "compose";
        } else {
            Progress.line(project + ": compose file " + (files.isEmpty() ? "unknown" : String.join(", ", files))
                    + " is gone; removing the labelled containers, networks and volumes through the engine");
            removeThroughEngine(containers, networks, volumes);
            method = "engine-api";
        }

        // volumes the file no longer declares survive `compose down -v`, yet carry the project's label: sweep them
        removeThroughEngine(engine.projectContainers(project), engine.projectResources("networks", project),
                engine.projectResources("volumes", project));
        List<JsonNode> left = engine.projectContainers(project);
        List<JsonNode> volumesLeft = engine.projectResources("volumes", project);
        if (!left.isEmpty() || !volumesLeft.isEmpty()) {
            throw new OutsideSystemException(engine.dockerHost(), "after down, project " + project + " still has "
                    + left.size() + " container(s) and " + volumesLeft.size() + " volume(s)");
        }
        Progress.line(project + ": removed " + containers.size() + " container(s), " + volumes.size()
                + " volume(s), " + networks.size() + " network(s)");
        return new StackDownResult(project, method, composeCommand, files.isEmpty() ? null : files,
                names(containers, "Names"), names(volumes, "Name"), names(networks, "Name"), elapsedMillis(started));
    }

    /** The command that removes this stack, for the JSON result and for messages. */
    public static String removeCommand(String project, Path file) {
        return "deployflow stack down --project " + project + (file == null ? "" : " --file " + file);
    }

    public static void requireProjectName(String project) {
        if (project == null || !PROJECT.matcher(project).matches()) {
            throw new BadInputException(null, 0, "--project", "'" + project + "' is not a valid Compose project "
                    + "name: use lower-case letters, digits, '-' and '_', starting with a letter or digit "
                    + "(e.g. derive it from the build tag in lower case)");
        }
    }

    private static Path requireFile(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new BadInputException(absolute.toString(), 0, "--file", "no such compose file");
        }
        return absolute;
    }

    /** {@code compose config -q} needs no engine, so a bad file is refused before anything is started. */
    private static void validate(ComposeCli compose, Path composeFile, String project) {
        ComposeCli.Result config = compose.run(composeFile.getParent(), COMPOSE_SHORT_LIMIT, false,
                "-p", project, "-f", composeFile.toString(), "config", "-q");
        if (!config.ok()) {
            throw new BadInputException(composeFile.toString(), 0, null, String.join(" ", compose.command())
                    + " rejects this file:\n" + config.output().strip());
        }
    }

    private record WaitOutcome(List<ContainerStatus> containers, String problem) {
    }

    private WaitOutcome awaitHealthy(String project, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, String> lastSaid = new HashMap<>();
        while (true) {
            List<ContainerStatus> statuses = new ArrayList<>();
            for (JsonNode container : engine.projectContainers(project)) {
                ContainerStatus status = ContainerStatus.fromInspect(engine.inspect(container.path("Id").asText()));
                statuses.add(status);
                String line = status.describe();
                if (!line.equals(lastSaid.put(status.id(), line))) {
                    Progress.line(status.service() + ": " + line);
                }
            }
            statuses.sort(java.util.Comparator.comparing(ContainerStatus::name));
            if (statuses.isEmpty()) {
                return new WaitOutcome(statuses, "Compose created no containers for project " + project);
            }
            List<ContainerStatus> failed = filter(statuses, ContainerStatus.Verdict.FAILED);
            if (!failed.isEmpty()) {
                return new WaitOutcome(statuses, "not healthy: " + summary(failed));
            }
            List<ContainerStatus> waiting = filter(statuses, ContainerStatus.Verdict.WAITING);
            if (waiting.isEmpty()) {
                Progress.line(project + ": all " + statuses.size() + " container(s) ready");
                return new WaitOutcome(statuses, null);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new WaitOutcome(statuses, "not healthy within " + wait.toSeconds() + "s: " + summary(waiting)
                        + neverChecked(waiting));
            }
            sleep(Math.min(left, POLL.toNanos()));
        }
    }

    /**
     * Podman schedules health checks with systemd timers, so on an agent without systemd they never run and the
     * wait can only time out; say so, since nothing in the container's logs would hint at it.
     */
    private static String neverChecked(List<ContainerStatus> waiting) {
        List<String> names = waiting.stream()
                .filter(s -> "starting".equals(s.health()) && s.lastHealthCheckOutput() == null)
                .map(ContainerStatus::name).toList();
        return names.isEmpty() ? "" : "; no health check result was recorded for " + String.join(", ", names)
                + " (podman without systemd never runs health checks: it schedules them with systemd timers)";
    }

    /** Adds the log tail of each container that kept the stack from being ready, and prints it for the console. */
    private List<ContainerStatus> withLogsOfTheStuck(List<ContainerStatus> statuses) {
        List<ContainerStatus> result = new ArrayList<>();
        for (ContainerStatus status : statuses) {
            if (status.verdict() == ContainerStatus.Verdict.READY) {
                result.add(status);
                continue;
            }
            boolean tty = engine.inspect(status.id()).path("Config").path("Tty").asBoolean(false);
            String tail = engine.logTail(status.id(), LOG_LINES, tty);
            Progress.line("---- " + status.name() + " (" + status.describe() + "): last " + LOG_LINES
                    + " log lines ----");
            tail.lines().forEach(line -> Progress.line("  " + line));
            if (status.lastHealthCheckOutput() != null) {
                Progress.line("  last health check said: " + status.lastHealthCheckOutput());
            }
            result.add(status.withLogTail(tail));
        }
        return result;
    }

    private void removeThroughEngine(List<JsonNode> containers, List<JsonNode> networks, List<JsonNode> volumes) {
        for (JsonNode container : containers) {
            delete("/containers/" + container.path("Id").asText() + "?force=1&v=1");
        }
        for (JsonNode network : networks) {
            delete("/networks/" + network.path("Name").asText());
        }
        for (JsonNode volume : volumes) {
            delete("/volumes/" + volume.path("Name").asText());
        }
    }

    private void delete(String path) {
        EngineApi.Response response = engine.request("DELETE", path);
        if (!response.ok() && response.status() != 404) {
            throw new OutsideSystemException(engine.dockerHost(), "DELETE " + path + " answered "
                    + response.status() + ": " + response.text().strip());
        }
    }

    private static List<String> filesFromLabels(List<JsonNode> containers) {
        for (JsonNode container : containers) {
            JsonNode labels = container.path("Labels");
            String configFiles = labels.path("com.docker.compose.project.config_files").asText("");
            if (!configFiles.isBlank()) {
                Path workingDir = Path.of(labels.path("com.docker.compose.project.working_dir").asText("/"));
                return Arrays.stream(configFiles.split(","))
                        .map(f -> workingDir.resolve(f.trim()).normalize().toString())
                        .toList();
            }
        }
        return List.of();
    }

    private static List<ContainerStatus> filter(List<ContainerStatus> statuses, ContainerStatus.Verdict verdict) {
        return statuses.stream().filter(s -> s.verdict() == verdict).toList();
    }

    private static String summary(List<ContainerStatus> statuses) {
        return String.join(", ", statuses.stream().map(s -> s.name() + " (" + s.describe() + ")").toList());
    }

    private static List<String> names(List<JsonNode> items, String field) {
        return items.stream().map(item -> {
            JsonNode value = item.path(field);
            return (value.isArray() && value.size() > 0 ? value.get(0).asText() : value.asText())
                    .replaceFirst("^/", "");
        }).toList();
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutsideSystemException("stack wait", "interrupted", e);
        }
    }
}
