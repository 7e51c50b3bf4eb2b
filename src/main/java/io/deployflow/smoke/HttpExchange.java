package io.deployflow.smoke;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection that sends smoke requests one after another (keep-alive), on a plain or TLS socket.
 * Smoke tests send hundreds of small requests from a JVM that lives for seconds; the JDK's HttpClient spends about a
 * millisecond of CPU on each (its selector thread, executor hand-offs and asynchronous plumbing), which made it the
 * largest cost of a smoke step. This does only what a smoke request needs: GET/POST/... with a body and headers,
 * answers with Content-Length, chunked or close-delimited bodies, no redirects followed, no proxy (as the
 * HttpClient it replaces), TLS with the JVM's trust store and host name verification. Each worker thread of
 * {@link SmokeRunner} owns one, so no connection is shared between threads.
 */
final class HttpExchange implements AutoCloseable {
    /** An answer: status and body; headers are not checked by smoke routes. */
    record Answer(int status, byte[] body) {
    }

    /** The whole exchange (connect, send, answer) took longer than allowed. */
    static final class TimeoutException extends IOException {
        TimeoutException() {
            super("timeout");
        }
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    /** A kept-alive connection idle for longer may have been closed by the server; see {@link #send}. */
    private static final long STALE_AFTER_NANOS = 1_000_000_000L;

    /** Null until the first https request: setting up TLS (JSSE, the trust store) costs a plain-http run ~0.1 s. */
    private SSLSocketFactory tls;
    private Socket socket;
    private String socketKey;
    private InputStream in;
    private OutputStream out;
    private long lastUsed;

    HttpExchange(SSLSocketFactory tls) {
        this.tls = tls;
    }

    /** The JVM's own trust store and TLS settings, set up on the first https request. */
    HttpExchange() {
        this(null);
    }

    /**
     * Sends one request and reads the whole answer before {@code deadlineNanos} ({@link System#nanoTime}).
     * A request on a kept-alive connection that the server had closed meanwhile is sent again on a new connection
     * when nothing came back and the method is idempotent (RFC 9110, 9.2.2); other requests do not reuse a
     * connection that was idle long enough to have been closed.
     */
    Answer send(String method, URI uri, Map<String, String> headers, byte[] body, long deadlineNanos)
            throws IOException {
        boolean idempotent = !method.equals("POST") && !method.equals("PATCH");
        if (socket != null && !idempotent && System.nanoTime() - lastUsed > STALE_AFTER_NANOS) {
            close();
        }
        boolean reused = connect(uri, deadlineNanos);
        try {
            return exchange(method, uri, headers, body, deadlineNanos);
        } catch (NothingReceived e) {
            close();
            if (!reused || !idempotent) {
                throw e.cause;
            }
            connect(uri, deadlineNanos);
            try {
                return exchange(method, uri, headers, body, deadlineNanos);
            } catch (NothingReceived again) {
                close();
                throw again.cause;
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return whether an open connection to the same server was kept */
    private boolean connect(URI uri, long deadlineNanos) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        String key = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port;
        if (socket != null && key.equals(socketKey)) {
            return true;
        }
        close();
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(uri.getHost(), port), remainingMillis(deadlineNanos));
            Socket connected = plain;
            if (https) {
                if (tls == null) {
                    tls = (SSLSocketFactory) SSLSocketFactory.getDefault();
                }
                SSLSocket secure = (SSLSocket) tls.createSocket(plain, uri.getHost(), port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.setSoTimeout(remainingMillis(deadlineNanos));
                secure.startHandshake();
                connected = secure;
            }
            socket = connected;
            socketKey = key;
            in = new BufferedInputStream(connected.getInputStream(), 16 * 1024);
            out = connected.getOutputStream();
            return false;
        } catch (SocketTimeoutException e) {
            plain.close();
            throw new TimeoutException();
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Signals that the connection failed before a single byte of the answer arrived. */
    private static final class NothingReceived extends Exception {
        private final IOException cause;

        NothingReceived(IOException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private Answer exchange(String method, URI uri, Map<String, String> headers, byte[] body, long deadlineNanos)
            throws IOException, NothingReceived {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target(uri))
                .append(" HTTP/1.1\r\nHost: ").append(hostHeader(uri)).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        boolean sendsBody = body != null || method.equals("POST") || method.equals("PUT")
                || method.equals("PATCH");
        if (sendsBody) {
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        }
        head.append("\r\n");
        socket.setSoTimeout(remainingMillis(deadlineNanos));
        try {
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
        } catch (IOException e) {
            throw new NothingReceived(e);
        }
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw new TimeoutException();
        } catch (IOException e) {
            throw new NothingReceived(e);
        }
        if (first == -1) {
            throw new NothingReceived(new EOFException("the server closed the connection without answering"));
        }
        try {
            Answer answer = answer(first, method, deadlineNanos);
            lastUsed = System.nanoTime();
            return answer;
        } catch (SocketTimeoutException e) {
            throw new TimeoutException();
        }
    }

    private Answer answer(int first, String method, long deadlineNanos) throws IOException {
        while (true) {
            String statusLine = line(first);
            first = -2;
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x answer: " + abbreviate(statusLine));
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: " + abbreviate(statusLine));
            }
            long contentLength = -1;
            boolean chunked = false;
            boolean close = parts[0].equals("HTTP/1.0");
            int headerBytes = statusLine.length();
            for (String header = line(-2); !header.isEmpty(); header = line(-2)) {
                headerBytes += header.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    throw new IOException("answer headers longer than " + MAX_HEADER_BYTES + " bytes");
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> contentLength = parseLength(value);
                    case "transfer-encoding" -> chunked = value.endsWith("chunked");
                    case "connection" -> close = value.contains("close") ? true
                            : value.contains("keep-alive") ? false : close;
                    default -> {
                    }
                }
            }
            if (status >= 100 && status < 200) {
                continue; // an interim answer (100 Continue, 103 Early Hints): the real one follows
            }
            byte[] body;
            if (method.equals("HEAD") || status == 204 || status == 304) {
                body = new byte[0];
            } else if (chunked) {
                body = chunked();
            } else if (contentLength >= 0) {
                body = in.readNBytes((int) contentLength);
                if (body.length < contentLength) {
                    throw new EOFException("the answer ended after " + body.length + " of " + contentLength
                            + " bytes");
                }
            } else {
                body = in.readAllBytes();
                close = true;
            }
            if (close) {
                close();
            }
            return new Answer(status, body);
        }
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(-2);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size < 0 || body.size() + size > Integer.MAX_VALUE - 8) {
                throw new IOException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size == 0) {
                while (!line(-2).isEmpty()) {
                    // trailer fields: not used
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw new EOFException("the answer ended inside a chunk");
            }
            body.write(chunk);
            line(-2);
        }
    }

    /** A header line without its CRLF; {@code first} is a byte already read, or -2. */
    private String line(int first) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c = first == -2 ? in.read() : first;
        while (c != '\n') {
            if (c == -1) {
                throw new EOFException("the answer ended inside its headers");
            }
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > MAX_HEADER_BYTES) {
                throw new IOException("answer header line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            c = in.read();
        }
        return line.toString();
    }

    private static long parseLength(String value) throws IOException {
        try {
            long length = Long.parseLong(value);
            if (length < 0 || length > Integer.MAX_VALUE - 8) {
                throw new IOException("bad Content-Length: " + value);
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + abbreviate(value));
        }
    }

    private static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static String hostHeader(URI uri) {
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
                : uri.getHost();
        return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
    }

    /** What the JDK's HttpClient accepts in a header value: no line breaks or other control characters. */
    static boolean validHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || c == 0x7f || (c < 0x20 && c != '\t')) {
                return false;
            }
        }
        return true;
    }

    /** Rounded up, so a socket timeout never ends the exchange before its deadline (a 300ms route waits 300ms). */
    private static int remainingMillis(long deadlineNanos) throws TimeoutException {
        long left = -Math.floorDiv(System.nanoTime() - deadlineNanos, 1_000_000L);
        if (left <= 0) {
            throw new TimeoutException();
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection we no longer use: nothing to do about it
            }
        }
        socket = null;
        socketKey = null;
        in = null;
        out = null;
    }
}
