package io.deployflow.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a customer's stack runs in Portainer. Credentials are never in the file: only the names of the
 * environment variables that Jenkins' withCredentials sets. Every value keeps where it was written
 * ({@link #at(String)}), because most of them can only be found wrong once Portainer is asked.
 */
public record PortainerTarget(String url, String endpoint, String stack, String apiKeyEnv, String usernameEnv,
                              String passwordEnv, boolean createIfMissing, Map<String, String> env, boolean prune,
                              boolean pullImage, String deployedUrl, String buildSections, String relativeMounts,
                              int waitSeconds, Map<String, FieldRef> refs) {
    static final List<String> KEYS = List.of("url", "endpoint", "stack", "apiKeyEnv", "usernameEnv", "passwordEnv",
            "createIfMissing", "env", "prune", "pullImage", "deployedUrl", "buildSections", "relativeMounts",
            "waitSeconds");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern URL = Pattern.compile("https?://\\S+");
    /** Portainer's own rule (api/exec/common.go, stackNameNormalizeRegex, applied after lower-casing). */
    private static final Pattern NOT_KEPT_IN_NAMES = Pattern.compile("[^-_a-z0-9]+");
    private static final String SECTION = "";

    static PortainerTarget from(YamlNode node) {
        node.allowOnly(KEYS);
        String url = node.matching("url", null, URL, "an http(s) URL");
        if (url == null) {
            node.require("url");
        }
        Map<String, FieldRef> refs = new LinkedHashMap<>();
        refs.put(SECTION, FieldRef.of(node));
        KEYS.forEach(key -> refs.put(key, FieldRef.of(node, key)));
        YamlNode envNode = node.get("env");
        if (envNode != null) {
            envNode.entries().forEach((name, value) -> refs.put("env." + name, FieldRef.of(value)));
        }
        return new PortainerTarget(url, node.string("endpoint"), stackName(node.require("stack")),
                node.matching("apiKeyEnv", "PORTAINER_API_KEY", ENV_NAME, "an environment variable name"),
                node.matching("usernameEnv", "PORTAINER_USERNAME", ENV_NAME, "an environment variable name"),
                node.matching("passwordEnv", "PORTAINER_PASSWORD", ENV_NAME, "an environment variable name"),
                node.bool("createIfMissing", false), node.stringMap("env"), node.bool("prune", true),
                node.bool("pullImage", true), node.matching("deployedUrl", null, URL, "an http(s) URL"),
                node.matching("buildSections", "refuse", Pattern.compile("refuse|drop"),
                        "'refuse' (stop with an error) or 'drop' (use the image and remove build:)"),
                node.matching("relativeMounts", "refuse", Pattern.compile("refuse|named-volume"),
                        "'refuse' or 'named-volume' (turn ./dir mounts into named volumes)"),
                node.integer("waitSeconds", 180, 1, 3600), Map.copyOf(refs));
    }

    /**
     * Portainer stores a stack under its normalised name: lower-cased, every character outside {@code [-_a-z0-9]}
     * removed (at creation, and again on every update). A name written any other way never matches the stored
     * one, so it is refused here with the name Portainer would keep, rather than silently translated: the name in
     * this file is the one people look for in Portainer and in {@code docker ps}.
     */
    private static String stackName(YamlNode value) {
        String name = value.asString();
        String kept = normalised(name);
        if (kept.isEmpty()) {
            throw value.error("'" + name + "' is not a stack name Portainer can keep: it lower-cases names and"
                    + " removes every character outside a-z, 0-9, - and _, which leaves nothing");
        }
        if (!kept.equals(name)) {
            throw value.error("'" + name + "' is not a stack name Portainer keeps as written: it lower-cases names"
                    + " and removes every character outside a-z, 0-9, - and _, so it stores this stack as '" + kept
                    + "'. Write stack: " + kept);
        }
        return name;
    }

    /** The name Portainer stores for {@code name}. */
    public static String normalised(String name) {
        return NOT_KEPT_IN_NAMES.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("");
    }

    /** Where {@code key} (a key of this section, or {@code env.NAME}) was written, else the section itself. */
    public FieldRef at(String key) {
        FieldRef ref = refs.get(key);
        return ref != null ? ref : refs.get(SECTION);
    }

    /** Where the {@code portainer:} section starts. */
    public FieldRef section() {
        return refs.get(SECTION);
    }
}
