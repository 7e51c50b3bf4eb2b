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

class ConfigShowCommandTest {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev1, emails: [dev1@example.org]}
                  - {id: dev2, emails: [dev2@example.org]}
                components:
                  - {name: gateway, repo: ../repos/gw, release: pipeline}
                customers:
                  - name: acme
                    repo: https://git.example.org/acme.git
                    routes: smoke/routes.yaml
                    credentials: {portainer: acme-portainer-key}
                    portainer:
                      url: https://portainer.example.org
                      endpoint: prod
                      stack: acme
                      apiKeyEnv: ACME_PORTAINER_KEY
                      env: {DB_PASSWORD: not-for-steps}
                decision: {deciders: [dev2]}
                credentials: {git: git-https}
                """);
    }

    @Test
    void aCustomerAsTheStepsReadIt() throws Exception {
        Path out = dir.resolve("show.json");
        assertEquals(0, Main.run("config", "show", "--config", config().toString(), "--customer", "acme", "--json",
                out.toString()));

        JsonNode show = Json.read(out, JsonNode.class);
        JsonNode acme = show.get("customer");
        assertEquals("https://git.example.org/acme.git", acme.get("repo").asText());
        assertEquals("smoke/routes.yaml", acme.get("routes").asText());
        assertEquals("docker-compose.yml", acme.get("composeFile").asText(), "defaults are filled in");
        assertEquals("develop", acme.get("developBranch").asText());
        assertEquals("ACME_PORTAINER_KEY", acme.at("/portainer/apiKeyEnv").asText());
        assertEquals("acme-portainer-key", acme.at("/credentials/portainer").asText());
        assertEquals("git-https", acme.at("/credentials/git").asText(), "the top-level id fills in");
        assertEquals("dev2", show.at("/deciders/0").asText());
        assertEquals(1, show.get("deciders").size());
        assertFalse(Files.readString(out).contains("not-for-steps"), "variable values are not shown");
        assertFalse(show.has("components"));
    }

    @Test
    void aComponentWithItsRepositoryResolvedAgainstTheConfigFile() throws Exception {
        Path out = dir.resolve("show.json");
        assertEquals(0, Main.run("config", "show", "--config", config().toString(), "--component", "gateway",
                "--json", out.toString()));

        JsonNode gateway = Json.read(out, JsonNode.class).get("component");
        assertEquals(dir.getParent().resolve("repos/gw").toString(), gateway.get("repo").asText());
        assertEquals("pipeline", gateway.get("release").asText());
        assertEquals(60, gateway.get("releaseWaitMinutes").asInt());
    }

    @Test
    void anUnknownCustomerIsBadInput() throws Exception {
        assertEquals(2, Main.run("config", "show", "--config", config().toString(), "--customer", "acem"));
    }

    @Test
    void withoutDecidersEveryTeamMemberMayDecide() throws Exception {
        Path file = config();
        Files.writeString(file, Files.readString(file).replace("decision: {deciders: [dev2]}\n", ""));
        Path out = dir.resolve("show.json");
        assertEquals(0, Main.run("config", "show", "--config", file.toString(), "--json", out.toString()));
        JsonNode show = Json.read(out, JsonNode.class);
        assertEquals("[\"dev1\",\"dev2\"]", show.get("deciders").toString());
        assertTrue(show.get("customers").isArray() && show.get("components").isArray());
    }
}
