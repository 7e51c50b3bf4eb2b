package io.deployflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI in process, with the real docker-compose validating what was written. */
class ComposeSetVersionsCommandTest {
    static final String CONFIG = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
            components:
              - {name: fhir-gateway, repo: file:///g, image: registry.example.org/fhir/fhir-gateway}
              - {name: portal, repo: file:///p, image: registry.example.org/fhir/portal}
              - {name: terminology, repo: file:///t, image: localhost:5000/fhir/terminology}
            customers:
              - {name: acme, repo: file:///acme}
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void planSetsReleaseVersionsSkipsNullAndAbsentComponentsAndValidates() throws IOException {
        Path config = write("deployflow.yaml", CONFIG);
        Path compose = write("docker-compose.yml", """
                services:
                  gateway:   # the FHIR gateway
                    image: "registry.example.org/fhir/fhir-gateway:${GATEWAY_VERSION:-1.2.0}"
                  portal:
                    image: registry.example.org/fhir/portal:2.0.0
                """);
        Path plan = write("plan.json", """
                {"meetingDate":"2026-11-23","components":[
                  {"name":"fhir-gateway","releaseVersion":"1.3.0"},
                  {"name":"portal","releaseVersion":null},
                  {"name":"terminology","releaseVersion":"0.9.0"}]}
                """);
        Path out = dir.resolve("result.json");
        int code = Main.run("compose", "set-versions", "--config", config.toString(), "--customer", "acme",
                "--file", compose.toString(), "--plan", plan.toString(), "--json", out.toString());
        assertEquals(0, code);
        assertEquals("""
                services:
                  gateway:   # the FHIR gateway
                    image: "registry.example.org/fhir/fhir-gateway:${GATEWAY_VERSION:-1.3.0}"
                  portal:
                    image: registry.example.org/fhir/portal:2.0.0
                """, Files.readString(compose));
        JsonNode result = Json.mapper().readTree(out.toFile());
        assertEquals(1, result.get("services").size());
        assertEquals("1.2.0", result.at("/services/0/from").asText());
        assertEquals("1.3.0", result.at("/services/0/to").asText());
        assertEquals("docker-compose config -q", result.get("validatedWith").asText());
        assertEquals("portal", result.at("/skipped/0/component").asText());
        assertEquals("terminology", result.at("/skipped/1/component").asText());
        assertEquals(compose.toString(), result.at("/filesChanged/0").asText());
    }

    @Test
    void composeCliRejectionOfTheEditRestoresTheOriginalBytesAndExits2() throws IOException {
        Path config = write("deployflow.yaml", CONFIG);
        // One variable is both the tag and a port: 8080 is a valid port, 2.1.0 is not, so only the edit is rejected.
        String original = "services:\n  portal:\n    image: registry.example.org/fhir/portal:${V}\n"
                + "    ports: [\"${V}:80\"]\n";
        Path compose = write("docker-compose.yml", original);
        Path env = write(".env", "V=8080\n");
        Path out = dir.resolve("result.json");
        CliRun run = CliRun.of("compose", "set-versions", "--config", config.toString(), "--customer", "acme",
                "--file", compose.toString(), "--set", "portal=2.1.0", "--json", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("docker-compose config -q (version "), run.err());
        assertTrue(run.err().contains(") rejected the edited file, so the original was restored"), run.err());
        assertEquals(original, new String(Files.readAllBytes(compose), StandardCharsets.UTF_8));
        assertEquals("V=8080\n", new String(Files.readAllBytes(env), StandardCharsets.UTF_8));
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "only config, compose and .env: no result, no temp file left");
        }
    }

    @Test
    void aFileTheComposeCliAlreadyRejectedIsEditedWhenTheEditAddsNoComplaint() throws IOException {
        Path config = write("deployflow.yaml", CONFIG);
        String original = "services:\n  portal:\n    image: registry.example.org/fhir/portal:2.0.0\n    bogus_key: 1\n";
        Path compose = write("docker-compose.yml", original);
        Path out = dir.resolve("result.json");
        CliRun run = CliRun.of("compose", "set-versions", "--config", config.toString(), "--customer", "acme",
                "--file", compose.toString(), "--set", "portal=2.1.0", "--json", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(original.replace("2.0.0", "2.1.0"), Files.readString(compose));
        assertTrue(run.err().contains("already complains about the original file; the edit adds no complaint, so it"
                + " stands"), run.err());
        JsonNode result = Json.mapper().readTree(out.toFile());
        assertEquals("docker-compose config -q", result.get("validatedWith").asText());
        assertTrue(result.get("validatorVersion").asText().startsWith("1."), result.toString());
        assertTrue(result.get("originalComplaint").asText().contains("bogus_key"), result.toString());
    }

    @Test
    void unknownCustomerBadSetSyntaxAndBadPlanExit2() throws IOException {
        Path config = write("deployflow.yaml", CONFIG);
        String original = "services:\n  portal: {image: registry.example.org/fhir/portal:2.0.0}\n";
        Path compose = write("docker-compose.yml", original);
        assertEquals(2, Main.run("compose", "set-versions", "--config", config.toString(), "--customer", "acm",
                "--file", compose.toString(), "--set", "portal=2.1.0"));
        assertEquals(2, Main.run("compose", "set-versions", "--config", config.toString(), "--customer", "acme",
                "--file", compose.toString(), "--set", "portal"));
        assertEquals(2, Main.run("compose", "set-versions", "--config", config.toString(), "--customer", "acme",
                "--file", compose.toString()));
        Path plan = write("plan.json", "{\"components\":[{\"name\":\"gateway-x\",\"releaseVersion\":\"1.0.0\"}]}");
        assertEquals(2, Main.run("compose", "set-versions", "--config", config.toString(), "--customer", "acme",
                "--file", compose.toString(), "--plan", plan.toString()));
        write("plan.json", "{\"components\":[{\"name\":\"portal\",\"releaseVersion\":2}]}");
        assertEquals(2, Main.run("compose", "set-versions", "--config", config.toString(), "--customer", "acme",
                "--file", compose.toString(), "--plan", plan.toString()));
        assertEquals(original, Files.readString(compose));
    }

    @Test
    void setFlagEditsTheCustomersComposeFileAndSecondRunIsANoOp() throws IOException {
        Path config = write("deployflow.yaml", CONFIG);
        Path compose = write("docker-compose.yml",
                "services:\n  portal: {image: registry.example.org/fhir/portal:2.0.0}\n");
        Path out = dir.resolve("r.json");
        String[] args = {"compose", "set-versions", "--config", config.toString(), "--customer", "acme",
                "--file", compose.toString(), "--set", "portal=2.1.0", "--json", out.toString()};
        assertEquals(0, Main.run(args));
        assertTrue(Files.readString(compose).contains("portal:2.1.0}"));
        assertEquals(0, Main.run(args));
        JsonNode second = Json.mapper().readTree(out.toFile());
        assertEquals(0, second.get("filesChanged").size());
        assertFalse(second.at("/services/0/changed").asBoolean());
    }
}
