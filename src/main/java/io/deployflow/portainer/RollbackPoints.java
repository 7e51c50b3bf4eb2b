package io.deployflow.portainer;

import io.deployflow.core.BadInputException;

/**
 * Where the rollback point of a customer's stack is kept between the deploy that takes it and a later
 * {@code portainer rollback}, which may run on another agent, in another build, after the workspace is gone. With a
 * ledger repository ({@code ledger.repo}) it is kept beside the team's ledger ({@link LedgerRollbackPoints}); without
 * one, in the state directory of the agent that deployed ({@link StateDirRollbackPoints}). Either way it holds no
 * secret value ({@link RollbackPoint}).
 */
public interface RollbackPoints {
    /** Keeps the point; called before the one write to Portainer, so a failure here changes nothing there. */
    void save(RollbackPoint point);

    /** The point kept for this customer's stack, or null when none is. */
    RollbackPoint find(String customer, String stack);

    /** Where the point for this customer's stack is kept, for the result and for messages. */
    String where(String customer, String stack);

    /** The 1-based line of {@code "key"} in the kept point as written, else 0. */
    int lineOf(String customer, String stack, String key);

    /** What a user can do when no point is found here. */
    String whenMissing();

    /** The point kept for this customer's stack; exit 2 naming where it was looked for when there is none. */
    default RollbackPoint load(String customer, String stack) {
        RollbackPoint point = find(customer, stack);
        if (point == null) {
            throw new BadInputException(where(customer, stack), 0, null, "no rollback point for customer '"
                    + customer + "' (stack '" + stack + "'): " + whenMissing());
        }
        return point;
    }
}
