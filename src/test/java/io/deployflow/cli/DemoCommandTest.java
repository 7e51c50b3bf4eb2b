package io.deployflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void makesTheExampleRepositoriesAndRunsTheMeetingTwice() throws Exception {
        Path demo = dir.resolve("demo");
        CliRun run = CliRun.of("demo", "--dir", demo.toString(), "--date", "2026-11-23");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("fhir-gateway") && run.out().contains("dc-person"), run.out());

        JsonNode plan = Json.mapper().readTree(demo.resolve("plan.json").toFile());
        JsonNode gateway = plan.path("components").get(0);
        assertEquals("1.2.0", gateway.path("lastRelease").asText(), "1.3.0-rc.1 is a pre-release");
        assertEquals("1.3.0", gateway.path("nextVersion").asText());
        assertEquals("dev2", gateway.path("repoPerson").path("id").asText());
        JsonNode terminology = plan.path("components").get(1);
        assertEquals("0.4.2", terminology.path("nextVersion").asText());
        assertFalse(terminology.path("repoPerson").path("known").asBoolean());
        assertEquals("contractor@partner.example", terminology.path("repoPerson").path("email").asText());
        JsonNode validator = plan.path("components").get(2);
        assertEquals("2.0.0", validator.path("nextVersion").asText());
        assertEquals("dev3", validator.path("repoPerson").path("id").asText());
        assertEquals(2, plan.path("customers").size());

        CliRun again = CliRun.of("demo", "--dir", demo.toString(), "--date", "2026-11-23");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(plan, Json.mapper().readTree(demo.resolve("plan.json").toFile()), "deterministic");

        CliRun meeting = CliRun.of("validate", "--config", demo.resolve("deployflow.yaml").toString());
        assertEquals(0, meeting.exitCode(), meeting.toString());
    }

    @Test
    void refusesADirectoryWithSomethingElseInIt() throws Exception {
        Files.writeString(dir.resolve("important.txt"), "keep me");
        CliRun run = CliRun.of("demo", "--dir", dir.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals("keep me", Files.readString(dir.resolve("important.txt")));
        assertFalse(Files.exists(dir.resolve("repos")));
    }
}
