package io.deployflow.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretNamesTest {
    @Test
    void theDefaultsMatchExactNamesAndEndingsWhateverTheCase() {
        for (String n : new String[] {"DB_PASSWORD", "password", "app_secret", "GH_TOKEN", "API_KEY", "STRIPE_API_KEY",
                "SMTP_PASS", "AWS_SECRET_ACCESS_KEY", "SSH_PRIVATE_KEY", "REGISTRY_CREDENTIALS", "db_passwd"}) {
            assertTrue(SecretNames.DEFAULTS.isSecret(n), n);
        }
    }

    /** Names a guess by parts of the name took for secrets: none of them is declared by default. */
    @Test
    void nearMissesAreNotSecretsByDefault() {
        for (String n : new String[] {"KEYCLOAK_URL", "PASSIVE_MODE", "SORT_KEY", "MONKEY_LEVEL", "TOKEN_TTL",
                "PASSWORD_POLICY", "SECRETARY_EMAIL", "BYPASS", "APP_VERSION", "LICENSE_KEY", "KEY"}) {
            assertFalse(SecretNames.DEFAULTS.isSecret(n), n);
        }
    }

    @Test
    void aDeclarationAddsNamesAndEndings() {
        SecretNames team = SecretNames.DEFAULTS.plus(new SecretNames(Set.of("DATABASE_URL"), List.of("_DSN")));

        assertTrue(team.isSecret("database_url"));
        assertTrue(team.isSecret("SENTRY_DSN"));
        assertTrue(team.isSecret("DB_PASSWORD"), "the defaults stay");
        assertFalse(SecretNames.NONE.isSecret("DB_PASSWORD"), "an empty declaration declares nothing");
    }
}
