package io.deployflow.portainer;

import io.deployflow.core.SecretNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvPlanTest {
    @Test
    void thePlanKeepsEveryExistingVariableAndRecordsWhatItChanges() {
        EnvPlan plan = EnvPlan.of(List.of(new EnvVar("A", "1"), new EnvVar("API_TOKEN", "t0k"),
                new EnvVar("B", "2")), Map.of("B", "3", "API_TOKEN", "t0k"), Map.of("C", "4"), SecretNames.DEFAULTS);

        assertEquals(List.of(new EnvVar("A", "1"), new EnvVar("API_TOKEN", "t0k"), new EnvVar("B", "3"),
                new EnvVar("C", "4")), plan.merged());
        assertEquals(List.of(), plan.secretOverwrites(), "the same value is no overwrite");
        Map<String, String> previous = new java.util.HashMap<>();
        previous.put("B", "2");
        previous.put("C", null);
        assertEquals(previous, plan.previousOfChanged());
    }

    @Test
    void aDeclaredSecretTheFileWouldChangeIsReportedAndAConfiguredOneIsNot() {
        EnvPlan plan = EnvPlan.of(List.of(new EnvVar("API_TOKEN", "t0k"), new EnvVar("SMTP_PASS", "p"),
                        new EnvVar("SORT_KEY", "name")), Map.of("API_TOKEN", "example", "SMTP_PASS", "x",
                        "SORT_KEY", "date"), Map.of("SMTP_PASS", "from-config"), SecretNames.DEFAULTS);

        assertEquals(List.of("API_TOKEN"), plan.secretOverwrites());
        assertEquals(new EnvVar("SORT_KEY", "date"), plan.merged().get(2), "not declared: replaced");
        assertEquals(new EnvVar("SMTP_PASS", "from-config"), plan.merged().get(1), "configured: set as configured");
    }
}
