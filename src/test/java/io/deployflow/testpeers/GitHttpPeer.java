package io.deployflow.testpeers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Git's own smart-HTTP server, {@code git http-backend}, run as CGI behind the JDK's HTTP server on 127.0.0.1 and
 * guarded by basic auth, so https-style credentials are tested against real git rather than a fake.
 */
public final class GitHttpPeer implements AutoCloseable {
    private final HttpServer server;
    private final Path base;
    private final String user;
    private final String password;

    private GitHttpPeer(Path base, String user, String password) throws IOException {
        this.base = base;
        this.user = user;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** Serves every repository under {@code base}; requests without {@code user:password} get 401. */
    public static GitHttpPeer start(Path base, String user, String password) {
        try {
            return new GitHttpPeer(base, user, password);
        } catch (IOException e) {
            throw new IllegalStateException("git http peer could not start", e);
        }
    }

    public String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
            Map<String, String> env = pb.environment();
            env.put("GIT_PROJECT_ROOT", base.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("REQUEST_METHOD", exchange.getRequestMethod());
            env.put("PATH_INFO", exchange.getRequestURI().getPath());
            env.put("QUERY_STRING", exchange.getRequestURI().getRawQuery() == null ? ""
                    : exchange.getRequestURI().getRawQuery());
            env.put("REMOTE_USER", user);
            env.put("REMOTE_ADDR", "127.0.0.1");
            copyHeader(exchange, "Content-Type", env, "CONTENT_TYPE");
            copyHeader(exchange, "Content-Encoding", env, "HTTP_CONTENT_ENCODING");
            copyHeader(exchange, "Git-Protocol", env, "GIT_PROTOCOL");
            Process cgi = pb.start();
            try (OutputStream in = cgi.getOutputStream()) {
                exchange.getRequestBody().transferTo(in);
            }
            InputStream out = cgi.getInputStream();
            int status = 200;
            for (String line = readLine(out); line != null && !line.isEmpty(); line = readLine(out)) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.substring(0, 3));
                } else {
                    exchange.getResponseHeaders().add(name, value);
                }
            }
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                out.transferTo(body);
            }
            cgi.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copyHeader(HttpExchange exchange, String header, Map<String, String> env, String name) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
            env.put(name, value);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return c == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
