package io.deployflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.PodmanPeer;
import io.deployflow.testpeers.RegistryPeer;
import io.deployflow.testpeers.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code stack up} / {@code stack down} as a pipeline runs them: the shaded jar in a child process. */
class StackCommandIT {
    @TempDir
    Path dir;

    record Run(int exit, String stderr) {
    }

    @Test
    void sickStackTimesOutWithItsLogsAndExit1ThenDownWithoutItsFileRemovesIt() throws Exception {
        PodmanPeer podman = PodmanPeer.shared();
        String project = "dfit-sick-" + ProcessHandle.current().pid();
        Path file = dir.resolve("compose.yml");
        TestImages images = null;
        try (RegistryPeer registry = RegistryPeer.start(dir.resolve("registry"))) {
            images = TestImages.build(podman, registry);
            // the first check is due after an hour, so health stays "starting" as on podman without systemd: this
            // exercises the timeout and its hint, not the unhealthy verdict (LocalStackTest covers that)
            Files.writeString(file, "services:\n  gateway:\n    image: " + images.sick() + "\n"
                    + "    ports: [\"127.0.0.1:" + Peer.freePort() + ":80\"]\n"
                    + "    healthcheck: {test: [\"CMD\", \"/bin/wget\", \"-q\", \"-O\", \"/dev/null\", "
                    + "\"http://127.0.0.1/health\"], interval: 1h}\n"
                    + "    volumes: [\"cache:/cache\"]\n"
                    + "volumes:\n  cache: {}\n");
            Path json = dir.resolve("up.json");

            Run up = run(podman.environment(), "stack", "up", "--file", file.toString(), "--project", project,
                    "--wait", "6s", "--json", json.toString());

            assertEquals(1, up.exit(), up.stderr());
            assertTrue(up.stderr().contains("gateway: running, health starting"), up.stderr());
            assertTrue(up.stderr().contains("not healthy within 6s: " + project + "_gateway_1 (running, health "
                    + "starting)"), up.stderr());
            assertTrue(up.stderr().contains("no health check result was recorded for " + project + "_gateway_1 "
                    + "(podman without systemd never runs health checks"), up.stderr());
            assertTrue(up.stderr().contains("---- " + project + "_gateway_1"), up.stderr());
            assertTrue(up.stderr().contains("cannot reach database db:5432"), up.stderr());
            assertTrue(up.stderr().contains("remove it with deployflow stack down --project " + project),
                    up.stderr());
            JsonNode result = Json.mapper().readTree(json.toFile());
            assertFalse(result.path("healthy").asBoolean(true));
            assertEquals(List.of("docker-compose"), Json.mapper().convertValue(result.path("composeCommand"),
                    List.class), "the Compose CLI present here is v1");
            JsonNode gateway = result.path("containers").get(0);
            assertEquals("starting", gateway.path("health").asText());
            assertTrue(gateway.path("logTail").asText().contains("cannot reach database"), gateway.toString());
            assertFalse(podman.api().projectContainers(project).isEmpty(), "up leaves a failed stack up");
        } finally {
            // the workspace is gone: down must still find and remove the stack through its labels
            Files.deleteIfExists(file);
            Run down = run(podman.environment(), "stack", "down", "--project", project);
            assertEquals(0, down.exit(), down.stderr());
            assertTrue(down.stderr().contains("is gone"), down.stderr());
            if (images != null) {
                images.removePulled(podman);
            }
        }
        assertTrue(podman.api().projectContainers(project).isEmpty());
        assertTrue(podman.api().projectResources("volumes", project).isEmpty());
        assertTrue(podman.api().projectResources("networks", project).isEmpty());
    }

    @Test
    void unreachableEngineIsExit3NamingDockerHost() throws Exception {
        Path file = dir.resolve("compose.yml");
        Files.writeString(file, "services:\n  web:\n    image: localhost/deployflow-test/good:1.0.0\n");
        String dead = "unix://" + dir.resolve("no-engine.sock");

        Run up = run(Map.of("DOCKER_HOST", dead), "stack", "up", "--file", file.toString(), "--project", "dfit-dead",
                "--wait", "5s");
        assertEquals(3, up.exit(), up.stderr());
        assertTrue(up.stderr().contains("DOCKER_HOST=" + dead), up.stderr());

        Run down = run(Map.of("DOCKER_HOST", dead), "stack", "down", "--project", "dfit-dead");
        assertEquals(3, down.exit(), down.stderr());
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("deployflow.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "build the jar first: " + jar);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "deployflow did not finish");
        return new Run(process.exitValue(), stderr);
    }
}
