package io.deployflow.compose;

import java.util.regex.Pattern;

/**
 * The version check for image tags: SemVer 2.0.0 exactly (semver.org's own expression), minus build metadata,
 * because {@code +} is not allowed in an image tag and Docker would refuse the file we wrote.
 */
public final class StrictSemVer {
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(-((0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(\\.(0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?");

    private StrictSemVer() {
    }

    public static boolean isValid(String version) {
        return version != null && SEMVER.matcher(version).matches();
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
