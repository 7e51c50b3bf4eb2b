package io.deployflow.ledger.dora;

import java.time.Instant;

/**
 * One deployment to production, as the ledger recorded it.
 *
 * @param service       the service (component) deployed, or "" when only the customer is known (a stack deploy)
 * @param customer      the customer it was for, or "" when it went to every customer's shared production
 * @param cause         whether and how it failed
 * @param detail        what the ledger says about the failure ("" when it did not fail)
 * @param firstCommitAt when the first change it shipped was committed; null when not known
 * @param entry         the ledger entry that recorded it
 */
public record Deployment(Instant at, String service, String customer, String version, Cause cause, String detail,
                         Instant firstCommitAt, long entry) {

    /** How a deployment counts as a change failure. */
    public enum Cause {
        /** It worked, and nothing had to rescue it. */
        NONE,
        /** It failed and production stayed on what ran before (or was left broken until the next deployment). */
        FAILED,
        /** It failed and rolled itself back, verified, before it finished. */
        ROLLED_BACK,
        /** It finished, and a rollback of the customer's stack undid it later. */
        ROLLED_BACK_LATER,
        /** It finished, and a hotfix was branched from its version to fix it. */
        HOTFIX
    }

    public boolean failed() {
        return cause != Cause.NONE;
    }

    Deployment rescued(Cause by, String why) {
        return failed() ? this : new Deployment(at, service, customer, version, by, why, firstCommitAt, entry);
    }

    /** Lead time for changes in hours, or null when the first commit is not known or it failed. */
    Double leadTimeHours() {
        return firstCommitAt == null || failed() ? null
                : (at.toEpochMilli() - firstCommitAt.toEpochMilli()) / 3_600_000.0;
    }

    /** "fhir-gateway 1.3.0 (#41)", "acme (#12)". */
    String label() {
        String what = service.isEmpty() ? customer : service;
        return what + (version.isEmpty() ? "" : " " + version) + " (#" + entry + ")";
    }
}
