package io.deployflow.portainer;

import io.deployflow.core.OutsideSystemException;

/** A Portainer call that failed for good: names the call (method and path) and Portainer's own message. */
public final class PortainerCallException extends OutsideSystemException {
    private final int status;

    PortainerCallException(String call, int status, String message, Throwable cause) {
        super("Portainer " + call, message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer came (refused connection, timeout). */
    public int status() {
        return status;
    }
}
