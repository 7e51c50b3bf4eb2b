package io.deployflow.ledger.dora;

import io.deployflow.incident.Incident;
import io.deployflow.incident.Incidents;
import io.deployflow.ledger.LedgerEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The production deployments and restorations in a ledger, as DORA counts them.
 * <ul>
 * <li>A deployment is a promotion to the production environment that finished ({@code deployed} or
 * {@code failed}), or a Portainer stack deployment (a customer's running stack) that was not part of such a
 * promotion (the promotion already counts it).</li>
 * <li>It failed when it failed or was rolled back, or when it was rescued later: a rollback of the customer's stack
 * before its next deployment, or a hotfix branched from its version.</li>
 * <li>Production was restored: for a severity-1 issue, from raised to restored; for a failed deployment not
 * covered by an issue, from the failure to the next good deployment of the same service and customer (a
 * deployment rolled back and verified by itself restored production when it finished).</li>
 * </ul>
 */
final class DoraEvents {
    final List<Deployment> deployments = new ArrayList<>();
    final List<Restore> restores = new ArrayList<>();

    static DoraEvents from(List<LedgerEntry> entries) {
        DoraEvents events = new DoraEvents();
        List<Span> promotions = new ArrayList<>();
        for (LedgerEntry e : entries) {
            if ("promotion".equals(e.type()) && Boolean.TRUE.equals(e.data().get("production"))) {
                String event = e.text("event");
                if (event.equals("deployed") || event.equals("failed")) {
                    boolean failed = event.equals("failed");
                    events.deployments.add(new Deployment(time(e), e.text("service"), e.text("customer"),
                            e.text("version"), failed ? Deployment.Cause.FAILED : Deployment.Cause.NONE,
                            failed ? e.text("reason") : "", e.text("firstCommitAt").isEmpty() ? null
                            : Instant.parse(e.text("firstCommitAt")), e.seq()));
                    Object started = e.data().get("started");
                    promotions.add(new Span(started instanceof Number n ? n.longValue() : e.seq(), e.seq(),
                            e.text("build"), e.text("customer")));
                }
            }
        }
        for (LedgerEntry e : entries) {
            if ("deploy".equals(e.type()) && promotions.stream().noneMatch(s -> s.covers(e))) {
                String outcome = e.text("outcome");
                if (outcome.equals("deployed") || outcome.equals("failed") || outcome.equals("rolled-back")) {
                    Deployment.Cause cause = switch (outcome) {
                        case "failed" -> Deployment.Cause.FAILED;
                        case "rolled-back" -> Deployment.Cause.ROLLED_BACK;
                        default -> Deployment.Cause.NONE;
                    };
                    events.deployments.add(new Deployment(time(e), "", e.text("customer"), e.text("version"), cause,
                            cause == Deployment.Cause.NONE ? "" : e.text("message"), null, e.seq()));
                }
            }
        }
        events.deployments.sort((a, b) -> Long.compare(a.entry(), b.entry()));
        events.rescues(entries);
        events.restores(entries);
        return events;
    }

    /** A later rollback of the customer's stack, or a hotfix from its version, marks a deployment failed. */
    private void rescues(List<LedgerEntry> entries) {
        for (LedgerEntry e : entries) {
            if ("rollback".equals(e.type())) {
                Deployment before = lastBefore(e.seq(), d -> !e.text("customer").isEmpty()
                        && e.text("customer").equals(d.customer()));
                if (before != null) {
                    replace(before, before.rescued(Deployment.Cause.ROLLED_BACK_LATER, "rolled back by #" + e.seq()));
                }
            } else if ("hotfix".equals(e.type()) && "branched".equals(e.text("event"))) {
                String service = e.text("component");
                String version = e.text("fromVersion");
                Deployment rescued = lastBefore(e.seq(), d -> service.equals(d.service())
                        && version.equals(d.version()));
                if (rescued != null) {
                    replace(rescued, rescued.rescued(Deployment.Cause.HOTFIX, "fixed by the hotfix for "
                            + e.text("issue")));
                }
            }
        }
    }

    private void restores(List<LedgerEntry> entries) {
        for (Incident incident : Incidents.of(entries).all()) {
            if (Incident.RESTORED.equals(incident.status())) {
                restores.add(new Restore(incident.issue(), incident.service(), incident.customers(),
                        incident.raisedAt(), incident.endedAt()));
            }
        }
        for (int i = 0; i < deployments.size(); i++) {
            Deployment failed = deployments.get(i);
            if (!failed.failed() || failed.cause() == Deployment.Cause.HOTFIX) {
                // a hotfix's rescue is timed by its issue, from raised to restored
                continue;
            }
            if (failed.cause() == Deployment.Cause.ROLLED_BACK) {
                restores.add(new Restore(failed.label(), failed.service(), customers(failed), failed.at(),
                        failed.at()));
                continue;
            }
            Instant restored = null;
            for (int j = i + 1; j < deployments.size() && restored == null; j++) {
                Deployment next = deployments.get(j);
                if (!next.failed() && next.service().equals(failed.service())
                        && next.customer().equals(failed.customer())) {
                    restored = next.at();
                }
            }
            Instant rolledBack = rollbackAfter(entries, failed);
            if (rolledBack != null && (restored == null || rolledBack.isBefore(restored))) {
                restored = rolledBack;
            }
            if (restored != null) {
                restores.add(new Restore(failed.label(), failed.service(), customers(failed), failed.at(),
                        restored));
            }
        }
        restores.sort((a, b) -> a.from().compareTo(b.from()));
    }

    private static Instant rollbackAfter(List<LedgerEntry> entries, Deployment failed) {
        for (LedgerEntry e : entries) {
            if ("rollback".equals(e.type()) && e.seq() > failed.entry() && !failed.customer().isEmpty()
                    && failed.customer().equals(e.text("customer"))) {
                return time(e);
            }
        }
        return null;
    }

    private static List<String> customers(Deployment d) {
        return d.customer().isEmpty() ? List.of() : List.of(d.customer());
    }

    private Deployment lastBefore(long seq, java.util.function.Predicate<Deployment> matches) {
        Deployment found = null;
        for (Deployment d : deployments) {
            if (d.entry() < seq && matches.test(d)) {
                found = d;
            }
        }
        return found;
    }

    private void replace(Deployment old, Deployment now) {
        deployments.set(deployments.indexOf(old), now);
    }

    private static Instant time(LedgerEntry e) {
        return Instant.parse(e.time());
    }

    /** A promotion from its start to its finish in one build: Portainer deploys inside it are part of it. */
    private record Span(long from, long to, String build, String customer) {
        boolean covers(LedgerEntry e) {
            return e.seq() > from && e.seq() < to && Objects.equals(build, e.build())
                    && (customer.isEmpty() || customer.equals(e.text("customer")));
        }
    }
}
