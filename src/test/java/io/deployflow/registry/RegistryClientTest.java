package io.deployflow.registry;

import com.sun.net.httpserver.HttpServer;
import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.RegistryPeer;
import io.deployflow.testpeers.TinyImagePush;
import io.deployflow.testpeers.TokenServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against the real Debian docker-registry: open, behind htpasswd basic auth, and behind a token realm. The same
 * pushed image is copied into each registry's storage, so each registry holds {@code acme/tiny:1.0.0}.
 */
class RegistryClientTest {
    private static final String USER = "ci";
    private static final String PASSWORD = "s3cret-pass";
    private static final Map<String, String> GOOD = Map.of(
            "DEPLOYFLOW_REGISTRY_USERNAME", USER, "DEPLOYFLOW_REGISTRY_PASSWORD", PASSWORD);
    private static final Map<String, String> WRONG = Map.of(
            "DEPLOYFLOW_REGISTRY_USERNAME", USER, "DEPLOYFLOW_REGISTRY_PASSWORD", "not-the-password");

    @TempDir
    static Path dir;
    static RegistryPeer open;
    static RegistryPeer basic;
    static RegistryPeer token;
    static TokenServer tokens;

    @BeforeAll
    static void startRegistries() throws Exception {
        open = RegistryPeer.start(dir.resolve("open"));
        TinyImagePush.push(open.hostPort(), "acme/tiny", "1.0.0");
        copy(dir.resolve("open/data"), dir.resolve("basic/data"));
        copy(dir.resolve("open/data"), dir.resolve("token/data"));

        Path htpasswd = dir.resolve("htpasswd");
        Process process = new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).redirectErrorStream(true).start();
        String line = new String(process.getInputStream().readAllBytes()).trim();
        assertEquals(0, process.waitFor(), "htpasswd (apache2-utils) failed: " + line);
        Files.writeString(htpasswd, line + "\n");
        basic = RegistryPeer.start(dir.resolve("basic"),
                "  htpasswd:\n    realm: deployflow-test\n    path: " + htpasswd + "\n");

        tokens = TokenServer.start(dir.resolve("tokens"), USER, PASSWORD);
        token = RegistryPeer.start(dir.resolve("token"), tokens.registryAuthYaml());
    }

    @AfterAll
    static void stop() {
        for (RegistryPeer peer : new RegistryPeer[] {open, basic, token}) {
            if (peer != null) {
                peer.close();
            }
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    private static RegistryClient client(Map<String, String> env) {
        return new RegistryClient(env, 2, Duration.ofMillis(20));
    }

    @Test
    void openRegistryTellsPresentFromMissing() {
        RegistryClient client = client(Map.of());
        assertTrue(client.manifestExists(open.hostPort() + "/acme/tiny", "1.0.0"));
        assertFalse(client.manifestExists(open.hostPort() + "/acme/tiny", "9.9.9"), "missing tag");
        assertFalse(client.manifestExists(open.hostPort() + "/acme/nothing-here", "1.0.0"), "missing repository");
    }

    @Test
    void localhostNameIsPlainHttpToo() {
        String localhost = open.hostPort().replace("127.0.0.1", "localhost");
        assertTrue(client(Map.of()).manifestExists(localhost + "/acme/tiny", "1.0.0"));
    }

    @Test
    void basicAuthWithRightCredentials() {
        RegistryClient client = client(GOOD);
        assertTrue(client.manifestExists(basic.hostPort() + "/acme/tiny", "1.0.0"));
        assertFalse(client.manifestExists(basic.hostPort() + "/acme/tiny", "2.0.0"));
    }

    @Test
    void basicAuthWithWrongCredentialsIsRefusedNamingTheRegistryButNotThePassword() {
        OutsideSystemException e = assertThrows(OutsideSystemException.class,
                () -> client(WRONG).manifestExists(basic.hostPort() + "/acme/tiny", "1.0.0"));
        assertTrue(e.getMessage().contains("registry " + basic.hostPort()), e.getMessage());
        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
    }

    @Test
    void basicAuthWithoutCredentialsAsksForThem() {
        OutsideSystemException e = assertThrows(OutsideSystemException.class,
                () -> client(Map.of()).manifestExists(basic.hostPort() + "/acme/tiny", "1.0.0"));
        assertTrue(e.getMessage().contains("DEPLOYFLOW_REGISTRY_USERNAME"), e.getMessage());
    }

    @Test
    void bearerFlowGetsATokenWithTheRepositoryScopeAndReusesIt() {
        int before = tokens.seen().size();
        RegistryClient client = client(GOOD);
        assertTrue(client.manifestExists(token.hostPort() + "/acme/tiny", "1.0.0"));
        assertTrue(client.manifestExists(token.hostPort() + "/acme/tiny", "1.0.0"));
        List<TokenServer.Seen> seen = tokens.seen().subList(before, tokens.seen().size());
        assertEquals(List.of(new TokenServer.Seen(TokenServer.SERVICE, "repository:acme/tiny:pull", USER)), seen,
                "one token request, with the registry's service and scope and the basic credentials");
        assertFalse(client.manifestExists(token.hostPort() + "/acme/tiny", "3.0.0"));
    }

    @Test
    void bearerFlowWithWrongCredentialsIsRefused() {
        OutsideSystemException e = assertThrows(OutsideSystemException.class,
                () -> client(WRONG).manifestExists(token.hostPort() + "/acme/tiny", "1.0.0"));
        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
    }

    @Test
    void bearerFlowAnonymousGetsATokenWithoutAccessAndIsTurnedAway() {
        int before = tokens.seen().size();
        OutsideSystemException e = assertThrows(OutsideSystemException.class,
                () -> client(Map.of()).manifestExists(token.hostPort() + "/acme/tiny", "1.0.0"));
        assertTrue(e.getMessage().contains("wants a login"), e.getMessage());
        assertEquals(new TokenServer.Seen(TokenServer.SERVICE, "repository:acme/tiny:pull", null),
                tokens.seen().get(before), "anonymous token request");
    }

    @Test
    void unreachableRegistryFailsAfterRetriesNamingIt() {
        String hostPort = "127.0.0.1:" + Peer.freePort();
        OutsideSystemException e = assertThrows(OutsideSystemException.class,
                () -> client(Map.of()).manifestExists(hostPort + "/acme/tiny", "1.0.0"));
        assertTrue(e.getMessage().startsWith("registry " + hostPort + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimes() throws IOException {
        // The real registry cannot be made to answer 503 on demand; this stand-in only answers 503 and counts.
        AtomicInteger calls = new AtomicInteger();
        HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        failing.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        failing.start();
        try {
            String hostPort = "127.0.0.1:" + failing.getAddress().getPort();
            OutsideSystemException e = assertThrows(OutsideSystemException.class,
                    () -> new RegistryClient(Map.of(), 3, Duration.ofMillis(10))
                            .manifestExists(hostPort + "/acme/tiny", "1.0.0"));
            assertEquals(3, calls.get());
            assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void badTagOrImageIsBadInput() {
        RegistryClient client = client(Map.of());
        BadInputException tag = assertThrows(BadInputException.class,
                () -> client.manifestExists(open.hostPort() + "/acme/tiny", "1.0:0"));
        assertEquals("tag", tag.field());
        assertTrue(tag.getMessage().contains("'1.0:0' is not a valid image tag"), tag.getMessage());
        BadInputException upper = assertThrows(BadInputException.class,
                () -> client.manifestExists(open.hostPort() + "/Acme/Tiny", "1.0.0"));
        assertEquals("image", upper.field());
        assertTrue(upper.getMessage().contains("'" + open.hostPort() + "/Acme/Tiny' is not an image repository"),
                upper.getMessage());
        BadInputException tagged = assertThrows(BadInputException.class,
                () -> client.manifestExists(open.hostPort() + "/acme/tiny:1", "1"));
        assertEquals("image", tagged.field());
        assertTrue(tagged.getMessage().contains("no tag"), tagged.getMessage());
        BadInputException digest = assertThrows(BadInputException.class,
                () -> client.manifestExists(open.hostPort() + "/acme/tiny@sha256:abc", "1"));
        assertTrue(digest.getMessage().contains("has a digest"), digest.getMessage());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
