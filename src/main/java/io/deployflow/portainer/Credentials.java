package io.deployflow.portainer;

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

    private Credentials(String apiKey, String username, String password, String source) {
        this.apiKey = apiKey;
        this.username = username;
        this.password = password;
        this.source = source;
    }

    /** Resolves before any call, so missing credentials stop the deploy with nothing touched (exit 2). */
    public static Credentials from(PortainerTarget target, Function<String, String> environment) {
        String key = environment.apply(target.apiKeyEnv());
        if (key != null && !key.isBlank()) {
            return new Credentials(key.strip(), null, null, "$" + target.apiKeyEnv());
        }
        String user = environment.apply(target.usernameEnv());
        String pass = environment.apply(target.passwordEnv());
        if (user != null && !user.isBlank() && pass != null && !pass.isEmpty()) {
            return new Credentials(null, user, pass, "$" + target.usernameEnv() + "/$" + target.passwordEnv());
        }
        throw new BadInputException(null, 0, "portainer.apiKeyEnv", "no Portainer credentials: set the"
                + " environment variable " + target.apiKeyEnv() + " to an API key (Jenkins: withCredentials), or "
                + target.usernameEnv() + " and " + target.passwordEnv());
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
