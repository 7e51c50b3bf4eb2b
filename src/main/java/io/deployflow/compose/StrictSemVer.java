package io.deployflow.compose;

import io.deployflow.release.SemVer;

/**
 * The version check for image tags: {@link SemVer} exactly, minus build metadata, because {@code +} is not allowed
 * in an image tag and Docker would refuse the file we wrote.
 */
public final class StrictSemVer {
    private StrictSemVer() {
    }

    public static boolean isValid(String version) {
        return version != null && SemVer.tryParse(version).filter(v -> v.build() == null).isPresent();
    }

    /** Why a version was refused, for the error message. */
    public static String explain(String version) {
        if (version != null && version.contains("+")) {
            return "'" + version + "' has build metadata (+...), which an image tag cannot hold";
        }
        return "'" + version + "' is not a valid semantic version (MAJOR.MINOR.PATCH[-prerelease], no leading"
                + " zeros, no 'v' prefix)";
    }
}
