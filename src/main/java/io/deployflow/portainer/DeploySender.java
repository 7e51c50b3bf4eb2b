package io.deployflow.portainer;

import io.deployflow.core.Progress;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Sends one write that deploys (an update, a git redeploy, a create) so that there is never more than one deploy
 * of a stack in flight, whatever Portainer answers:
 * <ul>
 *   <li>before sending, a stack that is deploying (status 3, asynchronous generation) is waited out;</li>
 *   <li>409 "Stack deployment is already in progress" means Portainer refused to start (the asynchronous
 *   generation's lock, stack_update.go, updateStackInTx): the running deploy is waited out and the write sent
 *   again, because nothing of it was applied;</li>
 *   <li>500 is the deploy's own failure (2.19 to 2.39 run compose inside the request) or a refusal to start it: it
 *   is never sent again, the caller rolls back;</li>
 *   <li>no answer (timeout, dropped connection, 502/504 from a proxy) may mean the deploy is still running, on
 *   2.19 to 2.39 with no sign of it: it is never sent again; the caller verifies what the stack now runs, and a
 *   rollback only follows once the stack has had its whole wait.</li>
 * </ul>
 */
final class DeploySender {
    enum Kind {
        /** Portainer took the write: it deployed (synchronous) or started deploying (asynchronous). */
        ACCEPTED,
        /** No answer: Portainer may or may not be deploying it; what runs must be verified. */
        UNANSWERED,
        /** Portainer answered that the deploy failed or could not start; the message is Portainer's. */
        FAILED,
        /** The stack kept deploying (another deploy) for the whole wait: nothing was sent. */
        BUSY
    }

    record Outcome(Kind kind, String message) {
    }

    private final PortainerClient client;
    private final Duration pollInterval;

    DeploySender(PortainerClient client, Duration pollInterval) {
        this.client = client;
        this.pollInterval = pollInterval;
    }

    /**
     * @param stackId the stack the write deploys, to wait while it is deploying; 0 for a create
     * @param what    the write, for the log ("PUT stack 'acme'")
     * @param patience how long a running deploy is waited out
     */
    Outcome send(int stackId, String what, Duration patience, Supplier<Stack> write) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            if (stackId != 0 && !waitWhileDeploying(stackId, deadline)) {
                return new Outcome(Kind.BUSY, "stack " + stackId + " was still deploying after "
                        + patience.toSeconds() + "s (another deploy is running in Portainer); nothing was sent");
            }
            Progress.line("Portainer: " + what);
            try {
                write.get();
                return new Outcome(Kind.ACCEPTED, null);
            } catch (PortainerCallException e) {
                if (e.status() == 409 && stackId != 0) {
                    if (System.nanoTime() > deadline) {
                        return new Outcome(Kind.BUSY, "Portainer still answered 409 " + e.reason() + " after "
                                + patience.toSeconds() + "s; nothing was applied");
                    }
                    Progress.line("Portainer: " + e.reason() + " (409): waiting for the running deploy to end"
                            + " before sending again; Portainer applied nothing of this write");
                    sleep();
                    continue;
                }
                if (e.status() == 500) {
                    Progress.line("Portainer: the deploy failed: " + e.reason() + "; not sent again");
                    return new Outcome(Kind.FAILED, e.reason());
                }
                if (e.outcomeUnknown()) {
                    Progress.line("Portainer: " + e.getMessage() + "; Portainer may still be deploying it, so it is"
                            + " not sent again: checking what the stack runs instead");
                    return new Outcome(Kind.UNANSWERED, e.getMessage());
                }
                throw e;
            }
        }
    }

    /** False when the stack still deploys at the deadline. */
    private boolean waitWhileDeploying(int stackId, long deadline) {
        boolean said = false;
        while (client.stack(stackId).deploying()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (!said) {
                Progress.line("Portainer: stack " + stackId + " is deploying; waiting until it is done");
                said = true;
            }
            sleep();
        }
        return true;
    }

    private void sleep() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Portainer", e);
        }
    }
}
