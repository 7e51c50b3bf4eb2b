package io.deployflow.delivery;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customer repository's own release version, tagged {@code v<MAJOR.MINOR.PATCH>} on its main branch.
 *
 * <p>Rule: the first delivery is 1.0.0. After that, the MINOR part goes up when the stack gains or loses an image,
 * or any image's major or minor version changes (including a tag that is not a semantic version); otherwise, for
 * patch-level image updates or changes to configuration and documentation alone, the PATCH part goes up. MAJOR is
 * never raised automatically: a breaking change for the customer is the team's call, made by tagging by hand.
 * The customer can read from the number alone whether a delivery brings features or only fixes.
 */
record CustomerVersion(int major, int minor, int patch) {
    static final String TAG_PREFIX = "v";
    private static final Pattern SEMVER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    static final CustomerVersion FIRST = new CustomerVersion(1, 0, 0);

    static Optional<CustomerVersion> parse(String text) {
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CustomerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** The highest {@code v<x.y.z>} among the given tag names (short names, without refs/tags/). */
    static Optional<CustomerVersion> latest(Collection<String> tagNames) {
        return tagNames.stream().filter(t -> t.startsWith(TAG_PREFIX))
                .map(t -> parse(t.substring(TAG_PREFIX.length()))).flatMap(Optional::stream)
                .max(Comparator.comparingInt(CustomerVersion::major).thenComparingInt(CustomerVersion::minor)
                        .thenComparingInt(CustomerVersion::patch));
    }

    /**
     * @param delivered image repository to tag in the stack customers have now (the main branch)
     * @param next      the same for the stack being delivered
     */
    static CustomerVersion next(Optional<CustomerVersion> latest, Map<String, String> delivered,
                                Map<String, String> next) {
        if (latest.isEmpty()) {
            return FIRST;
        }
        CustomerVersion current = latest.get();
        return isFeatureLevel(delivered, next) ? new CustomerVersion(current.major, current.minor + 1, 0)
                : new CustomerVersion(current.major, current.minor, current.patch + 1);
    }

    private static boolean isFeatureLevel(Map<String, String> delivered, Map<String, String> next) {
        if (!delivered.keySet().equals(next.keySet())) {
            return true;
        }
        Set<String> images = new HashSet<>(next.keySet());
        for (String image : images) {
            String before = delivered.get(image);
            String after = next.get(image);
            if (before.equals(after)) {
                continue;
            }
            Optional<CustomerVersion> b = parse(stripV(before));
            Optional<CustomerVersion> a = parse(stripV(after));
            if (b.isEmpty() || a.isEmpty() || b.get().major != a.get().major || b.get().minor != a.get().minor) {
                return true;
            }
        }
        return false;
    }

    private static String stripV(String tag) {
        return tag.startsWith("v") ? tag.substring(1) : tag;
    }

    String tagName() {
        return TAG_PREFIX + this;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
