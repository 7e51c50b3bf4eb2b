package io.deployflow.core;

/** The CLI's exit codes; every command and every library step relies on exactly these four. */
public final class ExitCode {
    /** Done, all checks passed. */
    public static final int OK = 0;
    /** A check failed: a smoke route, an analysis gate, a verification. */
    public static final int CHECK_FAILED = 1;
    /** Bad input: the message names file, line and field, and no target was touched. */
    public static final int BAD_INPUT = 2;
    /** An outside system failed (unreachable, 5xx, timeout) after retries. */
    public static final int OUTSIDE_SYSTEM_FAILED = 3;
    /** Not part of the contract: a deployflow bug. Pipelines treat it like any other failure. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCode() {
    }
}
