package io.deployflow.core;

/** An outside system (git remote, registry, Portainer, engine) failed after the retries we allow it. */
public class OutsideSystemException extends RuntimeException {
    private final String system;

    /** @param system what failed, named so a person can find it: a repo URL, a registry host, an API call */
    public OutsideSystemException(String system, String message, Throwable cause) {
        super(system + ": " + message, cause);
        this.system = system;
    }

    public OutsideSystemException(String system, String message) {
        this(system, message, null);
    }

    public String system() {
        return system;
    }
}
