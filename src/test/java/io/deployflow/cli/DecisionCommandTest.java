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

/** The decision command in process: the run's JSON record, and exit 2 with nothing written on a refusal. */
class DecisionCommandTest {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                components:
                  - {name: fhir-gateway, repo: file:///g, image: registry.example.org/fhir/fhir-gateway}
                customers:
                  - {name: acme, repo: file:///acme, contacts: [ops@acme.example]}
                decision: {deciders: [dev1], retrospectiveDir: retros}
                """);
    }

    private int run(String... extra) throws Exception {
        String[] base = {"decision", "--config", config().toString(), "--customer", "acme",
                "--json", dir.resolve("decision.json").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return Main.run(all);
    }

    @Test
    void doNotReleaseWritesTheRecordAndTheRetrospective() throws Exception {
        assertEquals(0, run("--choice", "do-not-release", "--by", "dev1", "--reason", "root cause unknown",
                "--component", "fhir-gateway"));
        JsonNode record = Json.mapper().readTree(dir.resolve("decision.json").toFile());
        assertEquals("do-not-release", record.get("choice").asText());
        assertEquals("Developer One", record.at("/decidedBy/name").asText());
        assertEquals("root cause unknown", record.get("reason").asText());
        assertEquals("stop", record.get("next").asText());
        assertEquals("ops@acme.example", record.at("/notifications/0/to/0").asText());
        assertTrue(Files.exists(Path.of(record.get("retrospective").asText())));
        assertTrue(record.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    }

    @Test
    void refusalsExit2AndWriteNothing() throws Exception {
        assertEquals(2, run("--choice", "do-not-release", "--by", "dev2", "--reason", "x",
                "--component", "fhir-gateway"));
        assertEquals(2, run("--choice", "do-not-release", "--by", "dev1", "--reason", " ",
                "--component", "fhir-gateway"));
        assertEquals(2, run("--choice", "do-not-release", "--by", "dev1", "--component", "fhir-gateway"));
        assertEquals(2, run("--choice", "do-not-release", "--by", "dev1", "--reason", "x", "--component", "nope"));
        assertEquals(2, run("--choice", "give-up", "--by", "dev1", "--reason", "x", "--component", "fhir-gateway"));
        assertFalse(Files.exists(dir.resolve("decision.json")));
        assertFalse(Files.exists(dir.resolve("retros")));
    }
}
