package io.deployflow.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code docker-registry} (the CNCF distribution registry) on 127.0.0.1, optionally behind htpasswd basic
 * auth or a token (bearer) realm. Extra YAML under {@code auth:} is passed through as written.
 */
public final class RegistryPeer implements AutoCloseable {
    private final Peer peer;

    private RegistryPeer(Peer peer) {
        this.peer = peer;
    }

    /** An open registry. */
    public static RegistryPeer start(Path dir) {
        return start(dir, null);
    }

    /** @param authYaml the body of the {@code auth:} section, already indented by four spaces, or null */
    public static RegistryPeer start(Path dir, String authYaml) {
        int port = Peer.freePort();
        String config = "version: 0.1\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("data") + "\n  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n  secret: deployflow-test\n"
                + "log:\n  level: warn\n"
                + (authYaml == null ? "" : "auth:\n" + authYaml);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("registry.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RegistryPeer(Peer.start("docker-registry",
                List.of("docker-registry", "serve", dir.resolve("registry.yml").toString()), dir, port,
                Duration.ofSeconds(30)));
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
    public String hostPort() {
        return "127.0.0.1:" + peer.port();
    }

    public String log() {
        return peer.log();
    }

    @Override
    public void close() {
        peer.close();
    }
}
