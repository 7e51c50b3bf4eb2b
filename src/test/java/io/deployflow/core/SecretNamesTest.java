package io.deployflow.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretNamesTest {
    @Test
    void unionOfBothRulesCaseInsensitive() {
        for (String n : new String[] {"DB_PASSWORD", "passwd", "app_secret", "GH_TOKEN", "apikey", "API_KEY",
                "SSH_PRIVATE", "aws_credential", "SMTP_PASS", "license_key"}) {
            assertTrue(SecretNames.looksSecret(n), n);
        }
        for (String n : new String[] {"APP_VERSION", "PORT", "HOST", "image_tag"}) {
            assertFalse(SecretNames.looksSecret(n), n);
        }
    }
}
