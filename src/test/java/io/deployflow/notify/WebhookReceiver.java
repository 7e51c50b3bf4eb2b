package io.deployflow.notify;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * A real HTTP server on 127.0.0.1 standing in for a chat service's webhook endpoint: it keeps every request body
 * and answers with the status the test chooses (Slack answers 200 "ok", Teams workflows 202; failures 4xx/5xx).
 */
public final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    public final List<String> bodies = new CopyOnWriteArrayList<>();
    public final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private volatile IntSupplier status = () -> 200;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            int code = status.getAsInt();
            byte[] reply = (code / 100 == 2 ? "ok" : code == 404 ? "no_service" : "server_error")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    /** The URL of a hook path, like Slack's /services/T…/B…/token. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(IntSupplier next) {
        status = next;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
