package io.deployflow.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's HAProxy on 127.0.0.1 in master-worker mode (as systemd runs it), in front of two colour servers:
 * backend {@code be} with servers {@code blue} (weight 100) and {@code green} (weight 0), an admin socket, a
 * server-state-file loaded on reload, the {@code X-Served-By} header naming the server that answered, and the
 * built-in Prometheus exporter on its own frontend. {@link #reload()} sends the master SIGUSR2, the reload systemd
 * does.
 */
public final class HaproxyPeer implements AutoCloseable {
    private final Peer peer;
    private final Path dir;
    private final int metricsPort;

    private HaproxyPeer(Peer peer, Path dir, int metricsPort) {
        this.peer = peer;
        this.dir = dir;
        this.metricsPort = metricsPort;
    }

    public static HaproxyPeer start(Path dir, int bluePort, int greenPort) {
        int port = Peer.freePort();
        int metrics = Peer.freePort();
        String config = """
                global
                  stats socket %1$s/admin.sock mode 600 level admin expose-fd listeners
                  server-state-file %1$s/server-state
                  maxconn 4096
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 30s
                  timeout server 30s
                  load-server-state-from-file global
                frontend fe
                  bind 127.0.0.1:%2$d
                  default_backend be
                frontend metrics
                  bind 127.0.0.1:%3$d
                  http-request use-service prometheus-exporter if { path /metrics }
                backend be
                  balance roundrobin
                  http-response set-header X-Served-By %%[srv_name]
                  server blue 127.0.0.1:%4$d weight 100
                  server green 127.0.0.1:%5$d weight 0
                """.formatted(dir, port, metrics, bluePort, greenPort);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("haproxy.cfg"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Peer peer = Peer.start("haproxy", List.of("haproxy", "-W", "-db", "-f", dir.resolve("haproxy.cfg").toString()),
                dir, port, Duration.ofSeconds(20));
        HaproxyPeer haproxy = new HaproxyPeer(peer, dir, metrics);
        haproxy.awaitSocket();
        return haproxy;
    }

    public Path socket() {
        return dir.resolve("admin.sock");
    }

    public Path config() {
        return dir.resolve("haproxy.cfg");
    }

    public Path serverStateFile() {
        return dir.resolve("server-state");
    }

    public String url() {
        return "http://127.0.0.1:" + peer.port();
    }

    public String metricsTarget() {
        return "127.0.0.1:" + metricsPort;
    }

    /** The reload systemd's {@code reload} does: SIGUSR2 to the master, which starts new workers from the file. */
    public void reload() {
        try {
            Process kill = new ProcessBuilder("kill", "-USR2", Long.toString(peer.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -USR2 failed");
            }
            Thread.sleep(1000);
            awaitSocket();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitSocket() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("HAProxy made no admin socket:\n" + peer.log());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public String log() {
        return peer.log();
    }

    @Override
    public void close() {
        peer.close();
    }
}
