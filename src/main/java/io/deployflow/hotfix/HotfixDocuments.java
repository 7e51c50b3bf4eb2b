package io.deployflow.hotfix;

import io.deployflow.approval.GateKey;
import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.incident.Incident;
import io.deployflow.incident.Incidents;
import io.deployflow.ledger.LedgerEntry;
import io.deployflow.promotion.PromotionGates;
import io.deployflow.promotion.PromotionLedger;
import io.deployflow.release.notes.NotesFormat;
import io.deployflow.release.notes.Template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hotfix lane's documents, from the Markdown templates in {@code resources/io/deployflow/templates/}: the patch
 * release's notes (naming the severity-1 issue) and the root-cause analysis (timeline from the ledger, root cause,
 * the fix, prevention). A team can read in the templates what it will get.
 */
final class HotfixDocuments {
    static final String NOTES_TEMPLATE = "hotfix-release-notes.md";
    static final String RCA_TEMPLATE = "rca.md";
    private static final String TO_BE_WRITTEN = "_To be written by the team before sign-off._";

    private HotfixDocuments() {
    }

    static String releaseNotes(DeployflowConfig config, HotfixConfig settings, Component component, Incident incident,
                               String version, String fromVersion, List<Map<String, Object>> commits) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("component", component.name());
        model.put("version", version);
        model.put("fromVersion", fromVersion);
        model.put("issue", incident.issue());
        model.put("issueLink", issueLink(config, incident.issue()));
        model.put("summary", incident.summary().isEmpty() ? "(no summary given)" : incident.summary());
        model.put("severity", String.valueOf(incident.severity()));
        model.put("raisedAt", PromotionLedger.shortTime(incident.raisedAt().toString()));
        model.put("commits", commits);
        model.put("image", component.image() == null ? "" : component.image() + ":" + version);
        model.put("testEnvironment", settings.testEnvironment(config.promotion()).name());
        model.put("production", settings.production(config.promotion()).name());
        model.put("approvalTask", settings.approval());
        List<Map<String, Object>> known = new ArrayList<>();
        config.releaseNotes().knownIssues().forEach(k -> known.add(Map.of("text", k)));
        model.put("knownIssues", known);
        return render(NOTES_TEMPLATE, model);
    }

    static String rca(DeployflowConfig config, HotfixConfig settings, Component component, String issue,
                      List<LedgerEntry> entries, String rootCause, String prevention) {
        Incident incident = Incidents.of(entries).get(issue);
        LedgerEntry branched = null;
        LedgerEntry released = null;
        for (LedgerEntry e : entries) {
            if (HotfixLane.TYPE.equals(e.type()) && issue.equals(e.text("issue"))) {
                if ("branched".equals(e.text("event"))) {
                    branched = e;
                } else if ("released".equals(e.text("event"))) {
                    released = e;
                }
            }
        }
        String version = released == null ? "" : released.text("version");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("issue", issue);
        model.put("issueLink", issueLink(config, issue));
        model.put("summary", incident.summary().isEmpty() ? "(no summary given)" : incident.summary());
        model.put("severity", String.valueOf(incident.severity()));
        model.put("component", component.name());
        model.put("customers", incident.customers().isEmpty() ? "all" : String.join(", ", incident.customers()));
        model.put("raisedAt", PromotionLedger.shortTime(incident.raisedAt().toString()));
        model.put("restoredAt", incident.endedAt() == null ? "not yet" : PromotionLedger.shortTime(
                incident.endedAt().toString()));
        model.put("timeToRestore", incident.endedAt() == null ? "not yet restored"
                : duration(Duration.between(incident.raisedAt(), incident.endedAt())));
        model.put("version", version);
        model.put("fromVersion", branched == null ? "" : branched.text("fromVersion"));
        model.put("timeline", timeline(settings, component, issue, version, entries));
        model.put("rootCause", new Template.Markup(text(rootCause)));
        model.put("commits", released == null ? List.of() : released.data().get("commits"));
        model.put("prevention", new Template.Markup(text(prevention)));
        model.put("signOffTask", settings.rcaSignOff());
        return render(RCA_TEMPLATE, model);
    }

    /** Every ledger entry about the issue, as one line each: what happened, when, by whom. */
    private static List<Map<String, Object>> timeline(HotfixConfig settings, Component component, String issue,
                                                      String version, List<LedgerEntry> entries) {
        String gate = PromotionGates.release(component.name(), version);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LedgerEntry e : entries) {
            String what = describe(settings, e, issue, gate);
            if (what != null) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("when", e.time().length() >= 19 ? e.time().substring(0, 10) + " " + e.time().substring(11, 19)
                        : e.time());
                row.put("what", what);
                row.put("who", e.text("by").isEmpty() ? e.user() : e.text("by"));
                rows.add(row);
            }
        }
        return rows;
    }

    private static String describe(HotfixConfig settings, LedgerEntry e, String issue, String gate) {
        boolean ours = issue.equals(e.text("issue"));
        return switch (e.type()) {
            case Incidents.TYPE -> !ours ? null : switch (e.text("event")) {
                case Incidents.RAISED -> "Issue raised (severity " + e.text("severity") + "): " + e.text("summary");
                case Incident.RESTORED -> "Service restored with " + e.text("service") + " " + e.text("version");
                case Incident.CLOSED -> "Closed: " + e.text("reason");
                default -> e.text("event");
            };
            case HotfixLane.TYPE -> !ours ? null : switch (e.text("event")) {
                case "branched" -> "Branch " + e.text("branch") + " made from " + e.text("fromTag")
                        + " (production's version, from " + e.text("productionSource") + ")";
                case "released" -> "Fix released as " + e.text("tag") + "; release notes shared";
                case "deploying" -> "Deploying to " + e.text("environment") + "; everyone told";
                case "merged-back" -> "Fix merged back into " + e.text("into");
                case "merge-conflict" -> "Merge back into " + e.text("into") + " conflicted in " + e.data()
                        .get("files");
                case "rca-written" -> "Root-cause analysis written";
                default -> e.text("event");
            };
            case PromotionLedger.TYPE -> !ours ? null : "Deployment to " + e.text("environment") + ": "
                    + e.text("event") + (e.text("reason").isEmpty() ? "" : " (" + e.text("reason") + ")");
            case GateKey.TYPE -> approval(settings, e, issue, gate);
            default -> null;
        };
    }

    private static String approval(HotfixConfig settings, LedgerEntry e, String issue, String gate) {
        boolean goAhead = settings.approval().equals(e.text("task")) && gate.equals(e.text("gate"));
        boolean signOff = settings.rcaSignOff().equals(e.text("task")) && issue.equals(e.text("gate"));
        if (!goAhead && !signOff || !Boolean.TRUE.equals(e.data().get("counted"))) {
            return null;
        }
        return (goAhead ? "Go-ahead for production (" : "Root-cause analysis sign-off (") + e.text("task") + "): "
                + e.text("event") + (e.text("reason").isEmpty() ? "" : ", " + e.text("reason"));
    }

    private static Object issueLink(DeployflowConfig config, String issue) {
        String url = config.releaseNotes().ticketUrl() == null ? null : config.releaseNotes().linkFor(issue);
        return url == null ? issue : new Template.Markup("[" + issue + "](" + url + ")");
    }

    private static String text(String given) {
        return given == null || given.isBlank() ? TO_BE_WRITTEN : given.strip();
    }

    /** "2 h 14 min", "35 min", "1 d 3 h". */
    static String duration(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        if (days > 0) {
            return days + " d " + hours + " h";
        }
        return hours > 0 ? hours + " h " + mins + " min" : mins + " min";
    }

    private static String render(String template, Map<String, Object> model) {
        String name = "/io/deployflow/templates/" + template;
        try (InputStream in = HotfixDocuments.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the template " + name + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Template.parse(template, text).render(model, NotesFormat.MARKDOWN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
