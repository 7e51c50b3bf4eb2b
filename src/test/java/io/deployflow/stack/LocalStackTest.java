package io.deployflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.PodmanPeer;
import io.deployflow.testpeers.RegistryPeer;
import io.deployflow.testpeers.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local stack against a real engine: podman's Docker API, docker-compose, images pulled from a registry. */
class LocalStackTest {
    @TempDir
    static Path dir;
    static RegistryPeer registry;
    static TestImages images;
    static PodmanPeer podman;

    @BeforeAll
    static void images() {
        podman = PodmanPeer.shared();
        registry = RegistryPeer.start(dir.resolve("registry"));
        images = TestImages.build(podman, registry);
    }

    @AfterAll
    static void stopRegistry() {
        images.removePulled(podman);
        registry.close();
    }

    @Test
    void goodStackBecomesHealthyServesItsRoutesAndDownRemovesContainersAndVolumes() throws Exception {
        int port = Peer.freePort();
        String project = "dftest-good-" + ProcessHandle.current().pid();
        Path file = dir.resolve("good/docker-compose.yml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "services:\n" + TestImages.service("web", images.good(), port)
                + "    volumes: [\"data:/data\"]\n"
                + "volumes:\n  data: {}\n");
        LocalStack stack = new LocalStack(podman.fullEnvironment());
        // the control: the same image and check, started outside `stack up`, where nothing drives podman's checks
        String control = "dftest-control-" + ProcessHandle.current().pid();
        podman.podman("run", "-d", "--name", control, "--health-cmd", "/bin/wget -q -O /dev/null "
                + "http://127.0.0.1/health", "--health-interval", "1s", images.good());

        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try {
            StackUpResult up = teeStderr(progress, () -> stack.up(file, project, Duration.ofSeconds(60), true));
            // started before the stack, with a check due every second: had anything run checks, it would show
            JsonNode controlHealth = podman.api().inspect(control).path("State").path("Health");
            try {
                assertTrue(up.healthy(), () -> "not healthy: " + up.problem() + "\n" + podman.log());
                assertNull(up.problem());
                assertEquals(1, up.containers().size());
                ContainerStatus web = up.containers().get(0);
                assertEquals("web", web.service());
                assertEquals("running", web.state());
                assertEquals("healthy", web.health());
                // podman runs no check here by itself, nor does the fixture: web is healthy because deployflow ran
                // its check
                String someoneElse = "something ran the control's health checks: " + controlHealth + "; podman "
                        + "without systemd does not, so it must be another test JVM on this machine whose PodmanPeer "
                        + "still runs every container's checks (a branch from before stack2): rerun when it is done";
                assertEquals("starting", controlHealth.path("Status").asText(), someoneElse);
                assertTrue(controlHealth.path("Log").isNull() || controlHealth.path("Log").isEmpty(), someoneElse);
                String said = progress.toString(StandardCharsets.UTF_8);
                assertTrue(said.contains(project + ": deployflow is driving podman's health checks, because "
                        + "podman at " + podman.dockerHost() + " runs without systemd (cgroup manager cgroupfs)"),
                        said);
                assertTrue(web.healthChecksRun() != null && web.healthChecksRun() >= 1,
                        () -> "checks run by deployflow: " + web.healthChecksRun() + "\n" + said);
                assertTrue(up.preview());
                assertEquals("deployflow stack down --project " + project + " --file " + file.toAbsolutePath(),
                        up.removeWith());
                HttpResponse<String> patient = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/fhir/Patient/example")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, patient.statusCode());
                assertTrue(patient.body().contains("\"resourceType\":\"Patient\""), patient.body());
                HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/cgi-bin/fhir/Patient"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"id\":\"p1\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());
                assertTrue(created.body().contains("\"id\":\"p1\""), created.body());
                assertEquals(List.of(project + "_data"), names(podman.api().projectResources("volumes", project)));
            } finally {
                // without --file: the file is found again through the containers' Compose labels
                StackDownResult down = stack.down(project, null);
                assertEquals("compose", down.method());
                assertEquals(List.of(file.toAbsolutePath().toString()), down.files());
                assertEquals(List.of(project + "_data"), down.volumes());
            }
            assertTrue(podman.api().projectContainers(project).isEmpty());
            assertTrue(podman.api().projectResources("volumes", project).isEmpty());
            assertTrue(podman.api().projectResources("networks", project).isEmpty());
        } finally {
            podman.podman("rm", "-f", "-t", "0", control);
        }

        StackDownResult again = stack.down(project, null);
        assertEquals("nothing", again.method(), "down is idempotent");
    }

    @Test
    void anUnhealthyContainerStopsTheWaitEarlyAndOnlyItsLogsAreReported() throws Exception {
        int port = Peer.freePort();
        String project = "dftest-sick-" + ProcessHandle.current().pid();
        Path file = dir.resolve("sick/compose.yml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "services:\n" + TestImages.service("api", images.broken(), port)
                + TestImages.service("db", images.sick(), Peer.freePort()));
        LocalStack stack = new LocalStack(podman.fullEnvironment());
        try {
            long started = System.nanoTime();
            StackUpResult up = stack.up(file, project, Duration.ofSeconds(120), false);

            assertFalse(up.healthy());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 100,
                    "an unhealthy verdict must not wait for the timeout");
            assertEquals("not healthy: " + project + "_db_1 (unhealthy)", up.problem());
            ContainerStatus api = up.containers().get(0);
            ContainerStatus db = up.containers().get(1);
            assertEquals("healthy", api.health());
            assertNull(api.logTail(), "a ready container's logs are not reported");
            assertEquals("unhealthy", db.health());
            assertTrue(db.logTail().contains("cannot reach database db:5432"), db.logTail());
            assertTrue(db.logTail().lines().count() <= 30, db.logTail());
            assertTrue(db.lastHealthCheckOutput() != null, "the last health check output is kept");
            assertTrue(db.healthChecksRun() >= 1, "deployflow ran the checks that found db unhealthy");
            // the broken image is healthy: the stack check is about health, the smoke test catches its bad route
            HttpResponse<String> patient = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/fhir/Patient/example")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, patient.statusCode());
        } finally {
            stack.down(project, file);
        }
        assertTrue(podman.api().projectContainers(project).isEmpty());
    }

    /** Runs {@code action} with stderr (where {@code Progress} writes) also copied into {@code copy}. */
    private static <T> T teeStderr(ByteArrayOutputStream copy, Supplier<T> action) {
        PrintStream original = System.err;
        System.setErr(new PrintStream(new TeeOutputStream(original, copy), true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setErr(original);
        }
    }

    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }

    private static List<String> names(List<JsonNode> items) {
        return items.stream().map(item -> item.path("Name").asText()).toList();
    }
}
