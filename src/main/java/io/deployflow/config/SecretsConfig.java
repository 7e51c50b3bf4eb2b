package io.deployflow.config;

import io.deployflow.core.SecretNames;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a {@code secrets:} section: {@code names} (exact variable names), {@code suffixes} (name endings) and, at
 * the top level only, {@code defaults} (false starts from an empty list instead of {@link SecretNames#DEFAULTS}).
 */
final class SecretsConfig {
    static final List<String> TEAM_KEYS = List.of("defaults", "names", "suffixes");
    static final List<String> CUSTOMER_KEYS = List.of("names", "suffixes");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9_]+");

    private SecretsConfig() {
    }

    /** The team's declaration: the defaults (unless switched off) plus what the section adds. */
    static SecretNames team(YamlNode node) {
        if (node == null) {
            return SecretNames.DEFAULTS;
        }
        node.allowOnly(TEAM_KEYS);
        SecretNames base = node.bool("defaults", true) ? SecretNames.DEFAULTS : SecretNames.NONE;
        return base.plus(listed(node));
    }

    /** A customer's declaration adds to the team's; it cannot take names away (that would be a silent keep). */
    static SecretNames customer(YamlNode node, SecretNames team) {
        if (node == null) {
            return team;
        }
        node.allowOnly(CUSTOMER_KEYS);
        return team.plus(listed(node));
    }

    private static SecretNames listed(YamlNode node) {
        return new SecretNames(java.util.Set.copyOf(checked(node, "names", NAME, "a variable name (letters, digits,"
                + " _; not starting with a digit)")), checked(node, "suffixes", SUFFIX, "the end of a variable name"
                + " (letters, digits, _), such as _PASSWORD"));
    }

    private static List<String> checked(YamlNode node, String key, Pattern pattern, String what) {
        YamlNode list = node.get(key);
        if (list == null) {
            return List.of();
        }
        List<YamlNode> items = list.isScalar() ? List.of(list) : list.items();
        for (YamlNode item : items) {
            if (!pattern.matcher(item.asString()).matches()) {
                throw item.error("'" + item.asString() + "' is not valid: " + what);
            }
        }
        return items.stream().map(YamlNode::asString).toList();
    }
}
