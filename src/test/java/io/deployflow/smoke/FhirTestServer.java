package io.deployflow.smoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that behaves like a small FHIR service, so the runner is tested over real
 * sockets: it creates patients, reports health (optionally only after a delay), fails one route, is slow on
 * another, and counts how many requests it is serving at once.
 */
public final class FhirTestServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final long readyAtNanos;
    private final int workMillis;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    static {
        // Real servers (Tomcat, Jetty, nginx) set TCP_NODELAY; the JDK's does not by default, and then every answer on
        // a kept-alive connection waits ~40 ms for Nagle and the client's delayed ACK. Read once, before first use.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private FhirTestServer(int port, Duration unhealthyFor, int workMillis) throws IOException {
        this.readyAtNanos = System.nanoTime() + unhealthyFor.toNanos();
        this.workMillis = workMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server on a free port, healthy at once. */
    public static FhirTestServer start() throws IOException {
        return new FhirTestServer(0, Duration.ZERO, 0);
    }

    /**
     * @param port         0 for any free port
     * @param unhealthyFor /health answers 503 for this long after start
     * @param workMillis   every request takes at least this long, like a real service's processing time
     */
    public static FhirTestServer start(int port, Duration unhealthyFor, int workMillis) throws IOException {
        return new FhirTestServer(port, unhealthyFor, workMillis);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        requests.incrementAndGet();
        boolean counted = true;
        try {
            if (workMillis > 0) {
                sleep(workMillis);
            }
            // no longer in flight once the answer goes out: a client on a kept-alive connection may send its next
            // request the moment it has the answer, before this thread got here to count the previous one done
            inFlight.decrementAndGet();
            counted = false;
            route(exchange);
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
            exchange.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        switch (method + " " + path) {
            case "GET /health" -> {
                if (System.nanoTime() < readyAtNanos) {
                    send(ex, 503, "text/plain", "starting");
                } else {
                    send(ex, 200, "application/json", "{\"status\":\"UP\"}");
                }
            }
            case "POST /fhir/Patient" -> {
                if (body.contains("\"resourceType\": \"Patient\"") || body.contains("\"resourceType\":\"Patient\"")) {
                    send(ex, 201, "application/fhir+json",
                            "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Doe\"}],"
                                    + "\"meta\":{\"versionId\":1}}");
                } else {
                    send(ex, 400, "application/fhir+json",
                            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\"}]}");
                }
            }
            case "GET /fhir/Patient/p1" -> send(ex, 200, "application/fhir+json",
                    "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"active\":true}");
            case "GET /fhir/Observation" -> send(ex, 500, "text/plain",
                    "NullPointerException at <Observation> & \u0001\u0007 bad\r\nline two");
            case "GET /fhir/slow" -> {
                sleep(3000);
                send(ex, 200, "application/json", "{}");
            }
            case "GET /whoami" -> send(ex, 401, "text/plain",
                    "token not accepted: " + ex.getRequestHeaders().getFirst("Authorization"));
            case "GET /work" -> send(ex, 200, "application/json", "{\"ok\":true}");
            case "GET /" -> send(ex, 200, "text/plain", "FHIR test server");
            default -> send(ex, 404, "text/plain", "no route " + method + " " + path);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
