package io.deployflow.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps secret values out of what deployflow keeps: the ledger (pushed to a shared repository and kept for years)
 * and the audit log. A value that reached them by accident (a token pasted into a rejection reason, a URL with a
 * password) could never be taken back. Every value of an environment variable whose name looks secret, and of
 * every variable named as holding a secret (the webhook URL variables), is replaced by {@code ***} wherever it
 * occurs, before anything is written. A name looks secret by the default list of {@link SecretNames} plus what the
 * team declared: masking a value that was no secret costs a little readability, missing one cannot be undone.
 */
public final class SecretValues {
    public static final String MASK = "***";
    /** Shorter values would mask ordinary words and numbers; no real credential is this short. */
    private static final int MIN_LENGTH = 6;

    private final List<String> secrets;

    public SecretValues(Map<String, String> env, SecretNames declared, Collection<String> alsoSecretVariables) {
        SecretNames secretNames = SecretNames.DEFAULTS.plus(declared);
        List<String> values = new ArrayList<>();
        env.forEach((name, value) -> {
            if (value != null && value.length() >= MIN_LENGTH
                    && (secretNames.isSecret(name) || alsoSecretVariables.contains(name))) {
                values.add(value);
            }
        });
        // longest first, so a secret that contains another is masked whole
        values.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(values);
    }

    public String text(String value) {
        if (value == null) {
            return null;
        }
        String out = value;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    /** A deep copy of JSON-like data with every string scrubbed (map keys too). */
    public Object data(Object value) {
        if (value instanceof String s) {
            return text(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(text(String.valueOf(k)), data(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(data(v)));
            return copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(Map<String, ?> data) {
        return (Map<String, Object>) data(data);
    }
}
