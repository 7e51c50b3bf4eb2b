package io.deployflow.git;

import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.nio.file.Path;
import java.util.Map;

/**
 * Git credentials, only ever from the environment that Jenkins' {@code withCredentials} sets:
 * {@code DEPLOYFLOW_GIT_USERNAME}/{@code DEPLOYFLOW_GIT_PASSWORD} for http(s) remotes (a token works as password)
 * and {@code DEPLOYFLOW_GIT_SSH_KEY}, the path of a private key file, for ssh remotes.
 */
public final class GitCredentials {
    public static final String USERNAME = "DEPLOYFLOW_GIT_USERNAME";
    public static final String PASSWORD = "DEPLOYFLOW_GIT_PASSWORD";
    public static final String SSH_KEY = "DEPLOYFLOW_GIT_SSH_KEY";

    private final Map<String, String> env;

    public GitCredentials(Map<String, String> env) {
        this.env = env;
    }

    public static GitCredentials fromEnvironment() {
        return new GitCredentials(System.getenv());
    }

    /** Applies whatever credentials the environment holds to a fetch, clone or push. */
    public <C extends TransportCommand<C, ?>> C apply(C command) {
        String user = env.get(USERNAME);
        String password = env.get(PASSWORD);
        if (password != null && !password.isEmpty()) {
            command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(
                    user == null || user.isEmpty() ? "git" : user, password));
        }
        String key = env.get(SSH_KEY);
        command.setTransportConfigCallback(transport -> {
            if (transport instanceof SshTransport ssh) {
                ssh.setSshSessionFactory(new OpenSshSessionFactory(
                        key == null || key.isEmpty() ? null : Path.of(key)));
            }
        });
        return command;
    }
}
