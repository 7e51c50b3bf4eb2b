package io.deployflow.portainer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rollback points in a directory on the agent that deployed ({@code --state-dir}, by default
 * {@code .deployflow/portainer} in the workspace), one file per customer: where they are kept when the team has no
 * ledger repository. Only that agent, with that workspace, finds them again.
 */
public final class StateDirRollbackPoints implements RollbackPoints {
    private final Path dir;

    public StateDirRollbackPoints(Path dir) {
        this.dir = dir;
    }

    @Override
    public void save(RollbackPoint point) {
        point.save(dir);
    }

    @Override
    public RollbackPoint find(String customer, String stack) {
        return Files.isRegularFile(RollbackPoint.file(dir, customer)) ? RollbackPoint.load(dir, customer) : null;
    }

    @Override
    public String where(String customer, String stack) {
        return RollbackPoint.file(dir, customer).toString();
    }

    @Override
    public int lineOf(String customer, String stack, String key) {
        return RollbackPoint.lineOf(RollbackPoint.file(dir, customer), key);
    }

    @Override
    public String whenMissing() {
        return "a 'portainer deploy' keeps it here, on the agent that deployed, before it changes the stack (use the"
                + " same --state-dir and workspace); with ledger.repo set in deployflow.yaml it is kept beside the"
                + " team's ledger, where every agent finds it";
    }
}
