package io.deployflow.compose;

import java.util.List;

/**
 * What {@code compose set-versions} did: the files it rewrote (none on a second run with the same versions), one
 * line per service it looked at, and the Compose CLI that validated the result (null when none is installed or
 * nothing changed) with its version. {@code originalComplaint} is what that CLI already said about the file before
 * the edit (null when it accepted it): the edit stands when it adds no complaint of its own.
 */
public record SetVersionsResult(String composeFile, List<String> filesChanged, List<ServiceChange> services,
                                List<SkippedComponent> skipped, String validatedWith, String validatorVersion,
                                String originalComplaint) {

    /**
     * One service's tag: {@code from} is null when the image had no tag; {@code where} names the file, line and
     * what was edited there (the tag, a {@code ${VAR:-default}} default, or a .env variable).
     */
    public record ServiceChange(String service, String component, String image, String from, String to,
                                String where, boolean changed) {
    }

    /** A planned component the compose file does not run (only with a plan, where that is expected). */
    public record SkippedComponent(String component, String version, String reason) {
    }

    /** The same result with the planned components the stack does not run. */
    public SetVersionsResult withSkipped(List<SkippedComponent> skippedComponents) {
        return new SetVersionsResult(composeFile, filesChanged, services, List.copyOf(skippedComponents),
                validatedWith, validatorVersion, originalComplaint);
    }

    public boolean changed() {
        return !filesChanged.isEmpty();
    }
}
