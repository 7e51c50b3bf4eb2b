package io.deployflow.compose;

import java.util.List;

/**
 * What {@code compose set-versions} did: the files it rewrote (none on a second run with the same versions), one
 * line per service it looked at, and the Compose CLI that validated the result (null when none is installed).
 */
public record SetVersionsResult(String composeFile, List<String> filesChanged, List<ServiceChange> services,
                                List<SkippedComponent> skipped, String validatedWith) {

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

    public boolean changed() {
        return !filesChanged.isEmpty();
    }
}
