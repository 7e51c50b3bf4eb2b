package io.deployflow.config;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings the pipeline steps read from deployflow.yaml: credential ids and how each component is released. */
class StepSettingsConfigTest {
    static final String CONFIG = """
            team: [{id: dev1, emails: [dev1@example.org]}]
            components:
              - name: gateway
                repo: https://git.example.org/gw.git
                release: pipeline
                releaseWaitMinutes: 15
                credentials: {git: gw-deploy}
              - {name: terminology, repo: https://git.example.org/term.git}
            customers:
              - name: acme
                repo: https://git.example.org/acme.git
                credentials: {portainer: acme-portainer-key, git: acme-git}
              - {name: st-mary, repo: https://git.example.org/st-mary.git}
            credentials: {git: git-https, registry: registry, github: github-token}
            """;

    @TempDir
    Path dir;

    private DeployflowConfig load(String yaml) throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }

    @Test
    void customerAndComponentIdsOverTheTopLevelOnes() throws IOException {
        DeployflowConfig config = load(CONFIG);
        assertEquals(new CredentialIds("acme-git", null, "registry", "github-token", "acme-portainer-key", null),
                config.credentialsFor(config.customer("acme")));
        assertEquals(new CredentialIds("git-https", null, "registry", "github-token", null, null),
                config.credentialsFor(config.customer("st-mary")));
        assertEquals("gw-deploy", config.credentialsFor(config.component("gateway")).git());
    }

    @Test
    void releaseModeAndWaitDefaultToTheRepoPersonAndAnHour() throws IOException {
        DeployflowConfig config = load(CONFIG);
        assertEquals("pipeline", config.component("gateway").release());
        assertEquals(15, config.component("gateway").releaseWaitMinutes());
        assertEquals("repo-person", config.component("terminology").release());
        assertEquals(60, config.component("terminology").releaseWaitMinutes());
    }

    @Test
    void badValuesNameTheirLineAndField() {
        Map<String, String> cases = Map.of(
                CONFIG.replace("release: pipeline", "release: ci"),
                "deployflow.yaml:5: components[0].release: 'ci' is not valid: 'pipeline'",
                CONFIG.replace("{git: gw-deploy}", "{portainer: x}"),
                "deployflow.yaml:7: components[0].credentials.portainer: unknown key 'portainer'",
                CONFIG.replace("{git: git-https,", "{git: 'git https',"),
                "deployflow.yaml:14: credentials.git: 'git https' is not valid: a Jenkins credentials id",
                CONFIG.replace("credentials: {git: git-https", "credentials: {gti: git-https"),
                "deployflow.yaml:14: credentials.gti: unknown key 'gti'; did you mean 'git'?",
                CONFIG.replace("releaseWaitMinutes: 15", "releaseWaitMinutes: 0"),
                "deployflow.yaml:6: components[0].releaseWaitMinutes: must be between 1 and 1440");
        cases.forEach((yaml, expected) -> {
            BadInputException e = assertThrows(BadInputException.class, () -> load(yaml));
            assertTrue(e.getMessage().startsWith(dir.resolve(expected.substring(0, expected.indexOf(':'))).toString()
                    + expected.substring(expected.indexOf(':'))), e.getMessage());
        });
    }
}
