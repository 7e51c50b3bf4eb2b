package io.deployflow.incident;

import java.time.Instant;
import java.util.List;

/**
 * A production issue raised through the service desk, as the ledger tells it: raised, and later restored (the fix
 * is in production) or closed (resolved without a release).
 *
 * @param severity  1 (blocker: the hotfix lane) or 2
 * @param service   the service (component) it is in; empty when not known
 * @param customers the customers it affects; empty: all
 * @param status    open, restored or closed
 * @param raisedAt  when it was raised
 * @param endedAt   when it was restored or closed; null while open
 */
public record Incident(String issue, int severity, String service, List<String> customers, String summary,
                       String status, Instant raisedAt, Instant endedAt, long raisedEntry) {
    public static final String OPEN = "open";
    public static final String RESTORED = "restored";
    public static final String CLOSED = "closed";

    public Incident {
        customers = List.copyOf(customers);
    }

    public boolean open() {
        return OPEN.equals(status);
    }

    /** Whether it concerns this service: its own, or every service when it names none. */
    public boolean concerns(String otherService) {
        return service.isEmpty() || service.equals(otherService);
    }
}
