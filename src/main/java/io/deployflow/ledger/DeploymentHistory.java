package io.deployflow.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deployment history table teams used to keep by hand in {@code docs/deployment-history.md} (deployment id,
 * date, version, status, reason), rendered from the ledger in Markdown or HTML, newest first. Besides deployments,
 * rollbacks and deliveries it shows the decisions after failed tests and the approvals that ended, because
 * "who let this go out, and why" belongs in the same table; {@code all} adds every other entry.
 */
public final class DeploymentHistory {
    private static final Set<String> SHOWN = Set.of("deploy", "rollback", "deliver", "decision", "approval",
            "promotion", "hotfix", "incident");

    private DeploymentHistory() {
    }

    /**
     * @param id   the ledger entry number, "#12": the deployment id
     * @param what what happened: Deployment, Rollback, Delivery, Decision, Approval, Promotion, Hotfix, Incident
     */
    public record Row(String id, String date, String what, String subject, String version, String status, String by,
                      String reason, String build) {
    }

    public static List<Row> rows(List<LedgerEntry> entries, String customer, boolean all, int limit) {
        List<Row> rows = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0 && (limit <= 0 || rows.size() < limit); i--) {
            LedgerEntry e = entries.get(i);
            if (!all && !SHOWN.contains(e.type())) {
                continue;
            }
            if (e.type().equals("approval") && !all && !endedTheGate(e)) {
                continue;
            }
            if (e.type().equals("promotion") && !all && e.text("event").equals("started")) {
                // the finish (deployed or failed) is the row; a refusal is shown too
                continue;
            }
            if (customer != null && !customer.equals(e.text("customer"))) {
                continue;
            }
            rows.add(row(e));
        }
        return rows;
    }

    /** The one counted answer that ended its gate (later answers to an ended gate are refused). */
    private static boolean endedTheGate(LedgerEntry e) {
        return Boolean.TRUE.equals(e.data().get("counted")) && !e.text("status").isEmpty()
                && !e.text("status").equals("pending");
    }

    private static Row row(LedgerEntry e) {
        Map<String, Object> d = e.data();
        String what = switch (e.type()) {
            case "deploy" -> "Deployment";
            case "rollback" -> "Rollback";
            case "deliver" -> "Delivery";
            case "decision" -> "Decision";
            case "approval" -> "Approval";
            case "promotion" -> "Promotion";
            case "hotfix" -> "Hotfix";
            case "incident" -> "Incident";
            default -> e.type();
        };
        String subject = e.text("customer");
        if (e.type().equals("approval")) {
            subject = e.text("task") + (e.text("gate").equals(e.text("task")) ? "" : " (" + e.text("gate") + ")");
        } else if (e.type().equals("record")) {
            subject = e.text("path");
        } else if (e.type().equals("promotion")) {
            subject = e.text("service") + " → " + e.text("environment") + (e.text("customer").isEmpty() ? ""
                    : " (" + e.text("customer") + ")");
        } else if (e.type().equals("hotfix")) {
            subject = e.text("component") + " " + e.text("issue");
        } else if (e.type().equals("incident")) {
            subject = e.text("issue") + (e.text("service").isEmpty() ? "" : " (" + e.text("service") + ")");
        }
        String status = first(e, "status", "choice", "outcome", "event");
        String by = e.type().equals("approval") && d.get("approvedBy") instanceof Collection<?> approvers
                && !approvers.isEmpty() && e.text("status").equals("approved")
                ? String.join(", ", approvers.stream().map(String::valueOf).toList())
                : first(e, "by");
        if (by.isEmpty() && d.get("decidedBy") instanceof Map<?, ?> decider && decider.get("id") != null) {
            by = decider.get("id").toString();
        }
        if (by.isEmpty()) {
            by = e.user();
        }
        String version = e.text("version");
        if (version.isEmpty() && d.get("versions") instanceof Map<?, ?> versions) {
            List<String> parts = new ArrayList<>();
            versions.forEach((k, v) -> parts.add(k + " " + v));
            version = String.join(", ", parts);
        }
        return new Row("#" + e.seq(), date(e.time()), what, subject, version, status, by,
                first(e, "reason", "message", "summary"), e.build());
    }

    private static String first(LedgerEntry e, String... fields) {
        for (String field : fields) {
            if (!e.text(field).isBlank()) {
                return e.text(field);
            }
        }
        return "";
    }

    /** "2026-11-23T09:15:02.123Z" → "2026-11-23 09:15 UTC". */
    private static String date(String time) {
        return time.length() >= 16 ? time.substring(0, 10) + " " + time.substring(11, 16) + " UTC" : time;
    }

    public static String markdown(String title, List<Row> rows) {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n\n");
        if (rows.isEmpty()) {
            return out.append("Nothing recorded yet.\n").toString();
        }
        out.append("| Deployment ID | Date | What | Customer / task | Version | Status | By | Reason |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String id = r.build().isEmpty() ? r.id() : "[" + r.id() + "](" + r.build() + ")";
            out.append("| ").append(String.join(" | ", id, md(r.date()), md(r.what()), md(r.subject()),
                    md(r.version()), md(r.status()), md(r.by()), md(r.reason()))).append(" |\n");
        }
        return out.toString();
    }

    public static String html(String title, List<Row> rows) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(h(title)).append("</title>\n<style>body{font-family:sans-serif}table{border-collapse:"
                        + "collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
                        + "</style></head><body>\n<h1>").append(h(title)).append("</h1>\n");
        if (rows.isEmpty()) {
            return out.append("<p>Nothing recorded yet.</p>\n</body></html>\n").toString();
        }
        out.append("<table>\n<tr><th>Deployment ID</th><th>Date</th><th>What</th><th>Customer / task</th>"
                + "<th>Version</th><th>Status</th><th>By</th><th>Reason</th></tr>\n");
        for (Row r : rows) {
            String id = r.build().startsWith("http://") || r.build().startsWith("https://")
                    ? "<a href=\"" + h(r.build()) + "\">" + h(r.id()) + "</a>" : h(r.id());
            out.append("<tr><td>").append(id).append("</td>");
            for (String cell : List.of(r.date(), r.what(), r.subject(), r.version(), r.status(), r.by(),
                    r.reason())) {
                out.append("<td>").append(h(cell)).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n</body></html>\n").toString();
    }

    private static String md(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static String h(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
