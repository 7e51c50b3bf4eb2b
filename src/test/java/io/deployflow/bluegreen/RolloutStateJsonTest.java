package io.deployflow.bluegreen;

import io.deployflow.core.OutsideSystemException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RolloutStateJsonTest {
    @Test
    void stateSurvivesTheRoundTripThroughText() {
        Rollout rollout = new Rollout("r-1", "1.3.0", Colour.BLUE, Colour.GREEN, Map.of("web", "acme/web:1.3.0"),
                Map.of("web", "acme/web:1.2.0"), 2, List.of(10, 50, 100), RolloutPhase.SHIFTING, 10, 50,
                new AnalysisRecord("step", 10, true, "3/3 passed", "2026-01-01T00:00:00Z", List.of("ok")),
                null, "2026-01-01T00:00:00Z", "dev1", "http://jenkins/job/1/", null, null);
        RolloutState state = RolloutState.initial("portal", Colour.BLUE)
                .withSpec(Colour.GREEN, new ColourSpec(Map.of("web", "acme/web:1.3.0"), 2))
                .withRollout(rollout)
                .record(new HistoryEntry("2026-01-01T00:00:00Z", "r-1", "deploy", "dev1", "", "ok", "green ready"));

        String text = RolloutStateJson.write(state);
        RolloutState back = RolloutStateJson.readState(text, "test");

        assertEquals(state, back);
        assertTrue(text.contains("\"phase\":\"shifting\""), text);
        assertTrue(text.contains("\"active\":\"blue\""), text);
    }

    @Test
    void historyKeepsOnlyTheNewestEntries() {
        RolloutState state = RolloutState.initial("portal", Colour.BLUE);
        for (int i = 0; i < RolloutState.HISTORY_LIMIT + 5; i++) {
            state = state.record(new HistoryEntry("t" + i, "r", "shift", "u", "", "ok", ""));
        }
        assertEquals(RolloutState.HISTORY_LIMIT, state.history().size());
        assertEquals("t5", state.history().get(0).at());
    }

    @Test
    void unreadableStateNamesWhereItIsStored() {
        OutsideSystemException e = assertThrows(OutsideSystemException.class,
                () -> RolloutStateJson.readState("{\"schema\": [", "/etc/haproxy/portal.rollout.json"));
        assertTrue(e.getMessage().startsWith("/etc/haproxy/portal.rollout.json"), e.getMessage());
    }
}
