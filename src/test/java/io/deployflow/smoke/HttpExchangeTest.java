package io.deployflow.smoke;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke client against a server on a real loopback socket that answers exactly as scripted, byte for byte, so
 * each way HTTP/1.1 delimits an answer, keeps or drops a connection, or fails to answer can be produced on demand.
 */
class HttpExchangeTest {
    private static final long SECOND = 1_000_000_000L;

    /** Answers each request with the next scripted reply; a null reply closes the connection unanswered. */
    static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket;
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        final List<String> requests = new ArrayList<>();
        final AtomicInteger connections = new AtomicInteger();

        ScriptedServer(String... script) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            replies.addAll(List.of(script));
            Thread accept = new Thread(this::serve, "scripted-server");
            accept.setDaemon(true);
            accept.start();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    connections.incrementAndGet();
                    InputStream in = client.getInputStream();
                    OutputStream out = client.getOutputStream();
                    while (true) {
                        String request = request(in);
                        if (request == null) {
                            break;
                        }
                        synchronized (requests) {
                            requests.add(request);
                        }
                        String reply = replies.poll();
                        if (reply == null || reply.equals("CLOSE")) {
                            break;
                        }
                        if (reply.equals("SILENCE")) {
                            Thread.sleep(3000);
                            break;
                        }
                        out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (reply.contains("Connection: close") || reply.startsWith("HTTP/1.0")) {
                            break;
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the test closed the server, or the client went away
                }
            }
        }

        private static String request(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                head.write(c);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    int at = text.toLowerCase().indexOf("content-length: ");
                    int length = at < 0 ? 0 : Integer.parseInt(text.substring(at + 16, text.indexOf('\r', at)));
                    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static long deadline() {
        return System.nanoTime() + 5 * SECOND;
    }

    @Test
    void requestsShareOneKeptAliveConnectionAndCarryHostHeadersAndBody() throws IOException {
        try (ScriptedServer server = new ScriptedServer(ok("one"), ok("two"), ok("three"));
             HttpExchange client = new HttpExchange()) {
            assertEquals("one", body(client.send("GET", server.uri("/a?x=1%202"), Map.of("Accept", "application/json"),
                    null, deadline())));
            assertEquals("two", body(client.send("POST", server.uri("/b"), Map.of(), "{\"a\":1}".getBytes(),
                    deadline())));
            assertEquals("three", body(client.send("PUT", server.uri("/c"), Map.of(), null, deadline())));
            assertEquals(1, server.connections.get(), "one connection for all three");
            String get = server.requests.get(0);
            assertTrue(get.startsWith("GET /a?x=1%202 HTTP/1.1\r\n"), get);
            assertTrue(get.contains("\r\nHost: 127.0.0.1:" + server.socket.getLocalPort() + "\r\n"), get);
            assertTrue(get.contains("\r\nAccept: application/json\r\n"), get);
            assertFalse(get.contains("Content-Length"), "a GET without body sends none: " + get);
            assertTrue(server.requests.get(1).endsWith("Content-Length: 7\r\n\r\n{\"a\":1}"), server.requests.get(1));
            assertTrue(server.requests.get(2).contains("Content-Length: 0\r\n"), "an empty PUT says so");
        }
    }

    @Test
    void chunkedCloseDelimitedInterimAndBodilessAnswersAreReadWhole() throws IOException {
        try (ScriptedServer server = new ScriptedServer(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n6\r\npedia \r\n0\r\nX-T: 1\r\n\r\n",
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 204 No Content\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
                "HTTP/1.0 200 OK\r\n\r\nuntil the end");
             HttpExchange client = new HttpExchange()) {
            assertEquals("Wikipedia ", body(client.send("GET", server.uri("/"), Map.of(), null, deadline())));
            HttpExchange.Answer created = client.send("POST", server.uri("/"), Map.of(), new byte[0], deadline());
            assertEquals(201, created.status());
            assertEquals("ok", body(created));
            HttpExchange.Answer none = client.send("DELETE", server.uri("/"), Map.of(), null, deadline());
            assertEquals(204, none.status());
            assertArrayEquals(new byte[0], none.body());
            HttpExchange.Answer head = client.send("HEAD", server.uri("/"), Map.of(), null, deadline());
            assertEquals(0, head.body().length, "a HEAD answer has no body whatever its Content-Length says");
            assertEquals("until the end", body(client.send("GET", server.uri("/"), Map.of(), null, deadline())));
            assertEquals(1, server.connections.get());
        }
    }

    @Test
    void aKeptAliveConnectionTheServerDroppedIsRetriedForAGetButNotForAPost() throws IOException {
        try (ScriptedServer server = new ScriptedServer(ok("first"), "CLOSE", ok("again"), ok("third"), "CLOSE");
             HttpExchange client = new HttpExchange()) {
            assertEquals("first", body(client.send("GET", server.uri("/"), Map.of(), null, deadline())));
            assertEquals("again", body(client.send("GET", server.uri("/"), Map.of(), null, deadline())),
                    "the GET on the dropped connection was sent again on a new one");
            assertEquals(2, server.connections.get());
            assertEquals("third", body(client.send("GET", server.uri("/"), Map.of(), null, deadline())));
            IOException post = assertThrows(IOException.class,
                    () -> client.send("POST", server.uri("/"), Map.of(), "x".getBytes(), deadline()));
            assertFalse(post instanceof HttpExchange.TimeoutException);
            assertEquals(5, server.requests.size(), "the POST was sent once, never twice");
        }
    }

    @Test
    void anAnswerThatDoesNotComeInTimeIsATimeout() throws IOException {
        try (ScriptedServer server = new ScriptedServer("SILENCE");
             HttpExchange client = new HttpExchange()) {
            long start = System.nanoTime();
            assertThrows(HttpExchange.TimeoutException.class,
                    () -> client.send("GET", server.uri("/"), Map.of(), null, System.nanoTime() + SECOND / 4));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 240 && millis < 2000, "took " + millis + "ms");
        }
    }

    @Test
    void headerValuesWithLineBreaksAreRefusedAsTheJdkClientDid() {
        assertTrue(HttpExchange.validHeaderValue("Bearer abc\tdef ü"));
        assertFalse(HttpExchange.validHeaderValue("abc\r\nX-Injected: 1"));
        assertFalse(HttpExchange.validHeaderValue("abc\u0000"));
        assertFalse(HttpExchange.validHeaderValue("snowman \u2603"));
    }

    private static String body(HttpExchange.Answer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }
}
