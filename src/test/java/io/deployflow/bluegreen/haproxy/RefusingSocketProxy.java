package io.deployflow.bluegreen.haproxy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A Unix socket in front of HAProxy's real admin socket that forwards every command, except those matching
 * {@code refuse}, which it answers as HAProxy answers a command the socket's level does not allow:
 * {@code Permission denied} (the real text, seen on a {@code level operator} socket). It reproduces a socket that
 * refuses one command in the middle of a rollout, which a real HAProxy cannot be told to do on cue.
 */
final class RefusingSocketProxy implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile Predicate<String> refuse;

    RefusingSocketProxy(Path listen, Path haproxy, Predicate<String> refuse) throws IOException {
        this.refuse = refuse;
        Files.deleteIfExists(listen);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        thread = new Thread(() -> serve(haproxy), "refusing-socket");
        thread.setDaemon(true);
        thread.start();
    }

    void refuse(Predicate<String> which) {
        this.refuse = which;
    }

    private void serve(Path haproxy) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                String command = readLine(client);
                if (refuse.test(command)) {
                    client.write(ByteBuffer.wrap("Permission denied\n\n".getBytes(StandardCharsets.UTF_8)));
                    continue;
                }
                try (SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(haproxy))) {
                    upstream.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
                    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                    while (upstream.read(buffer) >= 0) {
                        buffer.flip();
                        client.write(buffer);
                        buffer.clear();
                    }
                }
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private static String readLine(SocketChannel channel) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (channel.read(one) > 0) {
            char c = (char) one.get(0);
            one.clear();
            if (c == '\n') {
                break;
            }
            line.append(c);
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
