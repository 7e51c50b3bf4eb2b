package io.deployflow.portainer;

import io.deployflow.core.OutsideSystemException;
import io.deployflow.ledger.Ledger;

/**
 * Rollback points beside the team's ledger, in its git repository ({@code ledger.repo}), one record per customer and
 * stack: {@code portainer/<customer>/<stack>/rollback-point.json}. Every agent finds the point there again, also
 * after the workspace that deployed is gone, and the ledger chains a {@code record} entry with the point's SHA-256
 * for every version, so a changed point shows in {@code ledger verify}.
 */
public final class LedgerRollbackPoints implements RollbackPoints {
    private final Ledger ledger;

    public LedgerRollbackPoints(Ledger ledger) {
        this.ledger = ledger;
    }

    static String recordPath(String customer, String stack) {
        return "portainer/" + customer + "/" + stack + "/rollback-point.json";
    }

    @Override
    public void save(RollbackPoint point) {
        try {
            ledger.writeRecord(recordPath(point.customer(), point.stackName()), point.text(), "rollback point of"
                    + " stack '" + point.stackName() + "' for " + point.customer() + ", taken before a deploy");
        } catch (OutsideSystemException e) {
            throw new OutsideSystemException(e.system(), "cannot keep the rollback point beside the ledger, so the"
                    + " stack was not changed: " + e.getMessage(), e);
        }
    }

    @Override
    public RollbackPoint find(String customer, String stack) {
        String path = recordPath(customer, stack);
        return ledger.readRecord(path).map(text -> RollbackPoint.parse(text, where(customer, stack))).orElse(null);
    }

    @Override
    public String where(String customer, String stack) {
        return recordPath(customer, stack) + " beside the ledger (" + ledger.where() + ")";
    }

    @Override
    public int lineOf(String customer, String stack, String key) {
        return ledger.readRecord(recordPath(customer, stack)).map(text -> RollbackPoint.lineOf(text, key)).orElse(0);
    }

    @Override
    public String whenMissing() {
        return "a 'portainer deploy' keeps it beside the ledger before it changes the stack; no deploy of this stack"
                + " has kept one since the ledger repository was set";
    }
}
