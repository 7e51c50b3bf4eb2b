package io.deployflow.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code --json} results the pipeline steps read, byte for byte, for fixed inputs: field order, nulls present
 * or left out, number formats. The expected files (src/test/resources/command-json) were written by the commands
 * before their results became records, so a change in how a result is built cannot change what a step reads.
 * Only the test's directory and ledger times are replaced; {@code -Ddeployflow.updateFixtures=true} rewrites them.
 */
class CommandJsonTest {
    private static final Path EXPECTED = Path.of(System.getProperty("deployflow.projectDir",
            System.getProperty("user.dir"))).resolve("src/test/resources/command-json");

    @TempDir
    Path dir;

    @Test
    void configShowOfEverythingOfACustomerAndOfAComponent() throws IOException {
        Path config = config("");

        assertEquals(0, Main.run("config", "show", "--config", config.toString(), "--json", json("all")));
        assertEquals(0, Main.run("config", "show", "--config", config.toString(), "--customer", "acme", "--json",
                json("customer")));
        assertEquals(0, Main.run("config", "show", "--config", config.toString(), "--component", "terminology",
                "--json", json("component")));
        CliRun printed = CliRun.of("config", "show", "--config", config.toString(), "--customer", "st-mary",
                "--component", "fhir-gateway");

        check("config-show-all.json", dir.resolve("all.json"));
        check("config-show-customer.json", dir.resolve("customer.json"));
        check("config-show-component.json", dir.resolve("component.json"));
        check("config-show-printed.json", printed.out());
    }

    @Test
    void releaseNotes() throws IOException {
        Path plan = Files.copy(EXPECTED.resolveSibling("vars-fixtures/plan.json"), dir.resolve("plan.json"));

        assertEquals(0, Main.run("release-notes", "--config", config("").toString(), "--plan", plan.toString(),
                "--out", dir.resolve("notes.md").toString(), "--json", json("notes")));

        check("release-notes.json", dir.resolve("notes.json"));
    }

    /** Both ways of notify (a recorded outcome, a mail to send), then the ledger they went into. */
    @Test
    void notifyAndTheLedgerItWritesTo() throws IOException {
        Path config = config("""
                notify: {mail: true}
                ledger: {dir: ledger}
                """);

        assertEquals(0, Main.run("notify", "--config", config.toString(), "--subject", "Approval needed: release",
                "--event", "approval-requested", "--record", "mail", "--outcome", "failed", "--detail",
                "no SMTP server", "--json", json("recorded")));
        assertEquals(0, Main.run("notify", "--config", config.toString(), "--subject", "Approval needed: release",
                "--text", "Two approvals needed.\nFrom leads.", "--link", "https://ci.example.org/job/1/input/",
                "--mail-to", "dev1@example.org", "--mail-to", "dev2@example.org", "--json", json("mail")));
        assertEquals(0, Main.run("notify", "--config", config.toString(), "--subject", "No mail", "--json",
                json("nothing")));
        assertEquals(0, Main.run("ledger", "verify", "--config", config.toString(), "--json", json("verify")));
        assertEquals(0, Main.run("ledger", "history", "--config", config.toString(), "--all", "--out",
                dir.resolve("history.md").toString(), "--json", json("history")));

        check("notify-recorded.json", dir.resolve("recorded.json"));
        check("notify-mail.json", dir.resolve("mail.json"));
        check("notify-nothing.json", dir.resolve("nothing.json"));
        check("ledger-verify.json", dir.resolve("verify.json"));
        check("ledger-history.json", dir.resolve("history.json"));
    }

    /** Portainer refuses before a deploy result exists: the step still reads outcome, message and exit code. */
    @Test
    void portainerRefusingTheKey() throws IOException {
        HttpServer portainer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        portainer.createContext("/", exchange -> {
            byte[] body = "{\"message\":\"Unauthorized\",\"details\":\"Invalid API key\"}".getBytes(
                    StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        portainer.start();
        try {
            // HOME stands for the key's variable: this JVM cannot set one, and any value is refused here
            Path config = Files.writeString(dir.resolve("deployflow.yaml"), """
                    team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
                    customers:
                      - name: acme
                        repo: https://git.example.org/acme.git
                        portainer: {url: 'http://127.0.0.1:%d', endpoint: acme-prod, stack: acme, apiKeyEnv: HOME}
                    """.formatted(portainer.getAddress().getPort()));
            Path compose = Files.writeString(dir.resolve("docker-compose.yml"),
                    "services:\n  app:\n    image: app:1\n");

            assertEquals(2, Main.run("portainer", "deploy", "--config", config.toString(), "--customer", "acme",
                    "--file", compose.toString(), "--state-dir", dir.resolve("state").toString(), "--json",
                    json("refused")));

            check("portainer-refused.json", Files.readString(dir.resolve("refused.json")).replace(
                    String.valueOf(portainer.getAddress().getPort()), "<port>"));
        } finally {
            portainer.stop(0);
        }
    }

    private String json(String name) {
        return dir.resolve(name + ".json").toString();
    }

    private Path config(String more) throws IOException {
        return Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org], roles: [lead]}
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                  - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
                components:
                  - {name: fhir-gateway, repo: ../repos/fhir-gateway, image: 127.0.0.1:5000/fhir/fhir-gateway,
                     release: pipeline, credentials: {registry: registry-push}}
                  - {name: terminology, repo: 'file:///repos/terminology', image: 127.0.0.1:5000/fhir/terminology}
                  - {name: auth, repo: 'file:///repos/auth', image: 127.0.0.1:5000/fhir/auth}
                customers:
                  - name: acme
                    repo: https://git.example.org/acme.git
                    routes: smoke/routes.yaml
                    baseUrl: http://127.0.0.1:8080
                    contacts: [ops@acme.example]
                    credentials: {portainer: acme-portainer-key}
                    portainer:
                      url: https://portainer.example.org
                      endpoint: prod
                      stack: acme
                      apiKeyEnv: ACME_PORTAINER_KEY
                      env: {DB_PASSWORD: not-for-steps, LOG_LEVEL: info}
                  - {name: st-mary, repo: 'file:///repos/st-mary', composeFile: stack/compose.yml,
                     mainBranch: production}
                decision: {deciders: [dev2]}
                credentials: {git: git-https, github: gh-token}
                """ + more);
    }

    private void check(String name, Path written) throws IOException {
        check(name, Files.readString(written, StandardCharsets.UTF_8));
    }

    private void check(String name, String text) throws IOException {
        String actual = text.replace(dir.toString(), "<dir>")
                .replace(dir.getParent().toString(), "<tmp>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "2026-11-23T10:00:00Z")
                .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC", "2026-11-23 10:00 UTC");
        Path expected = EXPECTED.resolve(name);
        if (Boolean.getBoolean("deployflow.updateFixtures")) {
            Files.createDirectories(EXPECTED);
            Files.writeString(expected, actual);
            return;
        }
        assertEquals(Files.exists(expected) ? Files.readString(expected) : "(missing)", actual,
                "command-json/" + name + " is not what the command writes");
    }
}
