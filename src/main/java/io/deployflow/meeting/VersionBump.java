package io.deployflow.meeting;

import io.deployflow.release.SemVer;

import java.util.Collection;

/**
 * The next version from the Conventional Commits since the last release: any breaking change ({@code type!:} or a
 * {@code BREAKING CHANGE:} footer) → major; else any {@code feat} → minor; else patch. A component never released
 * starts at 0.1.0 whatever its commits say, because a first release is not a change to anyone's contract.
 */
public enum VersionBump {
    MAJOR, MINOR, PATCH, INITIAL;

    public static VersionBump of(SemVer lastRelease, Collection<ConventionalCommit> changes) {
        if (lastRelease == null) {
            return INITIAL;
        }
        if (changes.stream().anyMatch(ConventionalCommit::breaking)) {
            return MAJOR;
        }
        return changes.stream().anyMatch(ConventionalCommit::isFeature) ? MINOR : PATCH;
    }

    public SemVer apply(SemVer lastRelease) {
        return switch (this) {
            case MAJOR -> lastRelease.nextMajor();
            case MINOR -> lastRelease.nextMinor();
            case PATCH -> lastRelease.nextPatch();
            case INITIAL -> SemVer.INITIAL;
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
