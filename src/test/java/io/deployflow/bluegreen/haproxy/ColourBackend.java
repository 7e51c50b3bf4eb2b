package io.deployflow.bluegreen.haproxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP service standing in for one colour's stack: it answers {@code <colour> <image>} on every path and
 * {@code /health} for the health check. Its image name decides how it behaves, like the busybox test images:
 * {@code ...sick...} fails its health check, {@code ...broken...} answers 500 to every request.
 */
final class ColourBackend {
    private final HttpServer server;
    private final ExecutorService executor;
    final String image;

    private ColourBackend(HttpServer server, ExecutorService executor, String image) {
        this.server = server;
        this.executor = executor;
        this.image = image;
    }

    static ColourBackend start(int port, String colour, String image) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
            ExecutorService executor = Executors.newFixedThreadPool(16);
            server.setExecutor(executor);
            boolean sick = image.contains("sick");
            boolean broken = image.contains("broken");
            server.createContext("/", exchange -> {
                if (exchange.getRequestURI().getPath().equals("/health")) {
                    answer(exchange, sick ? 503 : 200, sick ? "DOWN" : "UP");
                } else {
                    answer(exchange, broken ? 500 : 200, colour + " " + image);
                }
            });
            server.start();
            return new ColourBackend(server, executor, image);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + colour + " backend on " + port, e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }
}
