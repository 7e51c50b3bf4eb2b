package io.deployflow.promotion;

import io.deployflow.approval.GateKey;
import io.deployflow.ledger.LedgerEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the ledger shows about a release, read the way the promotion criteria need it: deployments to an
 * environment ({@value #TYPE} entries), approvals as the approval gate recorded them, and evidence that release
 * notes were shared or training documentation updated ({@value #EVIDENCE} entries).
 */
public final class PromotionLedger {
    public static final String TYPE = "promotion";
    public static final String EVIDENCE = "evidence";
    public static final String STARTED = "started";
    public static final String REFUSED = "refused";
    public static final String DEPLOYED = "deployed";
    public static final String FAILED = "failed";

    private final List<LedgerEntry> entries;

    public PromotionLedger(List<LedgerEntry> entries) {
        this.entries = entries;
    }

    /** How an approval gate ended (or stands), from its last counted answer. */
    public record GateOutcome(String task, String gate, String build, String status, List<String> approvedBy,
                              String decidedBy, String reason, long seq, String time) {
        public boolean approved() {
            return "approved".equals(status);
        }

        /** "approved by po1, po2 (#14, 2026-11-20 10:02 UTC)", "rejected by po1: not signed off (#15, …)". */
        public String describe() {
            String what = switch (status) {
                case "approved" -> "approved by " + String.join(", ", approvedBy);
                case "rejected" -> "rejected by " + decidedBy + (reason.isEmpty() ? "" : ": " + reason);
                case "pending" -> "still pending (" + approvedBy.size() + " approval(s) so far)";
                default -> status + (reason.isEmpty() ? "" : ": " + reason);
            };
            return what + " (#" + seq + ", " + shortTime(time) + ")";
        }
    }

    /**
     * The latest deployment (deployed or failed) of this version of the service to the environment. An entry for
     * one customer counts only for that customer; an entry for no customer counts for every customer.
     */
    public LedgerEntry lastDeployment(String service, String version, String environment, String customer) {
        LedgerEntry found = null;
        for (LedgerEntry e : entries) {
            if (TYPE.equals(e.type()) && service.equals(e.text("service")) && version.equals(e.text("version"))
                    && environment.equals(e.text("environment"))
                    && (DEPLOYED.equals(e.text("event")) || FAILED.equals(e.text("event")))
                    && (e.text("customer").isEmpty() || customer == null || customer.equals(e.text("customer")))) {
                found = e;
            }
        }
        return found;
    }

    /**
     * How the gates of an approval task under these names ended: the latest that ended (approved, rejected, timed
     * out, aborted) in any build, else the latest still pending; null when it was never answered. {@code build}
     * null means any build.
     */
    public GateOutcome gate(String task, Collection<String> gates, String build) {
        Map<String, LedgerEntry> lastPerGate = new LinkedHashMap<>();
        for (LedgerEntry e : entries) {
            if (GateKey.TYPE.equals(e.type()) && task.equals(e.text("task")) && gates.contains(e.text("gate"))
                    && (build == null || build.equals(e.text("build")))
                    && Boolean.TRUE.equals(e.data().get("counted")) && !e.text("status").isEmpty()) {
                lastPerGate.put(e.text("gate") + "\n" + e.text("build"), e);
            }
        }
        LedgerEntry ended = null;
        LedgerEntry pending = null;
        for (LedgerEntry e : lastPerGate.values()) {
            if ("pending".equals(e.text("status"))) {
                pending = pending == null || e.seq() > pending.seq() ? e : pending;
            } else {
                ended = ended == null || e.seq() > ended.seq() ? e : ended;
            }
        }
        LedgerEntry chosen = ended != null ? ended : pending;
        if (chosen == null) {
            return null;
        }
        List<String> approvedBy = new ArrayList<>();
        if (chosen.data().get("approvedBy") instanceof Collection<?> ids) {
            ids.forEach(id -> approvedBy.add(String.valueOf(id)));
        }
        String decidedBy = chosen.text("by");
        return new GateOutcome(task, chosen.text("gate"), chosen.text("build"), chosen.text("status"), approvedBy,
                decidedBy, chosen.text("reason"), chosen.seq(), chosen.time());
    }

    /**
     * The latest evidence of this kind for the version of the service. Evidence for one environment counts only
     * there; evidence for none counts everywhere.
     */
    public LedgerEntry evidence(String kind, String service, String version, String environment) {
        LedgerEntry found = null;
        for (LedgerEntry e : entries) {
            if (EVIDENCE.equals(e.type()) && kind.equals(e.text("kind")) && service.equals(e.text("service"))
                    && version.equals(e.text("version"))
                    && (e.text("environment").isEmpty() || Objects.equals(environment, e.text("environment")))) {
                found = e;
            }
        }
        return found;
    }

    /** The started promotion of this request in its build that has not been finished yet, or null. */
    public LedgerEntry unfinished(PromotionRequest request) {
        LedgerEntry started = null;
        for (LedgerEntry e : entries) {
            if (!TYPE.equals(e.type()) || !request.service().equals(e.text("service"))
                    || !request.version().equals(e.text("version"))
                    || !request.environment().equals(e.text("environment"))
                    || !Objects.equals(request.customer() == null ? "" : request.customer(), e.text("customer"))
                    || !request.build().equals(e.text("build"))) {
                continue;
            }
            String event = e.text("event");
            if (STARTED.equals(event)) {
                started = e;
            } else if (DEPLOYED.equals(event) || FAILED.equals(event)) {
                started = null;
            }
        }
        return started;
    }

    /** "2026-11-20T10:02:03.123Z" → "2026-11-20 10:02 UTC". */
    public static String shortTime(String time) {
        return time.length() >= 16 ? time.substring(0, 10) + " " + time.substring(11, 16) + " UTC" : time;
    }
}
