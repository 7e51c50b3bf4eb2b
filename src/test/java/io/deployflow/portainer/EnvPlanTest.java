package io.deployflow.portainer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvPlanTest {
    @Test
    void thePlanKeepsEveryExistingVariableAndRecordsWhatItChanges() {
        EnvPlan plan = EnvPlan.of(List.of(new EnvVar("A", "1"), new EnvVar("API_TOKEN", "t0k"),
                new EnvVar("B", "2")), Map.of("B", "3", "API_TOKEN", "example"), Map.of("C", "4"));

        assertEquals(List.of(new EnvVar("A", "1"), new EnvVar("API_TOKEN", "t0k"), new EnvVar("B", "3"),
                new EnvVar("C", "4")), plan.merged());
        assertEquals(List.of("API_TOKEN"), plan.keptSecrets());
        Map<String, String> previous = new java.util.HashMap<>();
        previous.put("B", "2");
        previous.put("C", null);
        assertEquals(previous, plan.previousOfChanged());
    }
}
