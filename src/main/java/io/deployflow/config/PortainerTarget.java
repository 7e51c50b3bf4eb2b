package io.deployflow.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a customer's stack runs in Portainer. Credentials are never in the file: only the names of the
 * environment variables that Jenkins' withCredentials sets.
 */
public record PortainerTarget(String url, String endpoint, String stack, String apiKeyEnv, String usernameEnv,
                              String passwordEnv, boolean createIfMissing, Map<String, String> env, boolean prune,
                              boolean pullImage, String deployedUrl, String buildSections, String relativeMounts,
                              int waitSeconds) {
    static final List<String> KEYS = List.of("url", "endpoint", "stack", "apiKeyEnv", "usernameEnv", "passwordEnv",
            "createIfMissing", "env", "prune", "pullImage", "deployedUrl", "buildSections", "relativeMounts",
            "waitSeconds");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern URL = Pattern.compile("https?://\\S+");

    static PortainerTarget from(YamlNode node) {
        node.allowOnly(KEYS);
        String url = node.matching("url", null, URL, "an http(s) URL");
        if (url == null) {
            node.require("url");
        }
        return new PortainerTarget(url, node.string("endpoint"), node.string("stack"),
                node.matching("apiKeyEnv", "PORTAINER_API_KEY", ENV_NAME, "an environment variable name"),
                node.matching("usernameEnv", "PORTAINER_USERNAME", ENV_NAME, "an environment variable name"),
                node.matching("passwordEnv", "PORTAINER_PASSWORD", ENV_NAME, "an environment variable name"),
                node.bool("createIfMissing", false), node.stringMap("env"), node.bool("prune", true),
                node.bool("pullImage", true), node.matching("deployedUrl", null, URL, "an http(s) URL"),
                node.matching("buildSections", "refuse", Pattern.compile("refuse|drop"),
                        "'refuse' (stop with an error) or 'drop' (use the image and remove build:)"),
                node.matching("relativeMounts", "refuse", Pattern.compile("refuse|named-volume"),
                        "'refuse' or 'named-volume' (turn ./dir mounts into named volumes)"),
                node.integer("waitSeconds", 180, 1, 3600));
    }
}
