package io.deployflow.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The registry login, from {@code DEPLOYFLOW_REGISTRY_USERNAME} / {@code DEPLOYFLOW_REGISTRY_PASSWORD} (which the
 * library step binds with withCredentials). Never from arguments or files. {@code toString} hides the password
 * so the credentials can't leak into a log by accident.
 */
record RegistryCredentials(String username, String password) {
    static final String USERNAME = "DEPLOYFLOW_REGISTRY_USERNAME";
    static final String PASSWORD = "DEPLOYFLOW_REGISTRY_PASSWORD";

    /** The credentials in this environment, or null when none are set (anonymous pulls). */
    static RegistryCredentials from(Map<String, String> env) {
        String user = env.get(USERNAME);
        if (user == null || user.isEmpty()) {
            return null;
        }
        String password = env.get(PASSWORD);
        return new RegistryCredentials(user, password == null ? "" : password);
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[" + username + ", password hidden]";
    }
}
