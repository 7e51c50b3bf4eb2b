package io.deployflow.meeting;

import io.deployflow.config.ReleaseRules;
import io.deployflow.release.SemVer;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The next version from the Conventional Commits since the last release, by the team's {@link ReleaseRules}: the
 * biggest bump any commit makes (a breaking change, {@code type!:} or a {@code BREAKING CHANGE:} footer, is always
 * major). When no commit makes a release (only {@code docs:} or {@code chore:}, by the default rules) there is no
 * bump: no release is needed. A component never released starts at 0.1.0 whatever its commits say, because a first
 * release is not a change to anyone's contract: it is why the component is in the config.
 */
public enum VersionBump {
    MAJOR, MINOR, PATCH, INITIAL;

    /** Smallest to biggest, as the rules name them. */
    private static final List<String> ORDER = List.of(ReleaseRules.NONE, ReleaseRules.PATCH, ReleaseRules.MINOR,
            ReleaseRules.MAJOR);

    /** The bump the changes make; empty when none of them makes a release. */
    public static Optional<VersionBump> of(SemVer lastRelease, Collection<ConventionalCommit> changes,
                                           ReleaseRules rules) {
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        if (lastRelease == null) {
            return Optional.of(INITIAL);
        }
        String biggest = ReleaseRules.NONE;
        for (ConventionalCommit change : changes) {
            String bump = rules.bumpFor(change.type(), change.breaking());
            if (ORDER.indexOf(bump) > ORDER.indexOf(biggest)) {
                biggest = bump;
            }
        }
        return switch (biggest) {
            case ReleaseRules.MAJOR -> Optional.of(MAJOR);
            case ReleaseRules.MINOR -> Optional.of(MINOR);
            case ReleaseRules.PATCH -> Optional.of(PATCH);
            default -> Optional.empty();
        };
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
