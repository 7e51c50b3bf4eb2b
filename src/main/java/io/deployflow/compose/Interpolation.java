package io.deployflow.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's variable interpolation, in one place: what a value such as {@code fhir/terminology:${TERM_TAG:-0.4.0}}
 * becomes when Compose reads it with a given set of variables (the {@code .env} beside the file, or a Portainer
 * stack's variables). Supports what the compose specification lists: {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}} and {@code ${VAR-default}}, {@code ${VAR:?error}} and {@code ${VAR?error}},
 * {@code ${VAR:+replacement}} and {@code ${VAR+replacement}}, and {@code $$} for a literal dollar.
 */
public final class Interpolation {
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * The text as Compose would read it. {@code values} holds the variables each expression used, with the value
     * taken (null for one that is not set); {@code unset} names those Compose replaces with nothing (it only warns);
     * {@code errors} the messages of {@code ${VAR?error}} expressions, which stop Compose.
     */
    public record Resolved(String text, Map<String, String> values, List<String> unset, List<String> errors) {
        public boolean complete() {
            return unset.isEmpty() && errors.isEmpty();
        }
    }

    private Interpolation() {
    }

    /** @param lookup a variable's value, or null when it is not set */
    public static Resolved resolve(String text, Function<String, String> lookup) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> unset = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        while (m.find()) {
            if (m.group().equals("$$")) {
                m.appendReplacement(out, "\\$");
                continue;
            }
            String name = m.group(1) != null ? m.group(1) : m.group(4);
            String value = lookup.apply(name);
            values.put(name, value);
            String op = m.group(2) == null ? "" : m.group(2);
            String operand = m.group(3);
            boolean set = value != null;
            boolean nonEmpty = set && !value.isEmpty();
            String replacement;
            switch (op) {
                case ":-" -> replacement = nonEmpty ? value : operand;
                case "-" -> replacement = set ? value : operand;
                case ":?", "?" -> {
                    boolean ok = op.equals(":?") ? nonEmpty : set;
                    if (!ok) {
                        errors.add(name + ": " + (operand.isEmpty() ? "required variable is not set" : operand));
                    }
                    replacement = ok ? value : "";
                }
                case ":+" -> replacement = nonEmpty ? operand : "";
                case "+" -> replacement = set ? operand : "";
                default -> {
                    if (!set) {
                        unset.add(name);
                    }
                    replacement = set ? value : "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return new Resolved(out.toString(), values, List.copyOf(unset), List.copyOf(errors));
    }

    /** Convenience for a map of variables. */
    public static Resolved resolve(String text, Map<String, String> variables) {
        return resolve(text, variables::get);
    }
}
