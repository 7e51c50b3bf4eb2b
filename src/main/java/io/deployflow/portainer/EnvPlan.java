package io.deployflow.portainer;

import io.deployflow.core.SecretNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The variables a deploy sends. Portainer replaces the stack's whole {@code Env} with what a write carries
 * (omitting it wipes every variable, on every version), so the plan starts from the stack's current variables,
 * lays the tested env file over them, then the configured changes.
 * <p>
 * An env file is an example committed to a repository. Every variable in it replaces the stack's value, so the
 * stack runs what was tested, except the variables declared secret ({@link SecretNames}): an env file that would
 * replace a secret the stack holds with another value is refused ({@link #secretOverwrites()}), because keeping
 * the old value silently would deploy a configuration nobody tested, and taking the example would put an example
 * password into production.
 *
 * @param secretsFromEnvFile declared secrets the stack did not have, now set from the env file's example value
 * @param secretOverwrites   declared secrets the env file would change; the deploy must not go ahead
 */
public record EnvPlan(List<EnvVar> merged, Map<String, String> previousOfChanged, List<String> secretsFromEnvFile,
                      List<String> secretOverwrites) {

    public static EnvPlan of(List<EnvVar> current, Map<String, String> envFile, Map<String, String> configured,
                             SecretNames secrets) {
        Map<String, String> merged = new LinkedHashMap<>();
        current.forEach(v -> merged.put(v.name(), v.value()));
        Map<String, String> before = new LinkedHashMap<>(merged);
        List<String> overwrites = new ArrayList<>();
        List<String> fromEnvFile = new ArrayList<>();
        envFile.forEach((name, value) -> {
            boolean secret = secrets.isSecret(name) && !configured.containsKey(name);
            if (secret && before.containsKey(name) && !value.equals(before.get(name))) {
                overwrites.add(name);
            } else if (secret && !before.containsKey(name)) {
                fromEnvFile.add(name);
            }
            merged.put(name, value);
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
        return new EnvPlan(List.copyOf(list), previous, List.copyOf(fromEnvFile), List.copyOf(overwrites));
    }

    public boolean changesAnything() {
        return !previousOfChanged.isEmpty();
    }
}
