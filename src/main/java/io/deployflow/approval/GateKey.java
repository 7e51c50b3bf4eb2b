package io.deployflow.approval;

import io.deployflow.ledger.LedgerEntry;

/**
 * One instance of an approval gate: a task asked in one build, under a name that tells two gates of the same task
 * in one build apart (one per customer, say). Every answer to it is a ledger entry carrying these three fields,
 * so the gate's state can be read back from the ledger by anyone, on any agent, after any restart.
 */
public record GateKey(String task, String gate, String build) {
    public static final String TYPE = "approval";

    public GateKey {
        gate = gate == null || gate.isBlank() ? task : gate;
        build = build == null || build.isBlank() ? "local" : build;
    }

    boolean matches(LedgerEntry entry) {
        return TYPE.equals(entry.type()) && task.equals(entry.text("task")) && gate.equals(entry.text("gate"))
                && build.equals(entry.text("build"));
    }
}
