package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.deployflow.core.Json;
import io.deployflow.testsupport.LeakScan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar, run as Jenkins runs it: credentials only in the environment. Besides the exit codes, these tests
 * scan everything the CLI printed or wrote (state dir, JSON, audit log, git objects) for the API key, the password,
 * the session JWT a password login gets, and the stack's own secret variable; a control proves the scan finds them.
 */
class PortainerCliIT {
    private static final String OLD_FILE = PortainerDeployerTest.OLD_FILE;

    @TempDir
    Path dir;
    FakePortainer portainer;
    FakePortainer.FakeStack stack;
    HttpServer app;
    final List<String> outputs = new ArrayList<>();

    record Run(int code, String stdout, String stderr) {
    }

    @BeforeEach
    void start() throws IOException {
        portainer = new FakePortainer();
        portainer.deployPolls = 0;
        portainer.endpoints.put(1, "acme-prod");
        stack = portainer.addStack(7, "acme-team-fhir-stack", 1, OLD_FILE, PortainerDeployerTest.OLD_ENV);
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            boolean broken = String.valueOf(stack.runningFile).contains("broken");
            exchange.sendResponseHeaders(broken ? 500 : 200, -1);
            exchange.close();
        });
        app.start();
        Files.writeString(dir.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
                customers:
                  - name: acme
                    repo: https://git.example.org/customers/acme-stack.git
                    portainer:
                      url: %s
                      endpoint: acme-prod
                      stack: acme-team-fhir-stack
                      env: {LOG_LEVEL: info}
                      deployedUrl: http://127.0.0.1:%d
                      waitSeconds: 20
                """.formatted(portainer.url(), app.getAddress().getPort()));
        Files.writeString(dir.resolve("routes.yaml"), """
                routes:
                  - {name: metadata, method: GET, path: /metadata, expect: {status: 200}}
                """);
        Files.writeString(dir.resolve(".env"), "APP_VERSION=1.3.0\n");
    }

    @AfterEach
    void stop() {
        portainer.close();
        app.stop(0);
    }

    @Test
    void deployThenRollbackWithTheKeyOnlyInTheEnvironment() throws Exception {
        Path compose = compose(OLD_FILE);
        Run deploy = run(Map.of("PORTAINER_API_KEY", FakePortainer.API_KEY), "portainer", "deploy", "--config",
                config(), "--customer", "acme", "--file", compose.toString(), "--env-file",
                dir.resolve(".env").toString(), "--routes", routes(), "--state-dir", state(), "--json", json("d"));

        assertEquals(0, deploy.code(), deploy.stderr());
        assertEquals(new EnvVar("APP_VERSION", "1.3.0"), stack.env.get(2));
        assertEquals(new EnvVar("LOG_LEVEL", "info"), stack.env.get(1));
        JsonNode result = Json.mapper().readTree(dir.resolve("d.json").toFile());
        assertEquals("deployed", result.path("outcome").asText());
        assertTrue(result.path("smoke").path("passed").asBoolean());

        Run rollback = run(Map.of("PORTAINER_API_KEY", FakePortainer.API_KEY), "portainer", "rollback",
                "--config", config(), "--customer", "acme", "--routes", routes(), "--state-dir", state(),
                "--json", json("r"));

        assertEquals(0, rollback.code(), rollback.stderr());
        assertEquals(OLD_FILE, stack.file);
        assertEquals(PortainerDeployerTest.OLD_ENV, stack.env);
        assertNoSecretAnywhere(FakePortainer.API_KEY, "s3cr3t-db-value");
        assertKeyOnlyInTheHeader();
    }

    @Test
    void aFailingRouteExits1WithTheStackRolledBack() throws Exception {
        Run deploy = run(Map.of("PORTAINER_API_KEY", FakePortainer.API_KEY), "portainer", "deploy", "--config",
                config(), "--customer", "acme", "--file", compose(OLD_FILE.replace("${APP_VERSION}",
                        "1.3.0-broken")).toString(), "--routes", routes(), "--state-dir", state(), "--json",
                json("d"));

        assertEquals(1, deploy.code(), deploy.stderr());
        JsonNode result = Json.mapper().readTree(dir.resolve("d.json").toFile());
        assertTrue(result.path("rolledBack").asBoolean());
        assertTrue(result.path("rollbackVerified").asBoolean());
        assertEquals(OLD_FILE, stack.file);
        assertEquals(PortainerDeployerTest.OLD_ENV, stack.env);
        assertNoSecretAnywhere(FakePortainer.API_KEY, "s3cr3t-db-value");
    }

    @Test
    void aRefusedKeyExits2WithoutShowingIt() throws Exception {
        String wrong = "ptr_WRONG-but-still-SECRET-key";
        Run deploy = run(Map.of("PORTAINER_API_KEY", wrong), "portainer", "deploy", "--config", config(),
                "--customer", "acme", "--file", compose(OLD_FILE).toString(), "--state-dir", state());

        assertEquals(2, deploy.code(), deploy.stderr());
        assertTrue(deploy.stderr().contains("Portainer refused the credentials from $PORTAINER_API_KEY (401 on GET"
                + " /api/endpoints"), deploy.stderr());
        assertEquals(List.of(), portainer.writes());
        assertNoSecretAnywhere(wrong);
    }

    @Test
    void aPasswordLoginNeverShowsThePassword() throws Exception {
        Run deploy = run(Map.of("PORTAINER_USERNAME", FakePortainer.USERNAME, "PORTAINER_PASSWORD",
                        FakePortainer.PASSWORD), "portainer", "deploy", "--config", config(), "--customer", "acme",
                "--file", compose(OLD_FILE.replace("${APP_VERSION}", "1.3.0")).toString(), "--state-dir", state(),
                "--json", json("d"));

        assertEquals(0, deploy.code(), deploy.stderr());
        assertNoSecretAnywhere(FakePortainer.PASSWORD, FakePortainer.JWT);
    }

    @Test
    void anUnknownStackExits2AndChangesNothing() throws Exception {
        portainer.stacks.remove(7);
        portainer.addStack(3, "someone-elses-stack", 1, OLD_FILE, List.of());

        Run deploy = run(Map.of("PORTAINER_API_KEY", FakePortainer.API_KEY), "portainer", "deploy", "--config",
                config(), "--customer", "acme", "--file", compose(OLD_FILE).toString(), "--state-dir", state(),
                "--json", json("d"));

        assertEquals(2, deploy.code(), deploy.stderr());
        JsonNode result = Json.mapper().readTree(dir.resolve("d.json").toFile());
        assertEquals(2, result.path("exitCode").asInt());
        assertTrue(result.path("message").asText().contains("no stack 'acme-team-fhir-stack'"));
        assertTrue(deploy.stderr().contains("no stack 'acme-team-fhir-stack' on endpoint 'acme-prod' (id 1);"
                + " stacks there: someone-elses-stack"), deploy.stderr());
        assertTrue(deploy.stderr().contains("Nothing was changed."));
        assertEquals(List.of(), portainer.writes());
    }

    /**
     * What "done" means for Portainer 2.19 to 2.39, with the jar as Jenkins runs it: a deploy whose image cannot
     * be pulled answers 500; the new file is deployed once and never again, the kept file and variables go back
     * and verify, exit 1 with Portainer's message, the generation named in the JSON.
     */
    @Test
    void onTheSynchronousGenerationAnImageThatCannotBePulledIsRolledBackWithExit1() throws Exception {
        String asynchronousUrl = portainer.url();
        portainer.close();
        portainer = new FakePortainer(FakePortainer.Generation.SYNCHRONOUS);
        portainer.endpoints.put(1, "acme-prod");
        stack = portainer.addStack(7, "acme-team-fhir-stack", 1, OLD_FILE, PortainerDeployerTest.OLD_ENV);
        Files.writeString(dir.resolve("deployflow.yaml"), Files.readString(dir.resolve("deployflow.yaml"))
                .replace(asynchronousUrl, portainer.url()));

        Run deploy = run(Map.of("PORTAINER_API_KEY", FakePortainer.API_KEY), "portainer", "deploy", "--config",
                config(), "--customer", "acme", "--file", compose(OLD_FILE.replace("${APP_VERSION}",
                        "1.3.0-cannot-pull")).toString(), "--routes", routes(), "--state-dir", state(), "--json",
                json("d"));

        assertEquals(1, deploy.code(), deploy.stderr());
        JsonNode result = Json.mapper().readTree(dir.resolve("d.json").toFile());
        assertEquals("rolled-back", result.path("outcome").asText());
        assertTrue(result.path("rollbackVerified").asBoolean(), result.toString());
        assertEquals("synchronous", result.path("portainer").path("generation").asText());
        assertTrue(result.path("message").asText().contains("failed to deploy a stack: gateway Error manifest for"
                + " registry.example.org/fhir/fhir-gateway:1.3.0-cannot-pull not found"), result.toString());
        assertTrue(deploy.stderr().contains("Portainer 2.23.0: synchronous generation"), deploy.stderr());
        assertTrue(portainer.deploysOf(7, "cannot-pull") <= 2, "at most two deploy calls of the new file");
        assertEquals(1, portainer.deploysOf(7, "cannot-pull"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(PortainerDeployerTest.OLD_ENV, stack.env);
        assertNoSecretAnywhere(FakePortainer.API_KEY, "s3cr3t-db-value");
    }

    private void assertNoSecretAnywhere(String... secrets) {
        List<String> leaks = leaks(secrets);
        assertEquals(List.of(), leaks, "a secret leaked");
    }

    /** Every place a value shows up: what the CLI printed, and every file under the test dir (state, JSON, audit). */
    private List<String> leaks(String... secrets) {
        LeakScan scan = new LeakScan(List.of(secrets));
        Map<String, String> printed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            printed.put("CLI output " + i, outputs.get(i));
        }
        List<String> found = new ArrayList<>(scan.inTexts(printed));
        found.addAll(scan.inFiles(dir));
        return found;
    }

    @Test
    void theLeakCheckFindsAPlantedKeyPasswordAndSessionToken() throws Exception {
        assertEquals(List.of(), leaks(FakePortainer.API_KEY, FakePortainer.PASSWORD, FakePortainer.JWT));
        outputs.add("Authorization: Bearer " + FakePortainer.JWT);
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/acme-rollback.json"), "{\"key\":\"" + FakePortainer.API_KEY + "\"}");
        Files.writeString(dir.resolve("audit.jsonl"), "{\"args\":[\"--password\",\"" + FakePortainer.PASSWORD
                + "\"]}\n");
        List<String> found = leaks(FakePortainer.API_KEY, FakePortainer.PASSWORD, FakePortainer.JWT);
        assertEquals(3, found.size(), found.toString());
        assertTrue(found.get(0).contains("CLI output"), found.toString());
    }

    private void assertKeyOnlyInTheHeader() {
        portainer.requests().forEach(r -> {
            assertFalse(r.getUrl().contains(FakePortainer.API_KEY), r.getUrl());
            assertFalse(String.valueOf(r.getBodyAsString()).contains(FakePortainer.API_KEY), r.getUrl());
        });
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", System.getProperty("deployflow.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PORTAINER_"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish");
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        outputs.add(run.stdout());
        outputs.add(run.stderr());
        return run;
    }

    private Path compose(String text) throws IOException {
        return Files.writeString(dir.resolve("docker-compose.yml"), text);
    }

    private String config() {
        return dir.resolve("deployflow.yaml").toString();
    }

    private String routes() {
        return dir.resolve("routes.yaml").toString();
    }

    private String state() {
        return dir.resolve("state").toString();
    }

    private String json(String name) {
        return dir.resolve(name + ".json").toString();
    }
}
