package io.deployflow.meeting;

import io.deployflow.meeting.MeetingPlan.Change;
import io.deployflow.meeting.MeetingPlan.ComponentPlan;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the last scan of a component concluded, kept beside its {@link ScanMemory} entry: the component's plan, the
 * remote state it was read from (develop tip, release tag and the tag's id), every setting the plan was derived
 * with ({@code inputs}: component fields, ticket pattern, release rules) and the deployflow version that derived it.
 * When the remote, the settings and the version are as they were, the meeting takes the plan as it is, without
 * reading the remembered commits again or parsing their messages: for a meeting where most repositories did not move,
 * that is most of its work. The repo-person is kept
 * as the merger's name and email and looked up in the team again each time, so a team change never needs a rescan.
 * <p>
 * Sealed and checked like the scan memory; an entry that does not read back whole, or was made from other inputs,
 * is not used, and the plan is derived from the remembered commits instead.
 */
final class PlanMemory {
    private static final String MAGIC = "deployflow-plan";
    private static final int FORMAT = 1;
    private static final int MAX_TICKETS = 10_000;
    /** The deployflow version that derived the plan: another version may derive it differently, so it derives again. */
    private static final String MADE_BY = String.valueOf(PlanMemory.class.getPackage().getImplementationVersion());

    /** A remembered plan; its {@code repoPerson} is null, {@code merger*} say who to look up when a release is needed. */
    record Remembered(String developTip, String releaseTag, String releaseRefId, ComponentPlan plan,
                      String mergerName, String mergerEmail) {
    }

    private PlanMemory() {
    }

    static Path entry(Path scanEntry) {
        return scanEntry.resolveSibling(scanEntry.getFileName() + ".plan");
    }

    /** The plan remembered for exactly these inputs, or null. */
    static Remembered read(Path entry, String inputs) {
        byte[] body = ScanMemory.unsealed(entry);
        if (body == null) {
            return null;
        }
        try {
            EntryReader in = new EntryReader(body);
            if (!MAGIC.equals(in.string()) || in.readInt() != FORMAT || !MADE_BY.equals(in.string())
                    || !inputs.equals(in.string())) {
                return null;
            }
            String tip = in.sha();
            String releaseTag = in.optional();
            String releaseRefId = releaseTag == null ? null : in.sha();
            String mergerName = in.optional();
            String mergerEmail = in.optional();
            String name = in.string();
            String repo = in.string();
            String image = in.optional();
            String developBranch = in.string();
            boolean hasChanges = in.readBoolean();
            boolean releaseNeeded = in.readBoolean();
            String lastRelease = in.optional();
            String lastReleaseTag = in.optional();
            String nextVersion = in.optional();
            String releaseVersion = in.optional();
            String bump = in.optional();
            int count = in.count();
            List<Change> changes = new ArrayList<>(Math.min(count, 4096));
            for (int i = 0; i < count; i++) {
                String sha = in.sha();
                String subject = in.string();
                String author = in.string();
                String authorName = in.string();
                String type = in.optional();
                boolean breaking = in.readBoolean();
                int tickets = in.readInt();
                if (tickets < 0 || tickets > MAX_TICKETS) {
                    return null;
                }
                List<String> ticketList = new ArrayList<>(tickets);
                for (int t = 0; t < tickets; t++) {
                    ticketList.add(in.string());
                }
                changes.add(new Change(sha, subject, author, authorName, type, breaking, List.copyOf(ticketList)));
            }
            if (!in.atEnd() || releaseNeeded && mergerEmail == null) {
                return null;
            }
            ComponentPlan plan = new ComponentPlan(name, repo, image, developBranch, hasChanges, releaseNeeded,
                    lastRelease, lastReleaseTag, nextVersion, releaseVersion, bump, null, List.copyOf(changes), tip);
            return new Remembered(tip, releaseTag, releaseRefId, plan, mergerName, mergerEmail);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Replaces the entry in one step. */
    static void write(Path entry, String inputs, UnreleasedHistory history, ComponentPlan plan,
                      UnreleasedHistory.Commit merger) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + plan.changes().size() * 160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ScanMemory.string(out, MAGIC);
            out.writeInt(FORMAT);
            ScanMemory.string(out, MADE_BY);
            ScanMemory.string(out, inputs);
            ScanMemory.string(out, history.developTip());
            optional(out, history.releaseTag());
            if (history.releaseTag() != null) {
                ScanMemory.string(out, history.releaseRefId());
            }
            optional(out, merger == null ? null : merger.authorName());
            optional(out, merger == null ? null : merger.authorEmail());
            ScanMemory.string(out, plan.name());
            ScanMemory.string(out, plan.repo());
            optional(out, plan.image());
            ScanMemory.string(out, plan.developBranch());
            out.writeBoolean(plan.hasChanges());
            out.writeBoolean(plan.releaseNeeded());
            optional(out, plan.lastRelease());
            optional(out, plan.lastReleaseTag());
            optional(out, plan.nextVersion());
            optional(out, plan.releaseVersion());
            optional(out, plan.bump());
            out.writeInt(plan.changes().size());
            for (Change change : plan.changes()) {
                ScanMemory.string(out, change.sha());
                ScanMemory.string(out, change.subject());
                ScanMemory.string(out, change.author());
                ScanMemory.string(out, change.authorName());
                optional(out, change.type());
                out.writeBoolean(change.breaking());
                out.writeInt(change.tickets().size());
                for (String ticket : change.tickets()) {
                    ScanMemory.string(out, ticket);
                }
            }
        }
        ScanMemory.sealed(entry, bytes.toByteArray());
    }

    private static void optional(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            ScanMemory.string(out, value);
        }
    }
}
