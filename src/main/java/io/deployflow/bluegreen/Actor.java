package io.deployflow.bluegreen;

import java.util.Map;

/**
 * Who runs a phase: the user id (the library passes the build's user as DEPLOYFLOW_USER, because Jenkins' sh has
 * no USER) and the build URL. Recorded in the lock and in every history entry.
 */
public record Actor(String user, String build) {
    public static Actor fromEnvironment(Map<String, String> env) {
        String user = env.getOrDefault("DEPLOYFLOW_USER", "");
        if (user.isBlank()) {
            user = env.getOrDefault("USER", "unknown");
        }
        return new Actor(user, env.getOrDefault("BUILD_URL", ""));
    }
}
