package io.deployflow.bluegreen.haproxy;

import io.deployflow.core.OutsideSystemException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy's runtime API over its admin-level stats socket ({@code stats socket ... level admin}), from Java: one
 * connection per command, as {@code echo "cmd" | socat - admin.sock} does. Changes take effect at once, with no
 * reload and no dropped connection. A command HAProxy accepts answers an empty line; anything else it prints is
 * its refusal ("Permission denied", "No such server.").
 */
public final class HaproxySocket {
    private static final int CONNECT_ATTEMPTS = 5;
    private final Path socket;
    private final Duration timeout;

    public HaproxySocket(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public Path path() {
        return socket;
    }

    /** Runs a command that changes something; a non-empty answer is a refusal. */
    public void command(String command) {
        String answer = execute(command).strip();
        if (!answer.isEmpty()) {
            throw new OutsideSystemException("HAProxy " + socket, "refused '" + command + "': " + answer);
        }
    }

    /**
     * Sends one command and returns HAProxy's whole answer. Connection failures are retried briefly: during a
     * reload the socket is re-created by the new process.
     */
    public String execute(String command) {
        IOException last = null;
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            try {
                return once(command);
            } catch (IOException e) {
                last = e;
                pause(attempt * 100L);
            }
        }
        throw new OutsideSystemException("HAProxy " + socket, "cannot run '" + command + "': " + last.getMessage(),
                last);
    }

    private String once(String command) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
             Selector selector = Selector.open()) {
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("no complete answer within " + timeout.toMillis() + " ms");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                int n = channel.read(in);
                if (n < 0) {
                    return answer.toString(StandardCharsets.UTF_8);
                }
                answer.write(in.array(), 0, in.position());
                in.clear();
            }
        }
    }

    /** {@code show servers state <backend>}; empty when HAProxy has no such backend. */
    public List<ServerState> serversState(String backend) {
        String answer = execute("show servers state " + backend);
        List<ServerState> servers = new ArrayList<>();
        if (answer.startsWith("Can't find backend")) {
            return servers;
        }
        for (String line : answer.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.strip().equals("1")) {
                continue;
            }
            servers.add(ServerState.parse(line));
        }
        return servers;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
