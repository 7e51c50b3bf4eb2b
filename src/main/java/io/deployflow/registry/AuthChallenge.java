package io.deployflow.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge from a registry: {@code Bearer realm="…",service="…",scope="…"} (token
 * flow, as Docker Hub, GHCR, Harbor and distribution's token auth use) or {@code Basic realm="…"} (htpasswd).
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

    /** Parses the header; empty when it is missing or names a scheme we cannot answer. */
    static Optional<AuthChallenge> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        if (!scheme.equals("bearer") && !scheme.equals("basic")) {
            return Optional.empty();
        }
        return Optional.of(new AuthChallenge(scheme, space < 0 ? Map.of() : parameters(trimmed.substring(space + 1))));
    }

    /** {@code key="value"} pairs separated by commas; values may be quoted and contain commas (scopes do). */
    private static Map<String, String> parameters(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < text.length() && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            result.put(key, value.toString().trim());
        }
        return result;
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    String realm() {
        return parameters.get("realm");
    }

    String service() {
        return parameters.get("service");
    }

    String scope() {
        return parameters.get("scope");
    }
}
