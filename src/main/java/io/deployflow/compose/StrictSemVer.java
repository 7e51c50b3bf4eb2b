package io.deployflow.compose;

import io.deployflow.release.SemVer;

/**
 * The version check for image tags: {@link SemVer} exactly, minus build metadata, because {@code +} is not allowed
 * in an image tag and Docker would refuse the file we wrote; and at most 128 characters, the longest tag the OCI
 * distribution spec allows ({@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}).
 */
public final class StrictSemVer {
    static final int MAX_TAG_LENGTH = 128;

    private StrictSemVer() {
    }

    public static boolean isValid(String version) {
        return version != null && version.length() <= MAX_TAG_LENGTH
                && SemVer.tryParse(version).filter(v -> v.build() == null).isPresent();
    }

    /** Why a version was refused, for the error message. */
    public static String explain(String version) {
        if (version != null && version.length() > MAX_TAG_LENGTH) {
            return "'" + version.substring(0, 20) + "…' is " + version.length() + " characters long; an image tag"
                    + " holds at most " + MAX_TAG_LENGTH + " (OCI distribution spec)";
        }
        if (version != null && version.contains("+")) {
            return "'" + version + "' has build metadata (+...), which an image tag cannot hold";
        }
        return "'" + version + "' is not a valid semantic version (MAJOR.MINOR.PATCH[-prerelease], no leading"
                + " zeros, no 'v' prefix)";
    }
}
