package io.deployflow.promotion;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A period in which nothing is deployed to an environment (a change freeze over the holidays, a trust's go-live
 * weekend), written as local times in a time zone. Local times are what people agree on; the instants they stand
 * for are computed here with the zone's rules, so a window across a daylight-saving change is exactly as long as
 * the clock on the wall says.
 *
 * @param from   the first moment of the freeze (local time)
 * @param until  the moment the freeze ends (local time; not included)
 * @param field  the dotted path of the window in deployflow.yaml, for messages
 * @param line   its line in deployflow.yaml
 */
public record FreezeWindow(LocalDateTime from, LocalDateTime until, ZoneId zone, String reason, String field,
                           int line) {

    /**
     * The instant the freeze starts. A local time the clocks skip (spring forward) is moved on by the gap, as the
     * wall clock does; a local time that happens twice (fall back) starts at its first occurrence.
     */
    public Instant start() {
        return ZonedDateTime.of(from, zone).withEarlierOffsetAtOverlap().toInstant();
    }

    /** The instant the freeze ends; a local time that happens twice ends at its second occurrence, the later one. */
    public Instant end() {
        return ZonedDateTime.of(until, zone).withLaterOffsetAtOverlap().toInstant();
    }

    public boolean covers(Instant at) {
        return !at.isBefore(start()) && at.isBefore(end());
    }

    public boolean overlaps(FreezeWindow other) {
        return start().isBefore(other.end()) && other.start().isBefore(end());
    }

    /** "2026-12-18 17:00 – 2027-01-04 08:00 Europe/London (Christmas change freeze)". */
    public String describe() {
        return Times.local(from) + " – " + Times.local(until) + " " + zone.getId()
                + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
    }
}
