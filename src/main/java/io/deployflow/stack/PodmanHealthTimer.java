package io.deployflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the part of podman's health-check timers while {@code stack up} waits, on an agent where they do not run.
 *
 * <p>Docker runs each container's health check itself. Podman does not: it asks systemd for a transient timer per
 * container ({@code systemd-run}), and on an agent without systemd (a container-based Jenkins agent, a VM whose PID 1
 * is not systemd) that fails with only a line in podman's own log, so every check stays "starting" and the wait could
 * only time out. Podman needs the same systemd connection for its systemd cgroup manager, so a podman reporting
 * {@code cgroupManager: cgroupfs} is taken as one whose timers do not run. Then this class asks the libpod API to run
 * each health check ({@code GET /libpod/containers/{id}/healthcheck}) once per its {@code Healthcheck.Interval},
 * the first one an interval after the wait first sees the container, as Docker schedules them. Podman itself applies
 * the start period (failures within it do not make the container unhealthy) and the retries.
 *
 * <p>Only the containers the wait looks at (the project's own) are checked, and only while it waits: after
 * {@code up} returns nobody runs the checks, which is why a preview stack's health is only meaningful at that moment.
 * A check runs while the wait waits for its answer, so a hanging one holds the wait up to the engine client's
 * timeout (30s, Docker's default check timeout too).
 */
final class PodmanHealthTimer {
    /** Docker's and podman's interval when the image and compose file set none. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    private final EngineApi engine;
    private final String project;
    private final String reason;
    private final Map<String, Schedule> schedules = new HashMap<>();
    private boolean announced;

    private PodmanHealthTimer(EngineApi engine, String project, String reason) {
        this.engine = engine;
        this.project = project;
        this.reason = reason;
    }

    /**
     * When one health check of a container is due: one interval after the previous check ended, or after the
     * container was first seen when none ran yet (times from {@link System#nanoTime()}).
     */
    record Schedule(long firstSeen, long interval, long lastRun, int runs) {
        static Schedule firstSeen(long now, Duration interval) {
            return new Schedule(now, interval.toNanos(), 0, 0);
        }

        long nextDue() {
            return (runs == 0 ? firstSeen : lastRun) + interval;
        }

        boolean isDue(long now) {
            return now - nextDue() >= 0;
        }

        Schedule ran(long endedAt) {
            return new Schedule(firstSeen, interval, endedAt, runs + 1);
        }
    }

    /**
     * The timer the engine behind {@code engine} needs, or null when it runs its own checks (Docker, or podman with
     * systemd).
     */
    static PodmanHealthTimer forEngine(EngineApi engine, String project) {
        if (!isPodman(engine.getJson("/version"))) {
            return null;
        }
        String cgroupManager = engine.getJson("/v4.0.0/libpod/info").path("host").path("cgroupManager")
                .asText("");
        return timersRun(cgroupManager) ? null : new PodmanHealthTimer(engine, project,
                "podman at " + engine.dockerHost() + " runs without systemd (cgroup manager " + cgroupManager
                        + "), so its health-check timers do not run");
    }

    /** Docker answers {@code /version} with an "Engine" component, podman with "Podman Engine". */
    static boolean isPodman(JsonNode version) {
        for (JsonNode component : version.path("Components")) {
            if (component.path("Name").asText("").contains("Podman")) {
                return true;
            }
        }
        return false;
    }

    /** Podman's timers and its systemd cgroup manager both need systemd; cgroupfs means there may be none. */
    static boolean timersRun(String cgroupManager) {
        return "systemd".equals(cgroupManager);
    }

    /** The {@code Healthcheck.Interval} of an inspected container (nanoseconds; 0 or absent means the default). */
    static Duration interval(JsonNode inspect) {
        long nanos = inspect.path("Config").path("Healthcheck").path("Interval").asLong(0);
        return nanos > 0 ? Duration.ofNanos(nanos) : DEFAULT_INTERVAL;
    }

    /**
     * Runs the checks that are due among {@code inspected} (the engine's inspect answers, one per container the wait
     * just looked at); containers without a health check or not running are left alone.
     */
    void runDue(List<JsonNode> inspected, long now) {
        for (JsonNode inspect : inspected) {
            ContainerStatus status = ContainerStatus.fromInspect(inspect);
            if (status.health() == null || !status.state().equals("running")) {
                continue;
            }
            announce();
            Schedule schedule = schedules.computeIfAbsent(status.id(),
                    id -> Schedule.firstSeen(now, interval(inspect)));
            if (schedule.isDue(now)) {
                run(status);
                schedules.put(status.id(), schedule.ran(System.nanoTime()));
            }
        }
    }

    /** How many checks this timer ran for the container so far. */
    int checksRun(String containerId) {
        Schedule schedule = schedules.get(containerId);
        return schedule == null ? 0 : schedule.runs();
    }

    /**
     * Why the wait ran out for containers still "starting": either their first check was not due yet (an interval
     * longer than the wait), or it ran and has not passed; empty when neither applies.
     */
    String explainTimeout(List<ContainerStatus> waiting, Duration wait) {
        List<String> notDue = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        for (ContainerStatus status : waiting) {
            Schedule schedule = schedules.get(status.id());
            if (schedule == null || !"starting".equals(status.health())) {
                continue;
            }
            if (schedule.runs() == 0) {
                notDue.add(status.name() + " (interval " + Duration.ofNanos(schedule.interval()).toSeconds()
                        + "s)");
            } else {
                failing.add(status.name() + " (" + schedule.runs() + " so far)");
            }
        }
        StringBuilder text = new StringBuilder();
        if (!notDue.isEmpty()) {
            text.append("; no health check was due yet for ").append(String.join(", ", notDue))
                    .append(": deployflow runs podman's checks here, the first one interval after it first sees the "
                    + "container, which is later than this wait of ").append(wait.toSeconds())
                    .append("s (shorten the interval or lengthen --wait)");
        }
        if (!failing.isEmpty()) {
            text.append("; the health checks deployflow ran have not passed yet for ")
                    .append(String.join(", ", failing));
        }
        return text.toString();
    }

    private void announce() {
        if (!announced) {
            announced = true;
            Progress.line(project + ": deployflow is driving podman's health checks, because " + reason
                    + ": each runs once per its interval while this wait lasts");
        }
    }

    private void run(ContainerStatus status) {
        String path = "/v4.0.0/libpod/containers/" + status.id() + "/healthcheck";
        try {
            EngineApi.Response response = engine.request("GET", path);
            // 200 carries this check's own result; the container's health, which the wait reads, follows from it
            if (!response.ok()) {
                Progress.line(status.service() + ": podman did not run the health check (" + response.status()
                        + ": " + response.text().strip() + ")");
            }
        } catch (OutsideSystemException e) {
            // a check that outlasts the engine client's timeout; the next inspect shows whether the engine is gone
            Progress.line(status.service() + ": health check did not answer: " + e.getMessage());
        }
    }
}
