package io.deployflow.testpeers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token service for distribution's {@code auth: token:} mode, as Docker Hub's auth.docker.io works: it checks
 * basic credentials and issues an RS256 JWT granting the requested repository scope. The signing key and its
 * self-signed certificate (the registry's {@code rootcertbundle}) are made with the real {@code openssl}; the
 * certificate travels in the JWT's {@code x5c} header, which is how the registry finds the key to check.
 * Every request is recorded so tests can prove the client went through the token flow.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "deployflow-test-registry";
    public static final String ISSUER = "deployflow-test-issuer";

    /** One token request as the server saw it. */
    public record Seen(String service, String scope, String basicUser) {
    }

    private final HttpServer server;
    private final PrivateKey key;
    private final String certificateDer;
    private final Path certificate;
    private final String user;
    private final String password;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private TokenServer(Path dir, String user, String password) throws IOException, InterruptedException {
        this.user = user;
        this.password = password;
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("token.key");
        this.certificate = dir.resolve("token.crt");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", keyFile.toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=deployflow-test-token").redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (openssl.waitFor() != 0) {
            throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
        }
        this.key = privateKey(Files.readString(keyFile));
        this.certificateDer = pemBody(Files.readString(certificate));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    /** Starts a token server that grants pulls to {@code user}/{@code password}; anonymous gets no access. */
    public static TokenServer start(Path dir, String user, String password) {
        try {
            return new TokenServer(dir, user, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code auth:} body for {@link RegistryPeer#start(Path, String)}. */
    public String registryAuthYaml() {
        return "  token:\n"
                + "    realm: " + realm() + "\n"
                + "    service: " + SERVICE + "\n"
                + "    issuer: " + ISSUER + "\n"
                + "    rootcertbundle: " + certificate + "\n";
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String basicUser = null;
        String basicPassword = null;
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            basicUser = pair.substring(0, pair.indexOf(':'));
            basicPassword = pair.substring(pair.indexOf(':') + 1);
        }
        seen.add(new Seen(query.get("service"), query.get("scope"), basicUser));
        if (basicUser != null && !(basicUser.equals(user) && basicPassword.equals(password))) {
            reply(exchange, 401, "{\"details\":\"wrong credentials\"}");
            return;
        }
        // Like real token services: anonymous callers get a valid token that grants nothing.
        List<String> access = new ArrayList<>();
        String scope = query.get("scope");
        if (basicUser != null && scope != null) {
            String[] parts = scope.split(":");
            access.add("{\"type\":\"" + parts[0] + "\",\"name\":\"" + parts[1] + "\",\"actions\":[\"pull\"]}");
        }
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + certificateDer + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + (basicUser == null ? "" : basicUser)
                + "\",\"aud\":\"" + SERVICE + "\",\"exp\":" + (now + 300) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now
                + ",\"jti\":\"" + UUID.randomUUID() + "\",\"access\":[" + String.join(",", access) + "]}";
        String signingInput = base64Url(header) + "." + base64Url(claims);
        reply(exchange, 200, "{\"token\":\"" + signingInput + "." + sign(signingInput) + "\",\"expires_in\":300}");
    }

    private String sign(String input) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String pemBody(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static PrivateKey privateKey(String pem) {
        try {
            byte[] der = Base64.getDecoder().decode(pemBody(pem));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("openssl wrote a key that is not PKCS#8 RSA", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
