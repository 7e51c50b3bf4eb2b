package io.deployflow.git;

import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RemoteSession2;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SSH for JGit through the agent's own OpenSSH client, with the key named by {@code DEPLOYFLOW_GIT_SSH_KEY}.
 * JGit's core jar has no SSH implementation (that needs Apache MINA sshd, a large extra dependency); every CI agent
 * has {@code ssh}, which also honours the agent's {@code ~/.ssh/config} and {@code known_hosts}. BatchMode makes a
 * missing host key or a passphrase prompt fail at once instead of hanging the build.
 */
final class OpenSshSessionFactory extends SshSessionFactory {
    private final Path key;

    OpenSshSessionFactory(Path key) {
        this.key = key;
    }

    @Override
    public String getType() {
        return "openssh";
    }

    @Override
    public Session getSession(URIish uri, CredentialsProvider credentials, FS fs, int timeoutSeconds) {
        return new Session(command(uri, key, timeoutSeconds));
    }

    /** The ssh command line before the remote command; the key is a path, never the key itself. */
    static List<String> command(URIish uri, Path key, int timeoutSeconds) {
        List<String> args = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes"));
        if (key != null) {
            args.addAll(List.of("-i", key.toString(), "-o", "IdentitiesOnly=yes"));
        }
        if (timeoutSeconds > 0) {
            args.addAll(List.of("-o", "ConnectTimeout=" + timeoutSeconds));
        }
        if (uri.getPort() > 0) {
            args.addAll(List.of("-p", String.valueOf(uri.getPort())));
        }
        args.add(uri.getUser() == null ? uri.getHost() : uri.getUser() + "@" + uri.getHost());
        return args;
    }

    static final class Session implements RemoteSession2 {
        private final List<String> ssh;

        Session(List<String> ssh) {
            this.ssh = ssh;
        }

        @Override
        public Process exec(String command, int timeout) throws IOException {
            return exec(command, Map.of(), timeout);
        }

        @Override
        public Process exec(String command, Map<String, String> environment, int timeout) throws IOException {
            List<String> args = new ArrayList<>(ssh);
            args.add(command);
            ProcessBuilder pb = new ProcessBuilder(args);
            pb.environment().putAll(environment);
            return pb.start();
        }

        @Override
        public void disconnect() {
            // each exec is its own ssh process; it ends with the command
        }
    }
}
