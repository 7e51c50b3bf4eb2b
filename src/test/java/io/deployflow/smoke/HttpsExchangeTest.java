package io.deployflow.smoke;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke client over TLS against the JDK's own HTTPS server, with certificates made by the JDK's keytool for this
 * run: a stack behind TLS is checked with the JVM's trust and the host name of the URL, as curl would.
 */
class HttpsExchangeTest {
    private static final long SECOND = 1_000_000_000L;
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private final List<HttpsServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void aTrustedCertificateForTheHostAnswersOneRequestAfterAnother() throws Exception {
        KeyStore keys = certificate("ok", "ip:127.0.0.1");
        URI base = serve(keys);
        try (HttpExchange client = new HttpExchange(trusting(keys))) {
            HttpExchange.Answer first = client.send("GET", base.resolve("/fhir/metadata"), Map.of(), null,
                    System.nanoTime() + 10 * SECOND);
            HttpExchange.Answer second = client.send("POST", base.resolve("/fhir/Patient"), Map.of(),
                    "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8), System.nanoTime() + 10 * SECOND);
            assertEquals(200, first.status());
            assertEquals("GET /fhir/metadata", new String(first.body(), StandardCharsets.UTF_8));
            assertEquals(200, second.status());
            assertEquals("POST /fhir/Patient {\"resourceType\":\"Patient\"}",
                    new String(second.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefused() throws Exception {
        URI base = serve(certificate("self-signed", "ip:127.0.0.1"));
        try (HttpExchange client = new HttpExchange()) {
            SSLHandshakeException refused = assertThrows(SSLHandshakeException.class, () -> client.send("GET",
                    base.resolve("/health"), Map.of(), null, System.nanoTime() + 10 * SECOND));
            assertTrue(refused.getMessage().contains("PKIX path building failed"), refused.getMessage());
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        KeyStore keys = certificate("other-host", "dns:fhir.example.org");
        URI base = serve(keys);
        try (HttpExchange client = new HttpExchange(trusting(keys))) {
            SSLHandshakeException refused = assertThrows(SSLHandshakeException.class, () -> client.send("GET",
                    base.resolve("/health"), Map.of(), null, System.nanoTime() + 10 * SECOND));
            assertTrue(refused.getMessage().contains("127.0.0.1"), refused.getMessage());
        }
    }

    /** A key pair with a self-signed certificate for the given subject alternative name, made by keytool. */
    private KeyStore certificate(String alias, String san) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", alias, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + alias, "-ext", "SAN=" + san, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool: " + output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }

    private static SSLSocketFactory trusting(KeyStore keys) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** An HTTPS server on loopback answering every request with its method, path and body. */
    private URI serve(KeyStore keys) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + (body.isEmpty() ? "" : " " + body)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        servers.add(server);
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }
}
