package io.deployflow.portainer;

import io.deployflow.core.OutsideSystemException;

import java.util.List;

/**
 * A Portainer call that failed: names the call (method and path) and Portainer's own message. Whether a write may
 * be sent again depends on what the failure means, so the exception keeps the parts that tell: the status, and
 * whether the request can have reached Portainer at all.
 */
public final class PortainerCallException extends OutsideSystemException {
    private final int status;
    private final String reason;
    private final boolean reachedPortainer;

    PortainerCallException(String call, int status, String reason, boolean reachedPortainer, Throwable cause) {
        this(call, status, reason, status == 0 ? reason : status + " " + reason, reachedPortainer, cause);
    }

    private PortainerCallException(String call, int status, String reason, String message, boolean reachedPortainer,
                                   Throwable cause) {
        super("Portainer " + call, message, cause);
        this.status = status;
        this.reason = reason;
        this.reachedPortainer = reachedPortainer;
    }

    /** The last failure of a call that was tried {@code attempts} times. */
    static PortainerCallException afterRetries(String call, PortainerCallException last, List<String> attempts) {
        String lastText = last.status() == 0 ? last.reason() : last.status() + " " + last.reason();
        return new PortainerCallException(call, last.status(), last.reason(), "failed after " + attempts.size()
                + " attempts (" + String.join(", ", attempts) + "); last: " + lastText, last.reachedPortainer, last);
    }

    /** The HTTP status, or 0 when no answer came (refused connection, timeout). */
    public int status() {
        return status;
    }

    /** Portainer's message ({@code message: details}), or what went wrong when there was no answer. */
    public String reason() {
        return reason;
    }

    /**
     * True when Portainer may have started work for the request although its answer is unknown: no answer
     * within the timeout, a connection dropped after sending, or a proxy in front of Portainer that gave up
     * (502, 504). Such a deploy must not be sent again.
     */
    boolean outcomeUnknown() {
        return reachedPortainer && (status == 0 || status == 502 || status == 504);
    }
}
