package io.deployflow.approval;

import io.deployflow.config.ApprovalTask;
import io.deployflow.ledger.LedgerEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a gate stands, replayed from its ledger entries: the answers that counted, in order. Any counted
 * rejection ends the gate; so do a timeout and an abort; quorum distinct approvals approve it.
 */
final class GateState {
    static final String PENDING = "pending";
    static final String APPROVED = "approved";
    static final String REJECTED = "rejected";
    static final String TIMED_OUT = "timed-out";
    static final String ABORTED = "aborted";

    private final ApprovalTask task;
    final List<String> approvedBy = new ArrayList<>();
    String status = PENDING;
    String decidedBy = "";
    String reason = "";

    private GateState(ApprovalTask task) {
        this.task = task;
    }

    static GateState replay(GateKey key, ApprovalTask task, List<LedgerEntry> entries) {
        GateState state = new GateState(task);
        for (LedgerEntry entry : entries) {
            if (key.matches(entry) && Boolean.TRUE.equals(entry.data().get("counted"))) {
                state.count(entry.text("event"), entry.text("by"), entry.text("reason"));
            }
        }
        return state;
    }

    boolean isFinal() {
        return !PENDING.equals(status);
    }

    void count(String event, String by, String why) {
        switch (event) {
            case "approve" -> {
                approvedBy.add(by);
                if (approvedBy.size() >= task.quorum()) {
                    status = APPROVED;
                }
            }
            case "reject" -> {
                status = REJECTED;
                decidedBy = by;
                reason = why;
            }
            case "timeout" -> {
                status = "reject".equals(task.onTimeout()) ? REJECTED : TIMED_OUT;
                decidedBy = "timeout";
                reason = "no decision within " + minutes(task.timeoutMinutes());
            }
            case "abort" -> {
                status = ABORTED;
                decidedBy = by;
                reason = why;
            }
            default -> throw new IllegalArgumentException("not an answer: " + event);
        }
    }

    /** One line: "1 of 2 approvals (dev2)", "approved by dev2, dev3 (2 of 2)", "rejected by dev2: …". */
    String summary() {
        String counted = approvedBy.size() + " of " + task.quorum();
        return switch (status) {
            case APPROVED -> "approved by " + String.join(", ", approvedBy) + " (" + counted + ")";
            case REJECTED -> "rejected by " + decidedBy + (reason.isEmpty() ? "" : ": " + reason);
            case TIMED_OUT -> reason + ": the build is aborted";
            case ABORTED -> "aborted" + (decidedBy.isEmpty() ? "" : " by " + decidedBy)
                    + (reason.isEmpty() ? "" : ": " + reason);
            default -> counted + (task.quorum() == 1 ? " approval" : " approvals")
                    + (approvedBy.isEmpty() ? "" : " (" + String.join(", ", approvedBy) + ")");
        };
    }

    static String minutes(int minutes) {
        if (minutes % (24 * 60) == 0) {
            int days = minutes / (24 * 60);
            return days + (days == 1 ? " day" : " days");
        }
        if (minutes % 60 == 0) {
            int hours = minutes / 60;
            return hours + (hours == 1 ? " hour" : " hours");
        }
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
