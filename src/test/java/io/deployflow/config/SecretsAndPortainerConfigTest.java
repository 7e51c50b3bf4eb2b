package io.deployflow.config;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code secrets} declarations and the Portainer stack name, as read from deployflow.yaml. */
class SecretsAndPortainerConfigTest {
    private static final String TEAM = "team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]\n";

    @TempDir
    Path dir;

    private DeployflowConfig load(String yaml) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("deployflow.yaml"), TEAM + yaml));
    }

    private BadInputException refused(String yaml) {
        return assertThrows(BadInputException.class, () -> load(yaml));
    }

    @Test
    void withoutADeclarationTheDefaultsApply() throws IOException {
        Customer acme = load("customers: [{name: acme, repo: r}]\n").customer("acme");

        assertTrue(acme.secrets().isSecret("DB_PASSWORD"));
        assertFalse(acme.secrets().isSecret("KEYCLOAK_URL"));
    }

    @Test
    void theTeamAddsToTheDefaultsAndACustomerAddsToTheTeam() throws IOException {
        DeployflowConfig config = load("""
                secrets: {names: [DATABASE_URL], suffixes: [_DSN]}
                customers:
                  - {name: acme, repo: r, secrets: {names: [KEYCLOAK_URL]}}
                  - {name: st-mary, repo: r}
                """);

        assertTrue(config.customer("acme").secrets().isSecret("KEYCLOAK_URL"));
        assertTrue(config.customer("acme").secrets().isSecret("SENTRY_DSN"));
        assertTrue(config.customer("acme").secrets().isSecret("DB_PASSWORD"));
        assertFalse(config.customer("st-mary").secrets().isSecret("KEYCLOAK_URL"), "acme's own");
        assertTrue(config.customer("st-mary").secrets().isSecret("DATABASE_URL"));
    }

    @Test
    void theDefaultsCanBeSwitchedOff() throws IOException {
        DeployflowConfig config = load("""
                secrets: {defaults: false, names: [ONLY_THIS]}
                customers: [{name: acme, repo: r}]
                """);

        assertFalse(config.customer("acme").secrets().isSecret("DB_PASSWORD"));
        assertTrue(config.customer("acme").secrets().isSecret("ONLY_THIS"));
    }

    @Test
    void aBadNameInADeclarationNamesItsLine() {
        BadInputException e = refused("""
                customers:
                  - name: acme
                    repo: r
                    secrets:
                      names: [GOOD_NAME, "not a name"]
                """);

        assertEquals(6, e.line());
        assertTrue(e.getMessage().contains("'not a name' is not valid: a variable name"), e.getMessage());
    }

    @Test
    void aCustomerCannotSwitchOffTheTeamsDeclaration() {
        BadInputException e = refused("""
                customers:
                  - name: acme
                    repo: r
                    secrets: {defaults: false}
                """);

        assertTrue(e.getMessage().contains("customers[0].secrets.defaults: unknown key 'defaults'"), e.getMessage());
    }

    @Test
    void aStackNamePortainerWouldChangeIsRefusedWithTheNameItKeeps() {
        BadInputException e = refused("""
                customers:
                  - name: acme
                    repo: r
                    portainer:
                      url: https://portainer.example.org
                      endpoint: prod
                      stack: Acme.Prod
                """);

        assertEquals(8, e.line());
        assertEquals("customers[0].portainer.stack", e.field());
        assertTrue(e.getMessage().contains("so it stores this stack as 'acmeprod'. Write stack: acmeprod"),
                e.getMessage());
    }

    @Test
    void aStackNameOfOnlyDroppedCharactersIsRefused() {
        BadInputException e = refused("""
                customers:
                  - {name: acme, repo: r, portainer: {url: 'https://p', endpoint: e, stack: '...'}}
                """);

        assertTrue(e.getMessage().contains("which leaves nothing"), e.getMessage());
    }

    @Test
    void everyPortainerValueKeepsItsLine() throws IOException {
        PortainerTarget target = load("""
                customers:
                  - name: acme
                    repo: r
                    portainer:
                      url: https://portainer.example.org
                      endpoint: prod
                      stack: acme-prod
                      env:
                        LOG_LEVEL: info
                """).customer("acme").portainer();

        assertEquals(7, target.at("endpoint").line());
        assertEquals(8, target.at("stack").line());
        assertEquals(10, target.at("env.LOG_LEVEL").line());
        assertEquals(6, target.at("apiKeyEnv").line(), "not written: where the section starts");
        assertEquals("customers[0].portainer.apiKeyEnv", target.at("apiKeyEnv").field());
    }
}
