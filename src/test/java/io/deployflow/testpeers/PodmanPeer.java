package io.deployflow.testpeers;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.stack.EngineApi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Docker-compatible engine for tests: {@code podman system service} (rootful) on a Unix socket in a temp dir,
 * speaking Docker API 1.41, so {@code docker-compose} and {@link EngineApi} use it through {@code DOCKER_HOST}.
 *
 * <p>Use {@link #shared()}: starting podman is slow, so one service serves the whole test JVM and stops when the
 * JVM exits. It never skips: if podman cannot start, the test fails with podman's log.
 *
 * <p>What podman needs on a Debian 12 VM like ours (all written into {@code containers.conf}, named by
 * {@code CONTAINERS_CONF}):
 * <ul>
 *   <li>{@code runtime = "runc"}: crun refuses the VM's cgroup v1 setup;</li>
 *   <li>{@code default_ulimits = nofile/nproc 1024}: the VM does not allow raising limits to podman's defaults;</li>
 *   <li>{@code cgroup_manager = "cgroupfs"} and {@code events_logger = "file"}: there is no systemd (PID 1 is not
 *       systemd), so neither the systemd cgroup manager nor journald exist.</li>
 * </ul>
 * Storage is podman's default for root: the overlay driver under /var/lib/containers/storage (ext4 here, so no
 * fuse-overlayfs is needed); networking is netavark with iptables; published ports bind on the host directly.
 *
 * <p><b>Health checks.</b> Podman schedules health checks with systemd timers. Without systemd no check ever runs
 * and every container stays "starting" forever. This peer therefore plays the timer's part: a daemon thread asks
 * the libpod API ({@code GET /libpod/containers/{id}/healthcheck}) to run each running container's check once per
 * its configured interval, the first one interval after it first sees the container, as Docker does. Docker, or
 * podman under systemd, does this itself. The containers live in the machine's shared podman storage, so when
 * several test JVMs run at once each timer checks every container and checks may come more often than the
 * interval; a failing check still needs {@code retries} failures in a row to turn a container unhealthy.
 *
 * <p><b>Insecure registries.</b> Compose pulls through the engine, which wants https unless registries.conf marks a
 * registry insecure, and podman reads registries.conf only once. {@link #trustInsecureRegistry(String)} adds the
 * registry and restarts the service on the same socket (containers keep running; they belong to conmon).
 *
 * <p>Environment for child processes, all in {@link #environment()}: {@code DOCKER_HOST} (this socket),
 * {@code CONTAINERS_CONF} and {@code CONTAINERS_REGISTRIES_CONF} (so {@code podman} commands behave like the
 * service). {@code XDG_RUNTIME_DIR} is not set: rootful podman keeps its run state in /run/containers and /run/libpod
 * and does not read it.
 */
public final class PodmanPeer {
    private static PodmanPeer shared;

    private final Path dir;
    private final Path socket;
    private final Path registriesConf;
    private final Set<String> insecureRegistries = new LinkedHashSet<>();
    private final Map<String, Long> lastCheck = new ConcurrentHashMap<>();
    private final Map<String, Long> intervals = new ConcurrentHashMap<>();
    private final ScheduledExecutorService healthTimer;
    private Process service;

    private PodmanPeer(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("podman.sock");
        this.registriesConf = dir.resolve("registries.conf");
        this.healthTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "podman-health-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The one podman service of this JVM, started on first use and stopped at JVM exit. */
    public static synchronized PodmanPeer shared() {
        if (shared == null) {
            try {
                PodmanPeer peer = new PodmanPeer(Files.createTempDirectory("deployflow-podman"));
                peer.writeConfig();
                peer.startService();
                peer.healthTimer.scheduleWithFixedDelay(peer::runDueHealthChecks, 1, 1, TimeUnit.SECONDS);
                Runtime.getRuntime().addShutdownHook(new Thread(peer::stop, "podman-peer-stop"));
                shared = peer;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare podman peer", e);
            }
        }
        return shared;
    }

    /** {@code unix:///tmp/deployflow-podman…/podman.sock}: the value for DOCKER_HOST. */
    public String dockerHost() {
        return "unix://" + socket;
    }

    /** The variables a child process (docker-compose, podman, the deployflow jar) needs to use this engine. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DOCKER_HOST", dockerHost());
        env.put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        env.put("CONTAINERS_REGISTRIES_CONF", registriesConf.toString());
        return env;
    }

    /** {@link System#getenv()} with {@link #environment()} on top: what {@code LocalStack} takes. */
    public Map<String, String> fullEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.putAll(environment());
        return env;
    }

    /** An engine API client for this service. */
    public EngineApi api() {
        return new EngineApi(dockerHost(), Duration.ofSeconds(30));
    }

    /** Runs {@code podman args...} with this peer's configuration; fails with podman's output on a non-zero exit. */
    public String podman(String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment());
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("podman could not run (is it installed? .ci/install-peers.sh): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Lets the engine pull from {@code hostPort} over plain http, as Docker does for 127.0.0.1 by default.
     * Restarts the service when the registry is new, because podman reads registries.conf only once.
     */
    public synchronized void trustInsecureRegistry(String hostPort) {
        if (insecureRegistries.add(hostPort)) {
            writeRegistriesConf();
            stopService();
            startService();
        }
    }

    /** The service's own log (podman's stderr), for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("podman-service.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void writeConfig() throws IOException {
        Files.writeString(dir.resolve("containers.conf"), String.join("\n",
                "# written by the deployflow PodmanPeer test fixture",
                "[containers]",
                "default_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]",
                "[engine]",
                "runtime = \"runc\"",
                "cgroup_manager = \"cgroupfs\"",
                "events_logger = \"file\"",
                ""));
        writeRegistriesConf();
    }

    private void writeRegistriesConf() {
        StringBuilder conf = new StringBuilder("# written by the deployflow PodmanPeer test fixture\n"
                + "unqualified-search-registries = []\n");
        for (String registry : insecureRegistries) {
            conf.append("\n[[registry]]\nlocation = \"").append(registry).append("\"\ninsecure = true\n");
        }
        try {
            Files.writeString(registriesConf, conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startService() {
        try {
            Files.deleteIfExists(socket);
            ProcessBuilder builder = new ProcessBuilder("podman", "system", "service", "--time=0",
                    dockerHost()).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("podman-service.log").toFile()));
            builder.environment().putAll(environment());
            service = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("podman could not start (is it installed? .ci/install-peers.sh "
                    + "installs it): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String lastError = "";
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("podman system service exited with " + service.exitValue()
                        + ":\n" + log());
            }
            if (Files.exists(socket)) {
                try {
                    new EngineApi(dockerHost(), Duration.ofSeconds(5)).ping();
                    return;
                } catch (RuntimeException notYet) {
                    lastError = notYet.getMessage();
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stopService();
        throw new IllegalStateException("podman system service did not answer /_ping on " + socket
                + " within 60s (" + lastError + "):\n" + log());
    }

    /** Plays systemd's timer: runs each running container's health check once per its interval. */
    private void runDueHealthChecks() {
        try {
            EngineApi api = api();
            String filter = URLEncoder.encode("{\"health\":[\"starting\",\"healthy\",\"unhealthy\"]}",
                    StandardCharsets.UTF_8);
            long now = System.nanoTime();
            for (JsonNode container : api.getJson("/v4.0.0/libpod/containers/json?filters=" + filter)) {
                String id = container.path("Id").asText();
                long interval = intervals.computeIfAbsent(id, key -> interval(api, key));
                // as in Docker, the first check runs one interval after the container is first seen
                long last = lastCheck.computeIfAbsent(id, key -> now);
                if (now - last >= interval) {
                    lastCheck.put(id, now);
                    api.request("GET", "/v4.0.0/libpod/containers/" + id + "/healthcheck");
                }
            }
        } catch (RuntimeException e) {
            // the service may be restarting (trustInsecureRegistry) or a container just went away; try next tick
        }
    }

    private static long interval(EngineApi api, String id) {
        long nanos = api.inspect(id).path("Config").path("Healthcheck").path("Interval").asLong(0);
        // Docker's default interval is 30s; tests set 1-2s
        return nanos > 0 ? nanos : Duration.ofSeconds(30).toNanos();
    }

    private void stopService() {
        if (service == null) {
            return;
        }
        service.destroy();
        try {
            if (!service.waitFor(10, TimeUnit.SECONDS)) {
                service.destroyForcibly();
                service.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        healthTimer.shutdownNow();
        stopService();
    }
}
