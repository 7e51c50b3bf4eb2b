package io.deployflow.promotion;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Freeze windows and deployment hours are local times in the environment's zone: the agent's clock (UTC here) and
 * daylight-saving changes must not move them.
 */
class WindowsAcrossTimeZonesTest {
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static FreezeWindow freeze(String from, String until, ZoneId zone) {
        return new FreezeWindow(LocalDateTime.parse(from), LocalDateTime.parse(until), zone, "", "freeze[0]", 1);
    }

    static Environment environment(ZoneId zone, List<DeploymentHours> hours, List<FreezeWindow> freezes) {
        return new Environment("Production", zone, new Requirements(false, List.of(), false, false, false), hours,
                freezes, null, null, null, true, "promotion.environments[0]", 1);
    }

    @Test
    void aFreezeInNewYorkIsJudgedInNewYorkWhateverTheAgentsClock() {
        // 2026-07-04 00:00 to 2026-07-05 00:00 in New York (EDT, UTC-4) is 04:00Z to 04:00Z the next day
        FreezeWindow independenceDay = freeze("2026-07-04T00:00", "2026-07-05T00:00", NEW_YORK);
        assertFalse(independenceDay.covers(Instant.parse("2026-07-04T03:59:00Z")), "still July 3rd in New York");
        assertTrue(independenceDay.covers(Instant.parse("2026-07-04T04:00:00Z")));
        assertTrue(independenceDay.covers(Instant.parse("2026-07-05T03:59:00Z")), "July 5th in UTC, 4th in NY");
        assertFalse(independenceDay.covers(Instant.parse("2026-07-05T04:00:00Z")));
    }

    @Test
    void aFreezeAcrossTheSpringDaylightSavingChangeIsAsLongAsTheWallClockSays() {
        // London springs forward on 2026-03-29 at 01:00 GMT: 00:00 to 03:00 on the wall is two real hours
        FreezeWindow night = freeze("2026-03-29T00:00", "2026-03-29T03:00", LONDON);
        assertEquals(Instant.parse("2026-03-29T00:00:00Z"), night.start());
        assertEquals(Instant.parse("2026-03-29T02:00:00Z"), night.end(), "03:00 BST");
        assertEquals(Duration.ofHours(2), Duration.between(night.start(), night.end()));
        assertTrue(night.covers(Instant.parse("2026-03-29T01:59:00Z")), "02:59 BST");
        assertFalse(night.covers(Instant.parse("2026-03-29T02:00:00Z")), "03:00 BST: over");
        // a window starting in the skipped hour starts when the clocks have jumped: 01:30 is 02:30 BST
        FreezeWindow skipped = freeze("2026-03-29T01:30", "2026-03-29T04:00", LONDON);
        assertEquals(Instant.parse("2026-03-29T01:30:00Z"), skipped.start());
    }

    @Test
    void aFreezeAcrossTheAutumnChangeCoversTheRepeatedHourBothTimes() {
        // London falls back on 2026-10-25 at 02:00 BST: 01:00–02:00 happens twice. A window until 01:30 ends at
        // the second 01:30 (GMT), so the repeated hour is frozen both times round.
        FreezeWindow night = freeze("2026-10-25T00:00", "2026-10-25T01:30", LONDON);
        assertEquals(Instant.parse("2026-10-24T23:00:00Z"), night.start(), "00:00 BST");
        assertEquals(Instant.parse("2026-10-25T01:30:00Z"), night.end(), "01:30 GMT, the second time");
        assertTrue(night.covers(Instant.parse("2026-10-25T00:45:00Z")), "01:45 BST, first time round");
        assertTrue(night.covers(Instant.parse("2026-10-25T01:15:00Z")), "01:15 GMT, second time round");
        assertEquals(Duration.ofMinutes(150), Duration.between(night.start(), night.end()));
    }

    @Test
    void deploymentHoursFollowTheLocalClockAcrossTheDaylightSavingChange() {
        Environment production = environment(LONDON, List.of(new DeploymentHours(
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0))),
                List.of());
        // Friday before the change (GMT): 09:00 local is 09:00Z
        assertFalse(production.withinHours(Instant.parse("2026-03-27T08:30:00Z")));
        assertTrue(production.withinHours(Instant.parse("2026-03-27T09:00:00Z")));
        // Monday after (BST): 09:00 local is 08:00Z; a UTC reading would refuse 08:30Z and allow 16:30Z
        assertTrue(production.withinHours(Instant.parse("2026-03-30T08:30:00Z")));
        assertFalse(production.withinHours(Instant.parse("2026-03-30T16:30:00Z")), "17:30 BST");
        // the weekend in between is closed; the next opening is Monday 09:00 BST
        assertEquals(Instant.parse("2026-03-30T08:00:00Z"),
                production.nextOpening(Instant.parse("2026-03-28T12:00:00Z")).toInstant());
    }

    @Test
    void hoursOverMidnightBelongToTheDayTheyOpenOn() {
        // Thursday night 22:00 to Friday 02:00 in New York
        Environment production = environment(NEW_YORK, List.of(new DeploymentHours(EnumSet.of(DayOfWeek.THURSDAY),
                LocalTime.of(22, 0), LocalTime.of(2, 0))), List.of());
        assertTrue(production.withinHours(Instant.parse("2026-11-20T03:00:00Z")), "Thu 22:00 EST");
        assertTrue(production.withinHours(Instant.parse("2026-11-20T06:59:00Z")), "Fri 01:59 EST");
        assertFalse(production.withinHours(Instant.parse("2026-11-20T07:00:00Z")), "Fri 02:00 EST");
        assertFalse(production.withinHours(Instant.parse("2026-11-21T03:30:00Z")), "Fri 22:30: Friday never opens");
        assertFalse(production.withinHours(Instant.parse("2026-11-19T06:00:00Z")), "Thu 01:00: after Wednesday");
    }

    @Test
    void theSameInstantIsFrozenInOneEnvironmentAndNotInAnother() {
        Instant at = Instant.parse("2026-12-24T22:00:00Z");
        Environment london = environment(LONDON, List.of(), List.of(freeze("2026-12-24T18:00", "2026-12-24T23:00",
                LONDON)));
        Environment newYork = environment(NEW_YORK, List.of(), List.of(freeze("2026-12-24T18:00",
                "2026-12-24T23:00", NEW_YORK)));
        assertTrue(london.freezeAt(at).isPresent(), "22:00 in London");
        assertTrue(newYork.freezeAt(at).isEmpty(), "17:00 in New York");
        assertTrue(newYork.freezeAt(Instant.parse("2026-12-25T03:59:00Z")).isPresent(), "22:59 in New York");
    }
}
