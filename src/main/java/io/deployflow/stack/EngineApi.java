package io.deployflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import io.deployflow.core.OutsideSystemException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Locale;
import java.util.Map;

/**
 * The few Docker engine API calls the local stack needs, spoken as plain HTTP/1.1 over the engine's socket.
 * java.net.http cannot talk to a Unix-domain socket, and pulling in a Docker client library for five GET requests
 * is not worth its weight, so each request opens a {@link SocketChannel}, sends one request with
 * {@code Connection: close} and reads until the engine closes. Works with Docker and with
 * {@code podman system service}.
 */
public final class EngineApi {
    /** Where an engine listens when DOCKER_HOST is unset, as the docker CLI assumes. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final String dockerHost;
    private final SocketAddress address;
    private final Duration timeout;

    /** One engine answer: status, lower-cased headers and the de-chunked body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * @param dockerHost {@code unix:///path} or {@code tcp://host:port} (plain TCP, as DOCKER_HOST spells it); null or
     *                   blank means {@link #DEFAULT_HOST}
     */
    public EngineApi(String dockerHost, Duration timeout) {
        this.dockerHost = dockerHost == null || dockerHost.isBlank() ? DEFAULT_HOST : dockerHost.trim();
        this.address = parse(this.dockerHost);
        this.timeout = timeout;
    }

    /** The engine that DOCKER_HOST in {@code env} names, as the docker CLI and Compose would pick it. */
    public static EngineApi fromEnvironment(Map<String, String> env) {
        String tlsVerify = env.get("DOCKER_TLS_VERIFY");
        if (tlsVerify != null && !tlsVerify.isBlank()) {
            throw new BadInputException(null, 0, "DOCKER_TLS_VERIFY",
                    "TLS engine connections are not supported; use a unix:// socket or an ssh tunnel to one");
        }
        return new EngineApi(env.get("DOCKER_HOST"), Duration.ofSeconds(30));
    }

    public String dockerHost() {
        return dockerHost;
    }

    private static SocketAddress parse(String host) {
        if (host.startsWith("unix://")) {
            return UnixDomainSocketAddress.of(Path.of(host.substring("unix://".length())));
        }
        if (host.startsWith("tcp://")) {
            URI uri = URI.create(host);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new BadInputException(null, 0, "DOCKER_HOST", "expected tcp://HOST:PORT, got " + host);
            }
            return new InetSocketAddress(uri.getHost(), uri.getPort());
        }
        throw new BadInputException(null, 0, "DOCKER_HOST",
                "expected unix:///path/to/docker.sock or tcp://HOST:PORT, got " + host);
    }

    /** Fails with exit 3 naming DOCKER_HOST unless the engine answers {@code GET /_ping}. */
    public void ping() {
        Response response = request("GET", "/_ping");
        if (!response.ok()) {
            throw new OutsideSystemException(system(), "engine answered /_ping with " + response.status());
        }
    }

    /** GET a JSON document; anything but 2xx is an engine failure. */
    public JsonNode getJson(String pathAndQuery) {
        Response response = request("GET", pathAndQuery);
        if (!response.ok()) {
            throw new OutsideSystemException(system(), "GET " + pathAndQuery + " answered " + response.status()
                    + ": " + abbreviate(response.text()));
        }
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new OutsideSystemException(system(), "GET " + pathAndQuery + " returned invalid JSON", e);
        }
    }

    /** Every container (running or not) that Compose created for {@code project}. */
    public List<JsonNode> projectContainers(String project) {
        return list(getJson("/containers/json?all=1&filters=" + labelFilter(project)));
    }

    /** Volumes and networks Compose labelled with {@code project}; {@code kind} is "volumes" or "networks". */
    public List<JsonNode> projectResources(String kind, String project) {
        JsonNode answer = getJson("/" + kind + "?filters=" + labelFilter(project));
        // GET /volumes wraps the list in {"Volumes": [...]}; GET /networks answers a bare list
        return list(answer.has("Volumes") ? answer.get("Volumes") : answer);
    }

    public JsonNode inspect(String containerId) {
        return getJson("/containers/" + containerId + "/json");
    }

    /** The last {@code lines} lines of a container's stdout and stderr, interleaved as the engine stored them. */
    public String logTail(String containerId, int lines, boolean tty) {
        Response response = request("GET", "/containers/" + containerId + "/logs?stdout=1&stderr=1&tail=" + lines);
        if (!response.ok()) {
            return "(logs unavailable: engine answered " + response.status() + ")";
        }
        byte[] text = tty ? response.body() : demultiplex(response.body());
        return new String(text, StandardCharsets.UTF_8);
    }

    /** Sends one request; any failure to talk to the engine is an outside-system failure naming DOCKER_HOST. */
    public Response request(String method, String pathAndQuery) {
        String head = method + " " + pathAndQuery + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: deployflow\r\n"
                + "Connection: close\r\n"
                + (method.equals("GET") ? "" : "Content-Length: 0\r\n") + "\r\n";
        try (SocketChannel channel = connect()) {
            ByteBuffer out = ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            return HttpResponseParser.parse(readAll(channel));
        } catch (IOException e) {
            throw new OutsideSystemException(system(), method + " " + pathAndQuery + " failed: " + describe(e), e);
        }
    }

    private SocketChannel connect() throws IOException {
        if (address instanceof UnixDomainSocketAddress) {
            return SocketChannel.open(address);
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(address, (int) timeout.toMillis());
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Reads until end of stream; a selector gives the read a deadline, which a blocking channel read lacks. */
    private byte[] readAll(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("no complete answer within " + timeout.toSeconds() + "s");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                int read;
                while ((read = channel.read(buffer)) > 0) {
                    all.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                if (read < 0) {
                    return all.toByteArray();
                }
            }
        }
    }

    /**
     * Splits the multiplexed log stream of a container without a TTY: each frame is one byte stream id, three zero
     * bytes, a four-byte big-endian length, then the payload. Anything that does not look like a frame is returned
     * as it is, because some engines send raw text.
     */
    static byte[] demultiplex(byte[] raw) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int i = 0;
        while (i + 8 <= raw.length) {
            int stream = raw[i];
            if (stream < 0 || stream > 2 || raw[i + 1] != 0 || raw[i + 2] != 0 || raw[i + 3] != 0) {
                return raw;
            }
            int size = ((raw[i + 4] & 0xff) << 24) | ((raw[i + 5] & 0xff) << 16) | ((raw[i + 6] & 0xff) << 8)
                    | (raw[i + 7] & 0xff);
            if (size < 0 || i + 8 + size > raw.length) {
                return raw;
            }
            text.write(raw, i + 8, size);
            i += 8 + size;
        }
        return i == raw.length ? text.toByteArray() : raw;
    }

    /** The URL-encoded {@code filters} value that selects what Compose labelled with the project name. */
    static String labelFilter(String project) {
        return URLEncoder.encode("{\"label\":[\"com.docker.compose.project=" + project + "\"]}",
                StandardCharsets.UTF_8);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(items::add);
        }
        return items;
    }

    private String system() {
        return "Docker engine at DOCKER_HOST=" + dockerHost;
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.toLowerCase(Locale.ROOT).contains("no such file") || message.contains("Connection refused")
                ? message + " (is the engine running? DOCKER_HOST must point at its socket)"
                : message;
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replace('\n', ' ');
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
