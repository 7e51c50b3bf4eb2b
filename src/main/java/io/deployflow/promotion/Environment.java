package io.deployflow.promotion;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One environment of the release process (Dev, SIT, UAT, Pre-Prod, Production): what a version needs before it
 * may go there, when deployments are allowed, and what the deploy block and the smoke tests need to reach it.
 *
 * @param zone       the time zone of its deployment hours and freeze windows
 * @param target     free text handed to the deploy block: the name of a blue/green target, a customer, a stack
 * @param routes     the smoke routes file run after each deployment here (relative to the workspace), or null
 * @param baseUrl    where the smoke routes are sent, or null for the routes file's own baseUrl
 * @param production whether this is production (for DORA metrics and the hotfix lane); by default the last one
 * @param field      its dotted path in deployflow.yaml, for messages
 * @param line       its line in deployflow.yaml
 */
public record Environment(String name, ZoneId zone, Requirements requires, List<DeploymentHours> hours,
                          List<FreezeWindow> freezes, String target, String routes, String baseUrl,
                          boolean production, String field, int line) {

    public Environment {
        hours = List.copyOf(hours);
        freezes = List.copyOf(freezes);
    }

    /** The freeze window covering this instant, if any. */
    public Optional<FreezeWindow> freezeAt(Instant at) {
        return freezes.stream().filter(f -> f.covers(at)).findFirst();
    }

    /** The next freeze window that has not ended yet, if any. */
    public Optional<FreezeWindow> nextFreeze(Instant after) {
        return freezes.stream().filter(f -> f.end().isAfter(after))
                .min(Comparator.comparing(FreezeWindow::start));
    }

    /** Whether deployments are allowed at this instant by the hours (always, when no hours are set). */
    public boolean withinHours(Instant at) {
        return hours.isEmpty() || hours.stream().anyMatch(h -> h.covers(at.atZone(zone).toLocalDateTime()));
    }

    /** When the hours next allow a deployment after {@code at}, or null when they never do. */
    public ZonedDateTime nextOpening(Instant at) {
        ZonedDateTime now = at.atZone(zone);
        return hours.stream().map(h -> h.nextOpening(now, zone)).filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
    }
}
