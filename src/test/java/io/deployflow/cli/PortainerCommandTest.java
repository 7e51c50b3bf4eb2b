package io.deployflow.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refusals of {@code portainer deploy} that must come before Portainer is called at all. A counting HTTP
 * server stands where Portainer would be, to prove nothing reached it.
 */
class PortainerCommandTest {
    @TempDir
    Path dir;
    HttpServer portainer;
    final AtomicInteger calls = new AtomicInteger();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr;

    @BeforeEach
    void start() throws IOException {
        portainer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        portainer.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        portainer.start();
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        portainer.stop(0);
    }

    @Test
    void missingCredentialsExit2NamingTheVariable() throws IOException {
        int code = Main.run("portainer", "deploy", "--config", config(""), "--customer", "acme",
                "--file", compose("services:\n  app:\n    image: app:1\n"), "--state-dir", dir.resolve("s").toString());

        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("set the environment variable DEPLOYFLOW_TEST_UNSET_KEY"), err.toString());
        assertTrue(err.toString().contains("Nothing was changed."));
        assertEquals(0, calls.get());
        assertFalse(Files.exists(dir.resolve("s")), "no state written");
    }

    @Test
    void aBuildSectionIsRefusedBeforeAnyCall() throws IOException {
        int code = Main.run("portainer", "deploy", "--config", config(""), "--customer", "acme",
                "--file", compose("services:\n  app:\n    build: .\n    image: app:1\n"));

        assertEquals(2, code);
        assertTrue(err.toString().contains("docker-compose.yml:3: services.app.build: Portainer cannot build images"),
                err.toString());
        assertEquals(0, calls.get());
    }

    @Test
    void aBadEnvFileIsRefusedBeforeAnyCall() throws IOException {
        Path env = Files.writeString(dir.resolve(".env"), "OK=1\nbroken line\n");

        int code = Main.run("portainer", "deploy", "--config", config(""), "--customer", "acme",
                "--file", compose("services:\n  app:\n    image: app:1\n"), "--env-file", env.toString());

        assertEquals(2, code);
        assertTrue(err.toString().contains(".env:2:"), err.toString());
        assertEquals(0, calls.get());
    }

    @Test
    void aVariableNamePortainerCannotTakeIsRefusedBeforeAnyCall() throws IOException {
        Path env = Files.writeString(dir.resolve(".env"), "OK=1\nlog.level=info\n");

        int code = Main.run("portainer", "deploy", "--config", config(""), "--customer", "acme",
                "--file", compose("services:\n  app:\n    image: app:1\n"), "--env-file", env.toString());

        assertEquals(2, code);
        assertTrue(err.toString().contains(".env:2: log.level: 'log.level' is not a shell variable name"),
                err.toString());
        assertEquals(0, calls.get());
    }

    @Test
    void aCustomerWithoutPortainerIsBadInput() throws IOException {
        Path config = Files.writeString(dir.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
                customers: [{name: acme, repo: https://git.example.org/acme.git}]
                """);

        int code = Main.run("portainer", "rollback", "--config", config.toString(), "--customer", "acme");

        assertEquals(2, code);
        assertTrue(err.toString().contains("deployflow.yaml:2: customers[0]: customer 'acme' has no portainer section"),
                err.toString());
    }

    @Test
    void aRollbackWithoutAKeptPointIsBadInput() throws IOException {
        int code = Main.run("portainer", "rollback", "--config", config(""), "--customer", "acme",
                "--state-dir", dir.resolve("empty").toString());

        assertEquals(2, code);
        assertTrue(err.toString().contains("no rollback point for customer 'acme'"), err.toString());
        assertEquals(0, calls.get());
    }

    private String compose(String text) throws IOException {
        return Files.writeString(dir.resolve("docker-compose.yml"), text).toString();
    }

    private String config(String extra) throws IOException {
        return Files.writeString(dir.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
                customers:
                  - name: acme
                    repo: https://git.example.org/acme.git
                    portainer:
                      url: http://127.0.0.1:%d
                      endpoint: acme-prod
                      stack: acme-team-fhir-stack
                      apiKeyEnv: DEPLOYFLOW_TEST_UNSET_KEY
                      usernameEnv: DEPLOYFLOW_TEST_UNSET_USER
                      passwordEnv: DEPLOYFLOW_TEST_UNSET_PASSWORD
                      %s
                """.formatted(portainer.getAddress().getPort(), extra)).toString();
    }
}
