package io.deployflow.portainer;

import io.deployflow.config.FieldRef;
import io.deployflow.config.PortainerTarget;
import io.deployflow.core.BadInputException;

import java.util.function.Function;

/**
 * How deployflow proves who it is to Portainer: an API key ({@code X-API-Key}), else a username and password
 * exchanged for a JWT. The values come only from environment variables, named in config, and are never part of a
 * message: messages name the variable instead.
 */
public final class Credentials {
    private final String apiKey;
    private final String username;
    private final String password;
    private final String source;
    private final FieldRef configured;

    private Credentials(String apiKey, String username, String password, String source, FieldRef configured) {
        this.apiKey = apiKey;
        this.username = username;
        this.password = password;
        this.source = source;
        this.configured = configured;
    }

    /** Resolves before any call, so missing credentials stop the deploy with nothing touched (exit 2). */
    public static Credentials from(PortainerTarget target, Function<String, String> environment) {
        String key = environment.apply(target.apiKeyEnv());
        if (key != null && !key.isBlank()) {
            return new Credentials(key.strip(), null, null, "$" + target.apiKeyEnv(), target.at("apiKeyEnv"));
        }
        String user = environment.apply(target.usernameEnv());
        String pass = environment.apply(target.passwordEnv());
        if (user != null && !user.isBlank() && pass != null && !pass.isEmpty()) {
            return new Credentials(null, user, pass, "$" + target.usernameEnv() + "/$" + target.passwordEnv(),
                    target.at("usernameEnv"));
        }
        throw target.at("apiKeyEnv").error("no Portainer credentials: set the"
                + " environment variable " + target.apiKeyEnv() + " to an API key (Jenkins: withCredentials), or "
                + target.usernameEnv() + " and " + target.passwordEnv());
    }

    /** Portainer did not accept who we are (401): the key or login in the named variables is wrong. */
    BadInputException refused(String what) {
        return configured.error("Portainer refused the credentials from " + source + " (" + what + ")");
    }

    /**
     * Portainer knows who we are but the user may not do this (403): a permission to change in Portainer, not a
     * wrong key. Portainer's own message says which rule refused it, such as "Stack editing is disabled for
     * non-admin users" (stack_update.go, updateStackInTx).
     */
    BadInputException denied(String call, String message) {
        return configured.error("Portainer denied permission to the user of " + source + ": " + message + " (403"
                + " on " + call + "). The credentials are valid; that user may not do this. A Portainer"
                + " administrator can allow it (the user's role on the environment, access to the stack, or the"
                + " environment's setting that lets non-administrators manage stacks), or use another user's key");
    }

    boolean isApiKey() {
        return apiKey != null;
    }

    String apiKey() {
        return apiKey;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    /** Names where the credentials came from, never what they are. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Credentials from " + source;
    }
}
