package io.deployflow.git;

import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RemoteSession2;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SSH for JGit through the agent's own OpenSSH client, with the key named by {@code DEPLOYFLOW_GIT_SSH_KEY}.
 * JGit's core jar has no SSH implementation (that needs Apache MINA sshd, a large extra dependency); every CI agent
 * has {@code ssh}, which also honours the agent's {@code ~/.ssh/config} and {@code known_hosts}. BatchMode makes a
 * missing host key or a passphrase prompt fail at once instead of hanging the build.
 */
final class OpenSshSessionFactory extends SshSessionFactory {
    private final Path key;
    private final Path knownHosts;

    OpenSshSessionFactory(Path key, Path knownHosts) {
        this.key = key;
        this.knownHosts = knownHosts;
    }

    @Override
    public String getType() {
        return "openssh";
    }

    @Override
    public Session getSession(URIish uri, CredentialsProvider credentials, FS fs, int timeoutSeconds) {
        return new Session(command(uri, key, knownHosts, timeoutSeconds));
    }

    /**
     * The ssh command line before the remote command; the key is a path, never the key itself. A known-hosts file,
     * when given, replaces the user's and is enforced strictly: a CI agent must not trust a host on first sight.
     */
    static List<String> command(URIish uri, Path key, Path knownHosts, int timeoutSeconds) {
        List<String> args = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes"));
        if (key != null) {
            args.addAll(List.of("-i", key.toString(), "-o", "IdentitiesOnly=yes"));
        }
        if (knownHosts != null) {
            args.addAll(List.of("-o", "UserKnownHostsFile=" + knownHosts, "-o", "StrictHostKeyChecking=yes"));
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
            return new SshProcess(pb.start());
        }

        @Override
        public void disconnect() {
            // each exec is its own ssh process; it ends with the command
        }
    }

    /**
     * The ssh process as JGit gets it. When the server refuses (no key, unknown repository) JGit reads the error
     * and then asks {@code exitValue()} while ssh may still be closing down; the plain Process throws
     * IllegalThreadStateException then, which escaped as an internal error instead of "Permission denied". Here
     * exitValue() first waits a moment for ssh to end.
     */
    static final class SshProcess extends Process {
        private static final long EXIT_WAIT_SECONDS = 10;
        private final Process ssh;

        SshProcess(Process ssh) {
            this.ssh = ssh;
        }

        @Override
        public int exitValue() {
            try {
                ssh.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ssh.exitValue();
        }

        @Override
        public OutputStream getOutputStream() {
            return ssh.getOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return ssh.getInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return ssh.getErrorStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            return ssh.waitFor();
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            return ssh.waitFor(timeout, unit);
        }

        @Override
        public boolean isAlive() {
            return ssh.isAlive();
        }

        @Override
        public void destroy() {
            ssh.destroy();
        }

        @Override
        public Process destroyForcibly() {
            ssh.destroyForcibly();
            return this;
        }

        @Override
        public ProcessHandle toHandle() {
            return ssh.toHandle();
        }
    }
}
