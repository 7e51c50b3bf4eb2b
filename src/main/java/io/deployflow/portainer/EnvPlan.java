package io.deployflow.portainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The variables a deploy sends. Portainer replaces the stack's whole {@code Env} with what a PUT carries (omitting it
 * wipes every variable), so the plan always starts from the stack's current variables, lays the tested env file
 * over them, then the configured changes. An env file is an example committed to a repository: it never replaces a
 * secret-looking variable (PASSWORD, SECRET, TOKEN, KEY...) that the stack already has.
 */
public record EnvPlan(List<EnvVar> merged, Map<String, String> previousOfChanged, List<String> keptSecrets) {

    public static EnvPlan of(List<EnvVar> current, Map<String, String> envFile, Map<String, String> configured) {
        Map<String, String> merged = new LinkedHashMap<>();
        current.forEach(v -> merged.put(v.name(), v.value()));
        Map<String, String> before = new LinkedHashMap<>(merged);
        List<String> keptSecrets = new ArrayList<>();
        envFile.forEach((name, value) -> {
            if (before.containsKey(name) && looksSecret(name) && !value.equals(before.get(name))) {
                keptSecrets.add(name);
            } else {
                merged.put(name, value);
            }
        });
        merged.putAll(configured);
        Map<String, String> previous = new LinkedHashMap<>();
        for (String name : new TreeSet<>(merged.keySet())) {
            if (!before.containsKey(name) || !before.get(name).equals(merged.get(name))) {
                previous.put(name, before.get(name));
            }
        }
        List<EnvVar> list = new ArrayList<>();
        merged.forEach((n, v) -> list.add(new EnvVar(n, v)));
        return new EnvPlan(List.copyOf(list), previous, List.copyOf(keptSecrets));
    }

    public static boolean looksSecret(String name) {
        return io.deployflow.core.SecretNames.looksSecret(name);
    }

    public boolean changesAnything() {
        return !previousOfChanged.isEmpty();
    }
}
