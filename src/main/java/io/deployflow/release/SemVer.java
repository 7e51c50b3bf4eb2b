package io.deployflow.release;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Semantic Versioning 2.0.0 version. Release tags are {@code <tagPrefix>MAJOR.MINOR.PATCH}; a tag with a
 * pre-release part ({@code v1.3.0-rc.1}) is parsed so it can be recognised, but it is never a release.
 */
public record SemVer(int major, int minor, int patch, String preRelease, String build) implements Comparable<SemVer> {
    private static final Pattern FORMAT = Pattern.compile(
            "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
                    + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    public static final SemVer INITIAL = new SemVer(0, 1, 0, null, null);

    /** Parses a version such as {@code 1.2.3} or {@code 1.3.0-rc.1}; empty when the text is not semver. */
    public static Optional<SemVer> tryParse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), m.group(4), m.group(5)));
    }

    public static SemVer parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(
                "'" + text + "' is not a semantic version (MAJOR.MINOR.PATCH, such as 1.4.0)"));
    }

    /** A release: no pre-release part. Build metadata does not make a release a pre-release. */
    public boolean isRelease() {
        return preRelease == null;
    }

    public SemVer nextMajor() {
        return new SemVer(major + 1, 0, 0, null, null);
    }

    public SemVer nextMinor() {
        return new SemVer(major, minor + 1, 0, null, null);
    }

    public SemVer nextPatch() {
        return new SemVer(major, minor, patch + 1, null, null);
    }

    /** SemVer precedence: numbers, then a release above its pre-releases; build metadata is ignored. */
    @Override
    public int compareTo(SemVer o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease == null || o.preRelease == null) {
            return preRelease == null ? (o.preRelease == null ? 0 : 1) : -1;
        }
        return comparePreRelease(preRelease.split("\\."), o.preRelease.split("\\."));
    }

    private static int comparePreRelease(String[] a, String[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean aNum = a[i].chars().allMatch(Character::isDigit);
            boolean bNum = b[i].chars().allMatch(Character::isDigit);
            int c;
            if (aNum && bNum) {
                c = new java.math.BigInteger(a[i]).compareTo(new java.math.BigInteger(b[i]));
            } else if (aNum != bNum) {
                c = aNum ? -1 : 1;
            } else {
                c = a[i].compareTo(b[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease)
                + (build == null ? "" : "+" + build);
    }
}
