package io.deployflow.testpeers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real server process started for a test on 127.0.0.1. It never skips: if the program is missing or does not
 * start listening in time, the test fails with the program's own log, because a skipped peer is a test that
 * cannot fail.
 */
public final class Peer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private Peer(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code command} in {@code dir} and waits until it accepts TCP connections on {@code port}. */
    public static Peer start(String name, List<String> command, Path dir, int port, Duration timeout) {
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve(name + ".log");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Peer peer = new Peer(name, process, log, port);
            peer.awaitListening(timeout);
            return peer;
        } catch (IOException e) {
            throw new IllegalStateException(name + " could not start: " + command + ": " + e.getMessage()
                    + " (is it installed? .ci/run installs every peer)", e);
        }
    }

    /** A TCP port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException(name + " did not listen on 127.0.0.1:" + port + " within " + timeout
                + ":\n" + log());
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
