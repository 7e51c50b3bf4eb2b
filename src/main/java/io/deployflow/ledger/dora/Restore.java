package io.deployflow.ledger.dora;

import java.time.Instant;
import java.util.List;

/**
 * A time production was broken and then restored: a severity-1 issue from raised to restored, or a failed
 * deployment until the next good one (or its verified rollback).
 *
 * @param what      "SEV1-123", "fhir-gateway 1.3.0 (#41)"
 * @param customers the customers affected; empty: every one (or not known)
 */
public record Restore(String what, String service, List<String> customers, Instant from, Instant to) {
    public Restore {
        customers = List.copyOf(customers);
    }

    double hours() {
        return (to.toEpochMilli() - from.toEpochMilli()) / 3_600_000.0;
    }
}
