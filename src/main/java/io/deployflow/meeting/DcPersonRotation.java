package io.deployflow.meeting;

import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.MeetingRules;
import io.deployflow.config.TeamMember;
import io.deployflow.core.BadInputException;
import io.deployflow.meeting.MeetingPlan.CustomerPlan;
import io.deployflow.meeting.MeetingPlan.Person;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is the dc-person of each customer at a meeting (S0 "Meeting": one per customer). The rule is a pure function
 * of the config and the meeting date, so there is no state to keep, lose or argue about, and anyone can recompute
 * it:
 * <ol>
 * <li>{@code meetingIndex = floor(days(meeting.rotationStart → meetingDate) / meeting.cadenceDays)}: the number of
 * meetings since the rotation started (negative before it).</li>
 * <li>{@code available} = the team in config order, without people whose {@code meeting.away} period covers the
 * meeting date.</li>
 * <li>A customer pinned in {@code meeting.pins} gets its pinned person (rule {@code pin}). If that person is away,
 * the customer joins the rotation instead (rule {@code rotation (pin away)}): a customer is never left without
 * someone.</li>
 * <li>The other customers, in config order, numbered {@code i = 0, 1, ...}: customer {@code i} gets
 * {@code available[(meetingIndex + i) mod available.size]} (rule {@code rotation}).</li>
 * </ol>
 * Fair over consecutive meetings: each meeting shifts everyone by one place, so with a stable team every available
 * person takes every rotating customer once in {@code available.size} meetings, and within one meeting customers go
 * to different people as long as there are enough people.
 */
public final class DcPersonRotation {
    private final DeployflowConfig config;

    public DcPersonRotation(DeployflowConfig config) {
        this.config = config;
    }

    public long meetingIndex(LocalDate meetingDate) {
        MeetingRules rules = config.meeting();
        return Math.floorDiv(ChronoUnit.DAYS.between(rules.rotationStart(), meetingDate), rules.cadenceDays());
    }

    /** The team members not away on the meeting date, in config order. */
    public List<TeamMember> available(LocalDate meetingDate) {
        return config.team().stream().filter(m -> config.meeting().away().stream()
                .noneMatch(a -> a.id().equals(m.id()) && a.covers(meetingDate))).toList();
    }

    public List<CustomerPlan> assign(LocalDate meetingDate) {
        List<TeamMember> available = available(meetingDate);
        if (available.isEmpty() && !config.customers().isEmpty()) {
            throw new BadInputException(config.file().toString(), 0, "meeting.away",
                    "everyone on the team is away on " + meetingDate + ": no dc-person can be chosen");
        }
        long index = meetingIndex(meetingDate);
        List<CustomerPlan> out = new ArrayList<>();
        int rotating = 0;
        for (Customer customer : config.customers()) {
            String pinned = config.meeting().pins().get(customer.name());
            TeamMember pin = pinned == null ? null
                    : available.stream().filter(m -> m.id().equals(pinned)).findFirst().orElse(null);
            if (pin != null) {
                out.add(new CustomerPlan(customer.name(), Person.of(pin), "pin"));
                continue;
            }
            TeamMember member = available.get((int) Math.floorMod(index + rotating, (long) available.size()));
            rotating++;
            out.add(new CustomerPlan(customer.name(), Person.of(member),
                    pinned == null ? "rotation" : "rotation (pin away)"));
        }
        return out;
    }
}
