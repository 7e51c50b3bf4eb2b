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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

        StackUpResult up = stack.up(file, project, Duration.ofSeconds(60), true);

        try {
            assertTrue(up.healthy(), () -> "not healthy: " + up.problem() + "\n" + podman.log());
            assertNull(up.problem());
            assertEquals(1, up.containers().size());
            ContainerStatus web = up.containers().get(0);
            assertEquals("web", web.service());
            assertEquals("running", web.state());
            assertEquals("healthy", web.health());
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

    private static List<String> names(List<JsonNode> items) {
        return items.stream().map(item -> item.path("Name").asText()).toList();
    }
}
