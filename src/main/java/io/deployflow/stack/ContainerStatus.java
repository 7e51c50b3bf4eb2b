package io.deployflow.stack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where one container of a stack stands, read from the engine's inspect answer.
 *
 * @param health  {@code starting}, {@code healthy}, {@code unhealthy}, or null when the container has no health check
 * @param logTail the last log lines, only for a container that kept the stack from becoming healthy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerStatus(String name, String service, String id, String state, String health, Integer exitCode,
                              String lastHealthCheckOutput, String logTail) {

    /** What a container can mean for the stack as a whole. */
    public enum Verdict { READY, WAITING, FAILED }

    static ContainerStatus fromInspect(JsonNode inspect) {
        JsonNode state = inspect.path("State");
        JsonNode labels = inspect.path("Config").path("Labels");
        String name = inspect.path("Name").asText("").replaceFirst("^/", "");
        String service = labels.path("com.docker.compose.service").asText(name);
        String health = null;
        String lastOutput = null;
        // podman reports a Health object with an empty status for containers without a health check
        if (hasHealthCheck(inspect) && state.path("Health").path("Status").asText("").length() > 0) {
            health = state.path("Health").path("Status").asText();
            JsonNode log = state.path("Health").path("Log");
            if (log.isArray() && log.size() > 0) {
                lastOutput = log.get(log.size() - 1).path("Output").asText("").strip();
            }
        }
        String status = state.path("Status").asText("unknown");
        Integer exitCode = status.equals("exited") || status.equals("dead") ? state.path("ExitCode").asInt() : null;
        return new ContainerStatus(name, service, inspect.path("Id").asText(), status, health, exitCode,
                lastOutput == null || lastOutput.isEmpty() ? null : lastOutput, null);
    }

    private static boolean hasHealthCheck(JsonNode inspect) {
        JsonNode test = inspect.path("Config").path("Healthcheck").path("Test");
        return test.isArray() && test.size() > 0 && !test.get(0).asText().equals("NONE");
    }

    /**
     * Running with no health check or a healthy one is ready; a one-shot container that exited 0 (a migration, an
     * init job) is done and counts as ready too. Unhealthy, exited non-zero or dead will not recover by waiting,
     * so the wait stops there instead of running into its timeout, as {@code docker compose up --wait} does.
     */
    public Verdict verdict() {
        switch (state) {
            case "running":
                if (health == null || health.equals("healthy")) {
                    return Verdict.READY;
                }
                return health.equals("unhealthy") ? Verdict.FAILED : Verdict.WAITING;
            case "exited":
                return exitCode != null && exitCode == 0 ? Verdict.READY : Verdict.FAILED;
            case "dead":
                return Verdict.FAILED;
            default:
                return Verdict.WAITING; // created, restarting, paused: may still get there
        }
    }

    /** One progress line, e.g. {@code web: running, health starting} or {@code web: healthy}. */
    public String describe() {
        if (state.equals("running")) {
            if (health == null) {
                return "running";
            }
            return health.equals("starting") ? "running, health starting" : health;
        }
        return exitCode == null ? state : state + " (exit " + exitCode + ")";
    }

    ContainerStatus withLogTail(String tail) {
        return new ContainerStatus(name, service, id, state, health, exitCode, lastHealthCheckOutput, tail);
    }
}
