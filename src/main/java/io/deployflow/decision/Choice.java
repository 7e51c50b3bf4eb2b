package io.deployflow.decision;

import io.deployflow.core.BadInputException;

import java.util.Arrays;

/**
 * The team's choices after a failed test (S0 "Errorhandling"), with the step the pipeline goes to next.
 */
public enum Choice {
    /** The repo-person fixes it today; the component goes back to release verification. */
    RETRY("retry", "release-verification", "SUCCESS"),
    /** Release the component with its error: on to the Portainer deployment. */
    RELEASE_WITH_ERROR("release-with-error", "portainer-deployment", "UNSTABLE"),
    /** Release everything but the component: its version goes back to production's, then on to Portainer. */
    RELEASE_WITHOUT("release-without", "portainer-deployment", "UNSTABLE"),
    /** Do not release: the customer is told, and the team looks back at what went wrong. */
    DO_NOT_RELEASE("do-not-release", "stop", "FAILURE");

    private final String cliName;
    private final String next;
    private final String buildResult;

    Choice(String cliName, String next, String buildResult) {
        this.cliName = cliName;
        this.next = next;
        this.buildResult = buildResult;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * What the choice means for the build's result, so that the result says what happened: a retry leaves it to
     * what follows; a release with a known error, or without a component, is delivered but not as planned
     * (UNSTABLE); nothing released is a FAILURE.
     */
    public String buildResult() {
        return buildResult;
    }

    /** The pipeline step that follows this decision. */
    public String next() {
        return next;
    }

    public static Choice fromCli(String name) {
        return Arrays.stream(values()).filter(c -> c.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new BadInputException(null, 0, "--choice", "'" + name + "' is not a choice; use "
                        + String.join(", ", Arrays.stream(values()).map(Choice::cliName).toList())));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
