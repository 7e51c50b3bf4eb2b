package io.deployflow.approval;

import java.util.List;

/**
 * The result of {@code approval check} and {@code approval status}: where the gate stands after the answer, and
 * what became of the answer itself.
 *
 * @param status  pending, approved, rejected, timed-out or aborted
 * @param answer  the answer just given and whether it counted (null for a status query)
 * @param entry   the ledger entry that recorded the answer (null for a status query)
 * @param notice  what to tell people now that the gate has ended (null while pending)
 */
public record GateStatus(String task, String gate, String build, String title, String status, int quorum,
                         int approvals, List<String> approvedBy, String decidedBy, String reason, String summary,
                         Verdict answer, Long entry, Notice notice) {

    /** @param refused why the answer did not count; null when it counted */
    public record Verdict(String event, String by, boolean counted, String refused) {
    }

    /** A message for the configured channels: a subject, a text, the link to open, and who to mail. */
    public record Notice(String subject, String text, String link, List<String> mailTo) {
    }

    public boolean approved() {
        return GateState.APPROVED.equals(status);
    }
}
