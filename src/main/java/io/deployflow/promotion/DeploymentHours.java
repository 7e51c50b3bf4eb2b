package io.deployflow.promotion;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * A weekly window in which deployments to an environment are allowed, in the environment's local time: the
 * release process asks for releases "at a time that will keep user impact to a minimum", which is a time of day
 * where the users are, not on the build agent's clock. {@code until} before {@code from} runs over midnight into the
 * next day (19:00–01:00 on a Thursday ends on Friday at 01:00).
 *
 * @param days the days the window opens on
 */
public record DeploymentHours(Set<DayOfWeek> days, LocalTime from, LocalTime until) {

    public DeploymentHours {
        days = Set.copyOf(days);
    }

    public boolean overMidnight() {
        return !until.isAfter(from);
    }

    /** Whether a deployment at this local date-time falls in the window. */
    public boolean covers(LocalDateTime at) {
        LocalTime time = at.toLocalTime();
        DayOfWeek day = at.getDayOfWeek();
        if (!overMidnight()) {
            return days.contains(day) && !time.isBefore(from) && time.isBefore(until);
        }
        return days.contains(day) && !time.isBefore(from)
                || days.contains(day.minus(1)) && time.isBefore(until);
    }

    /**
     * The next instant, after {@code after}, at which this window opens, in {@code zone}; null if none in the next
     * two weeks (no days at all).
     */
    public ZonedDateTime nextOpening(ZonedDateTime after, ZoneId zone) {
        LocalDate day = after.withZoneSameInstant(zone).toLocalDate();
        for (int i = 0; i <= 14; i++) {
            LocalDate candidate = day.plusDays(i);
            if (days.contains(candidate.getDayOfWeek())) {
                ZonedDateTime opens = ZonedDateTime.of(candidate, from, zone);
                if (opens.isAfter(after)) {
                    return opens;
                }
            }
        }
        return null;
    }

    /** "Mon–Thu 19:00–23:00". */
    public String describe() {
        return Times.days(days) + " " + from + "–" + until + (overMidnight() ? " (next day)" : "");
    }

    static String describeAll(List<DeploymentHours> hours) {
        return String.join(", ", hours.stream().map(DeploymentHours::describe).toList());
    }
}
