package org.jenkinsci.plugins.workflow.steps;

/**
 * Stands in for workflow-step-api's {@code FlowInterruptedException} on the test classpath: what an aborted
 * {@code input} or an expired {@code timeout} throws. It is an {@link InterruptedException}, which is what the
 * library's steps catch (its causes and result are refused in the sandbox, so nothing here offers them).
 */
public class FlowInterruptedException extends InterruptedException {
    private final String result;

    /** @param result the build result the interruption leads to, as Jenkins names it: ABORTED, FAILURE... */
    public FlowInterruptedException(String result, String message) {
        super(message);
        this.result = result;
    }

    /** For the harness only (a sandboxed job cannot call the real one). */
    public String buildResult() {
        return result;
    }
}
