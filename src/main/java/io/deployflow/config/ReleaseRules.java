package io.deployflow.config;

import io.deployflow.core.BadInputException;
import io.deployflow.core.InputProblemsException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which commits make a release, and how big (the release meeting's "no release needed"): a Conventional Commits
 * type to {@code major}, {@code minor}, {@code patch} or {@code none}, and {@code "*"} for every other commit,
 * untyped ones included. A breaking change always makes a major release.
 *
 * <p>The default is semantic-release's commit analyzer ({@code lib/default-release-rules.js} of
 * semantic-release/commit-analyzer): {@code feat} minor; {@code fix}, {@code perf} and {@code revert} patch;
 * anything breaking major; nothing else releases. So a component that only got {@code docs:}, {@code chore:} or
 * {@code ci:} commits since its release needs no release, as those tools decide.
 */
public record ReleaseRules(Map<String, String> byType, String otherwise) {
    public static final String MAJOR = "major";
    public static final String MINOR = "minor";
    public static final String PATCH = "patch";
    public static final String NONE = "none";
    static final String OTHERS = "*";
    private static final List<String> BUMPS = List.of(MAJOR, MINOR, PATCH, NONE);
    private static final Pattern TYPE = Pattern.compile("[A-Za-z]+");

    public static ReleaseRules defaults() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("feat", MINOR);
        rules.put("fix", PATCH);
        rules.put("perf", PATCH);
        rules.put("revert", PATCH);
        return new ReleaseRules(Map.copyOf(rules), NONE);
    }

    static ReleaseRules from(YamlNode node) {
        Map<String, String> rules = new LinkedHashMap<>();
        String otherwise = NONE;
        if (node.entries().isEmpty()) {
            throw node.error("is empty, so only breaking changes would make a release; leave it out for the default"
                    + " (feat: minor, fix: patch, perf: patch, revert: patch)");
        }
        List<BadInputException> problems = new ArrayList<>();
        for (Map.Entry<String, YamlNode> rule : node.entries().entrySet()) {
            String type = rule.getKey();
            YamlNode value = rule.getValue();
            if (!type.equals(OTHERS) && !TYPE.matcher(type).matches()) {
                problems.add(value.error("'" + type + "' is not a commit type (letters only, such as feat or docs),"
                        + " nor \"*\" for every other commit"));
                continue;
            }
            String bump = value.isScalar() ? value.asString().toLowerCase(Locale.ROOT) : "";
            if (!BUMPS.contains(bump)) {
                problems.add(value.error("must be major, minor, patch or none"
                        + (value.isScalar() ? ", not '" + value.asString() + "'" : "")));
            } else if (type.equals(OTHERS)) {
                otherwise = bump;
            } else {
                rules.put(type.toLowerCase(Locale.ROOT), bump);
            }
        }
        if (problems.size() == 1) {
            throw problems.get(0);
        }
        if (!problems.isEmpty()) {
            throw new InputProblemsException(problems);
        }
        return new ReleaseRules(Map.copyOf(rules), otherwise);
    }

    /** What a commit of this type makes, by these rules: major, minor, patch or none. Null type: untyped. */
    public String bumpFor(String type, boolean breaking) {
        if (breaking) {
            return MAJOR;
        }
        return type == null ? otherwise : byType.getOrDefault(type.toLowerCase(Locale.ROOT), otherwise);
    }
}
