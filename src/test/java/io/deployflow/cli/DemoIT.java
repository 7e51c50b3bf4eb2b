package io.deployflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job, exactly as a newcomer runs it: the built jar and nothing else. */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void demoRunsFromTheJarAlone() throws Exception {
        String jar = System.getProperty("deployflow.jar", "target/deployflow.jar");
        Process p = new ProcessBuilder("java", "-jar", jar, "demo", "--dir", dir.resolve("demo").toString(),
                "--date", "2026-11-23").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("repo-person: dev2") && output.contains("dc-person"), output);
        JsonNode plan = Json.mapper().readTree(dir.resolve("demo/plan.json").toFile());
        assertEquals(3, plan.path("components").size());
        assertEquals("2026-11-23", plan.path("meetingDate").asText());
    }
}
