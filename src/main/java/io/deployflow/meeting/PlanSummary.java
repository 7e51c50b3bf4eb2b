package io.deployflow.meeting;

import io.deployflow.meeting.MeetingPlan.ComponentPlan;
import io.deployflow.meeting.MeetingPlan.CustomerPlan;

/** The plan as the team reads it in the meeting: who releases what, and who takes which customer. */
public final class PlanSummary {
    private PlanSummary() {
    }

    public static String text(MeetingPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Release meeting ").append(plan.meetingDate()).append(" (rotation meeting #")
                .append(plan.rotation().meetingIndex()).append(")\n\nComponents:\n");
        int width = plan.components().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (ComponentPlan c : plan.components()) {
            out.append("  ").append(pad(c.name(), width)).append("  ");
            if (c.hasChanges() && !c.releaseNeeded()) {
                out.append("no release needed (").append(ReleaseMeeting.changeCount(c)).append(": ")
                        .append(ReleaseMeeting.changeTypes(c)).append(")")
                        .append(c.lastRelease() == null ? "" : ", stays " + c.lastRelease());
            } else if (c.hasChanges()) {
                out.append(c.lastRelease() == null ? "(new)" : c.lastRelease()).append(" -> ")
                        .append(c.nextVersion()).append(" (").append(c.bump()).append(", ")
                        .append(c.changes().size()).append(" changes)  repo-person: ")
                        .append(c.repoPerson().label());
            } else {
                out.append("no changes").append(c.lastRelease() == null ? "" : ", stays " + c.lastRelease());
            }
            out.append('\n');
        }
        out.append("\nCustomers:\n");
        int customerWidth = plan.customers().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (CustomerPlan c : plan.customers()) {
            out.append("  ").append(pad(c.name(), customerWidth)).append("  dc-person: ").append(c.dcPerson().id())
                    .append(" (").append(c.dcPerson().name()).append(", ").append(c.rule()).append(")\n");
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
