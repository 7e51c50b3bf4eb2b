package io.deployflow.incident;

import io.deployflow.ledger.LedgerEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The production issues in the ledger. Each is a series of {@value #TYPE} entries for one issue key: {@code raised}
 * (with severity, service, customers and summary), then {@code restored} (the hotfix reached production) or
 * {@code closed} (resolved without a release, with a reason). A later {@code raised} reopens it.
 */
public final class Incidents {
    public static final String TYPE = "incident";
    public static final String RAISED = "raised";

    private final Map<String, Incident> byIssue = new LinkedHashMap<>();

    private Incidents() {
    }

    public static Incidents of(List<LedgerEntry> entries) {
        Incidents out = new Incidents();
        for (LedgerEntry entry : entries) {
            if (!TYPE.equals(entry.type())) {
                continue;
            }
            String issue = entry.text("issue");
            Incident before = out.byIssue.get(issue);
            Instant at = Instant.parse(entry.time());
            switch (entry.text("event")) {
                case RAISED -> out.byIssue.put(issue, new Incident(issue, severity(entry), entry.text("service"),
                        strings(entry.data().get("customers")), entry.text("summary"), Incident.OPEN, at, null,
                        entry.seq()));
                case Incident.RESTORED, Incident.CLOSED -> {
                    if (before != null && before.open()) {
                        out.byIssue.put(issue, new Incident(issue, before.severity(), before.service(),
                                before.customers(), before.summary(), entry.text("event"), before.raisedAt(), at,
                                before.raisedEntry()));
                    }
                }
                default -> {
                    // another event of the issue (a note): its state does not change
                }
            }
        }
        return out;
    }

    public Collection<Incident> all() {
        return byIssue.values();
    }

    public Incident get(String issue) {
        return byIssue.get(issue);
    }

    /** Open incidents of this severity for the service, except {@code except} (the one a hotfix fixes). */
    public List<Incident> open(int severity, String service, String except) {
        List<Incident> out = new ArrayList<>();
        for (Incident incident : byIssue.values()) {
            if (incident.open() && incident.severity() == severity && incident.concerns(service)
                    && !incident.issue().equals(except)) {
                out.add(incident);
            }
        }
        return out;
    }

    private static int severity(LedgerEntry entry) {
        Object value = entry.data().get("severity");
        return value instanceof Number n ? n.intValue() : 1;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> items) {
            items.forEach(i -> out.add(String.valueOf(i)));
        }
        return out;
    }
}
