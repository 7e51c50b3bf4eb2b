package io.deployflow.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which variables hold secrets, as the team declared them in {@code deployflow.yaml} ({@code secrets:} and
 * {@code customers[].secrets:}): exact names and name endings. Nothing is guessed from parts of a name: a guess
 * such as "contains KEY" took {@code KEYCLOAK_URL} and {@code MONKEY_LEVEL} for secrets and silently kept the
 * old, untested value in production. Names compare without regard to case, as {@code db_password} and
 * {@code DB_PASSWORD} mean the same to the people who write them.
 *
 * @param names    exact variable names
 * @param suffixes name endings, such as {@code _PASSWORD}
 */
public record SecretNames(Set<String> names, List<String> suffixes) {
    /** The list a team starts from; {@code secrets: {defaults: false}} starts from nothing instead. */
    public static final SecretNames DEFAULTS = new SecretNames(
            Set.of("PASSWORD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "SECRET_KEY"),
            List.of("_PASSWORD", "_PASSWD", "_PASS", "_SECRET", "_TOKEN", "_API_KEY", "_APIKEY", "_PRIVATE_KEY",
                    "_SECRET_KEY", "_ACCESS_KEY", "_CREDENTIALS"));
    public static final SecretNames NONE = new SecretNames(Set.of(), List.of());

    public SecretNames {
        names = Set.copyOf(names.stream().map(SecretNames::upper).toList());
        suffixes = List.copyOf(new LinkedHashSet<>(suffixes.stream().map(SecretNames::upper).toList()));
    }

    public boolean isSecret(String variable) {
        if (variable == null) {
            return false;
        }
        String name = upper(variable);
        return names.contains(name) || suffixes.stream().anyMatch(name::endsWith);
    }

    /** This declaration with another's names and endings added. */
    public SecretNames plus(SecretNames more) {
        Set<String> allNames = new LinkedHashSet<>(names);
        allNames.addAll(more.names);
        List<String> allSuffixes = new ArrayList<>(suffixes);
        allSuffixes.addAll(more.suffixes);
        return new SecretNames(allNames, allSuffixes);
    }

    private static String upper(String text) {
        return text.toUpperCase(Locale.ROOT);
    }
}
