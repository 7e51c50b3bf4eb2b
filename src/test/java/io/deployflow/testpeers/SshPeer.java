package io.deployflow.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * OpenSSH's {@code sshd} on 127.0.0.1 with its own host key and one authorised client key, so git over ssh is
 * tested against the real thing. Git runs on the server side as the current user, as on any git host.
 */
public final class SshPeer implements AutoCloseable {
    private final Peer peer;
    private final Path dir;

    private SshPeer(Peer peer, Path dir) {
        this.peer = peer;
        this.dir = dir;
    }

    public static SshPeer start(Path dir) {
        try {
            Files.createDirectories(dir);
            keygen(dir.resolve("host_key"));
            keygen(dir.resolve("client_key"));
            Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
            int port = Peer.freePort();
            Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                    "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password", "StrictModes no",
                    "UsePAM no", "PidFile " + dir.resolve("sshd.pid"), "LogLevel ERROR", ""));
            // sshd refuses to start without its privilege separation directory, which the service unit makes
            Files.createDirectories(Path.of("/run/sshd"));
            Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
                    + Files.readString(dir.resolve("host_key.pub")));
            Peer peer = Peer.start("sshd", List.of("/usr/sbin/sshd", "-D", "-e", "-f",
                    dir.resolve("sshd_config").toString()), dir, port, Duration.ofSeconds(20));
            return new SshPeer(peer, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("sshd peer could not be prepared in " + dir, e);
        }
    }

    private static void keygen(Path key) throws IOException {
        try {
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("ssh-keygen failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An ssh URL for a repository at an absolute path on this machine. */
    public String url(Path repository) {
        return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + peer.port() + repository;
    }

    public Path clientKey() {
        return dir.resolve("client_key");
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    public String log() {
        return peer.log();
    }

    @Override
    public void close() {
        peer.close();
    }
}
