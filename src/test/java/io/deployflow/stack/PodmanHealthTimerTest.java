package io.deployflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timing and engine decisions of the podman health timer, without an engine. */
class PodmanHealthTimerTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void theFirstCheckIsDueOneIntervalAfterTheContainerIsFirstSeen() {
        long seen = 1_000 * SECOND;
        PodmanHealthTimer.Schedule schedule = PodmanHealthTimer.Schedule.firstSeen(seen, Duration.ofSeconds(5));

        assertFalse(schedule.isDue(seen), "not at once, as Docker");
        assertFalse(schedule.isDue(seen + 5 * SECOND - 1));
        assertTrue(schedule.isDue(seen + 5 * SECOND));
        assertTrue(schedule.isDue(seen + 60 * SECOND), "an overdue check is still due");
        assertEquals(0, schedule.runs());
    }

    @Test
    void laterChecksAreDueOneIntervalAfterThePreviousOneEnded() {
        long seen = 50 * SECOND;
        PodmanHealthTimer.Schedule schedule = PodmanHealthTimer.Schedule.firstSeen(seen, Duration.ofSeconds(2))
                .ran(seen + 3 * SECOND); // the poll came late and the check took a while

        assertEquals(seen + 5 * SECOND, schedule.nextDue());
        assertFalse(schedule.isDue(seen + 4 * SECOND), "not caught up from the first-seen time");
        assertTrue(schedule.isDue(seen + 5 * SECOND));
        assertEquals(2, schedule.ran(seen + 5 * SECOND).runs());
        assertEquals(seen + 7 * SECOND, schedule.ran(seen + 5 * SECOND).nextDue());
    }

    @Test
    void dueTimesSurviveNanoTimeWrappingPastZero() {
        long seen = Long.MAX_VALUE - SECOND;
        PodmanHealthTimer.Schedule schedule = PodmanHealthTimer.Schedule.firstSeen(seen, Duration.ofSeconds(2));

        assertFalse(schedule.isDue(seen + SECOND));
        assertTrue(schedule.isDue(seen + 2 * SECOND), "nanoTime values are compared by difference");
    }

    @Test
    void theIntervalComesFromTheHealthcheckAndDefaultsTo30Seconds() throws Exception {
        assertEquals(Duration.ofMillis(1500), PodmanHealthTimer.interval(json(
                "{\"Config\":{\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":1500000000}}}")));
        assertEquals(Duration.ofSeconds(30), PodmanHealthTimer.interval(json(
                "{\"Config\":{\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],\"Interval\":0}}}")));
        assertEquals(Duration.ofSeconds(30), PodmanHealthTimer.interval(json(
                "{\"Config\":{\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]}}}")));
    }

    @Test
    void onlyPodmanIsRecognisedAndOnlyWithoutSystemdDoesItNeedTheTimer() throws Exception {
        assertTrue(PodmanHealthTimer.isPodman(json("{\"Components\":[{\"Name\":\"Podman Engine\","
                + "\"Version\":\"4.3.1\"},{\"Name\":\"Conmon\"}]}")));
        assertFalse(PodmanHealthTimer.isPodman(json("{\"Components\":[{\"Name\":\"Engine\",\"Version\":\"27.3.1\"},"
                + "{\"Name\":\"containerd\"},{\"Name\":\"runc\"}],\"Version\":\"27.3.1\"}")));
        assertFalse(PodmanHealthTimer.isPodman(json("{\"Version\":\"1.13.1\"}")), "an old engine without components");

        assertTrue(PodmanHealthTimer.timersRun("systemd"));
        assertFalse(PodmanHealthTimer.timersRun("cgroupfs"));
        assertFalse(PodmanHealthTimer.timersRun(""), "unknown: better a check too many than a wait that never ends");
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }
}
