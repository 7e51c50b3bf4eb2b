package io.deployflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.PodmanPeer;
import io.deployflow.testpeers.RegistryPeer;
import io.deployflow.testpeers.TestImages;
import io.deployflow.testsupport.VarsFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * dockerPrep's stack fixture (stack-unhealthy.json) is what the jar writes when acme's stack does not get healthy
 * on the real engine (podman + docker-compose): fhir-gateway never passes its health check, terminology is
 * healthy, and a one-shot migration exits 0.
 */
class StackFixturesIT {
    static final String SHOWN_PROJECT = "df-team-release-job-42-acme";

    @TempDir
    Path dir;

    /**
     * How many health checks ran, and how many log lines the containers wrote meanwhile, depend on the machine's
     * pace: the fixture shows three checks (the retries the health check allows) and each distinct log line once,
     * with the health checker's client port fixed. The image's first line drops out of a long tail (30 lines) on a
     * slow machine, so it is left out.
     */
    static void settle(JsonNode tree) {
        for (JsonNode container : tree.path("containers")) {
            ObjectNode c = (ObjectNode) container;
            if (c.has("healthChecksRun")) {
                c.put("healthChecksRun", 3);
            }
            if (c.hasNonNull("logTail")) {
                Set<String> lines = new LinkedHashSet<>();
                c.get("logTail").asText().lines().filter(l -> !l.contains(" listening on :80"))
                        .map(l -> l.replaceAll("^\\[::ffff:127\\.0\\.0\\.1]:\\d+:", "[::ffff:127.0.0.1]:40740:"))
                        .forEach(lines::add);
                c.put("logTail", String.join("\n", lines) + "\n");
            }
        }
    }

    @Test
    void theUnhealthyStackFixtureIsWhatTheJarWrites() throws Exception {
        PodmanPeer podman = PodmanPeer.shared();
        String project = "dffix-" + ProcessHandle.current().pid() + "-acme";
        Path file = dir.resolve("customers/acme/docker-compose.yml");
        Files.createDirectories(file.getParent());
        TestImages images = null;
        try (RegistryPeer registry = RegistryPeer.start(dir.resolve("registry"))) {
            images = TestImages.build(podman, registry);
            Files.writeString(file, "services:\n"
                    + TestImages.service("fhir-gateway", images.sick(), Peer.freePort())
                    + TestImages.service("terminology", images.good(), Peer.freePort())
                    + "  migrate:\n    image: " + images.good() + "\n"
                    + "    command: [\"/bin/sh\", \"-c\", \"echo schema is up to date\"]\n");
            VarsFixtures.Run up = VarsFixtures.jar(dir, podman.environment(), List.of("stack", "up", "--file",
                    "customers/acme/docker-compose.yml", "--project", project, "--wait", "120s", "--json",
                    "deployflow-out/acme/stack.json"));
            assertEquals(1, up.exitCode(), up.output());
            VarsFixtures.check("stack-unhealthy.json", dir.resolve("deployflow-out/acme/stack.json"), Map.of(
                    project, SHOWN_PROJECT, podman.dockerHost(), "unix:///run/podman/podman.sock",
                    registry.hostPort(), "127.0.0.1:5000", dir.toString(), "/work"), StackFixturesIT::settle);
        } finally {
            VarsFixtures.Run down = VarsFixtures.jar(dir, podman.environment(), List.of("stack", "down",
                    "--project", project, "--file", "customers/acme/docker-compose.yml"));
            assertEquals(0, down.exitCode(), down.output());
            if (images != null) {
                images.removePulled(podman);
            }
        }
    }
}
