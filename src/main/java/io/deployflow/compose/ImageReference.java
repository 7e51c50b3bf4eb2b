package io.deployflow.compose;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image value split the way Docker splits it: {@code [host[:port]/]path[:tag][@digest]}. The tag's colon is
 * the last one after the last slash, so a registry port ({@code localhost:5000/x:1.0}) is never taken for a tag.
 * Characters inside {@code ${...}} are skipped while splitting, so {@code x:${TAG:-1.0}} has the tag
 * {@code ${TAG:-1.0}}. Offsets are into the value text.
 */
record ImageReference(String repository, int tagStart, int tagEnd, String digest) {
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    static ImageReference parse(String value) {
        int at = -1;
        int lastSlash = -1;
        int lastColon = -1;
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (depth == 0 && c == '@' && at < 0) {
                at = i;
            } else if (depth == 0 && at < 0 && c == '/') {
                lastSlash = i;
            } else if (depth == 0 && at < 0 && c == ':') {
                lastColon = i;
            }
        }
        int bodyEnd = at < 0 ? value.length() : at;
        String digest = at < 0 ? null : value.substring(at + 1);
        if (lastColon > lastSlash) {
            return new ImageReference(value.substring(0, lastColon), lastColon + 1, bodyEnd, digest);
        }
        return new ImageReference(value.substring(0, bodyEnd), -1, bodyEnd, digest);
    }

    boolean hasTag() {
        return tagStart >= 0;
    }

    /**
     * The repository with variables replaced from .env and defaults, so {@code ${REGISTRY}/fhir/x} can still match a
     * component; null when a variable has no value here.
     */
    String resolvedRepository(EnvFile env) {
        Matcher m = VARIABLE.matcher(repository);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(4);
            EnvFile.Entry entry = env == null ? null : env.get(name);
            String op = m.group(2);
            String value;
            if (entry != null && !(":-".equals(op) && entry.value().isEmpty())) {
                value = entry.value();
            } else if (op != null && op.endsWith("-")) {
                value = m.group(3);
            } else {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The tag text read as a literal, or as exactly one variable expression. */
    static TagExpression tagExpression(String tag) {
        if (!tag.contains("$")) {
            return new TagExpression(null, null, -1, tag);
        }
        Matcher m = VARIABLE.matcher(tag);
        if (!m.matches()) {
            return null;
        }
        if (m.group(4) != null) {
            return new TagExpression(m.group(4), null, -1, null);
        }
        String op = m.group(2);
        return new TagExpression(m.group(1), op, op == null ? -1 : m.start(3), m.group(3));
    }

    /**
     * A tag as written: a literal ({@code name == null}), or a variable with Compose's operator ({@code :-}, {@code -},
     * {@code :?}, {@code ?} or none) and, for {@code :-} and {@code -}, the default and its offset in the tag text.
     */
    record TagExpression(String name, String operator, int defaultOffset, String defaultText) {
        boolean isLiteral() {
            return name == null;
        }

        boolean hasDefault() {
            return operator != null && operator.endsWith("-");
        }

        /** Whether Compose takes the .env value rather than the default, given the .env entry (or null). */
        boolean usesEnv(EnvFile.Entry entry) {
            if (entry == null) {
                return false;
            }
            return !(operator != null && operator.startsWith(":") && entry.value().isEmpty());
        }
    }
}
