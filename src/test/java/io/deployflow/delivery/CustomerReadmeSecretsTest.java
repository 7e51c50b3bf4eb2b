package io.deployflow.delivery;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The customer README hides the example values of the customer's declared secrets, and only of those. */
class CustomerReadmeSecretsTest {
    @TempDir
    Path dir;

    @Test
    void declaredSecretsAreHiddenAndNearMissesAreShown() throws IOException {
        DeployflowConfig config = ConfigLoader.load(Files.writeString(dir.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
                customers:
                  - {name: acme, repo: r, secrets: {names: [KEYCLOAK_URL]}}
                  - {name: st-mary, repo: r}
                """));
        ComposeSummary compose = ComposeSummary.parse("docker-compose.yml", """
                services:
                  app:
                    image: registry.example.org/fhir/app:1.0.0
                    environment:
                      KEYCLOAK_URL: ${KEYCLOAK_URL}
                      SORT_KEY: ${SORT_KEY}
                      DB_PASSWORD: ${DB_PASSWORD}
                """, Map.of("KEYCLOAK_URL", "https://idp.example", "SORT_KEY", "date", "DB_PASSWORD", "pw-example"));
        DeliveryPlan plan = new DeliveryPlan(LocalDate.of(2026, 11, 23), null, List.of());

        String acme = new CustomerReadme(config, plan, config.customer("acme").secrets())
                .update("README.md", "", compose, "docker-compose.yml", ".env");
        String stMary = new CustomerReadme(config, plan, config.customer("st-mary").secrets())
                .update("README.md", "", compose, "docker-compose.yml", ".env");

        assertTrue(acme.contains("| `KEYCLOAK_URL` | (secret: set your own) |"), acme);
        assertTrue(acme.contains("| `SORT_KEY` | `date` |"), acme);
        assertFalse(acme.contains("pw-example"), acme);
        assertTrue(stMary.contains("| `KEYCLOAK_URL` | `https://idp.example` |"), "not declared for st-mary: "
                + stMary);
        assertFalse(stMary.contains("pw-example"), stMary);
    }
}
