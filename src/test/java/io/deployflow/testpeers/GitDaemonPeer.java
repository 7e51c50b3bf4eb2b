package io.deployflow.testpeers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code git daemon} serving every repository under a base directory, with push enabled. */
public final class GitDaemonPeer implements AutoCloseable {
    private final Peer peer;
    private final Path base;

    private GitDaemonPeer(Peer peer, Path base) {
        this.peer = peer;
        this.base = base;
    }

    public static GitDaemonPeer start(Path base) {
        int port = Peer.freePort();
        Peer peer = Peer.start("git-daemon", List.of("git", "daemon", "--export-all", "--reuseaddr",
                "--base-path=" + base, "--listen=127.0.0.1", "--port=" + port, "--enable=receive-pack",
                "--informative-errors", base.toString()), base.resolveSibling(base.getFileName() + "-daemon"),
                port, Duration.ofSeconds(20));
        return new GitDaemonPeer(peer, base);
    }

    /** The git:// URL of {@code base/<name>}. */
    public String url(String name) {
        return "git://127.0.0.1:" + peer.port() + "/" + name;
    }

    public Path base() {
        return base;
    }

    @Override
    public void close() {
        peer.close();
    }
}
