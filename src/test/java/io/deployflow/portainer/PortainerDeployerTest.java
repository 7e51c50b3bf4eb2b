package io.deployflow.portainer;

import com.sun.net.httpserver.HttpServer;
import io.deployflow.config.ConfigLoader;
import io.deployflow.config.Customer;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import io.deployflow.smoke.RoutesFile;
import io.deployflow.smoke.SmokeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deploy against a stateful fake Portainer; every test checks what the fake holds at the end. */
class PortainerDeployerTest {
    static final String OLD_FILE = """
            # acme production stack
            services:
              gateway:
                image: registry.example.org/fhir/fhir-gateway:${APP_VERSION}
              terminology:
                image: registry.example.org/fhir/terminology:2.0.0
            """;
    static final List<EnvVar> OLD_ENV = List.of(new EnvVar("DB_PASSWORD", "s3cr3t-db-value"),
            new EnvVar("LOG_LEVEL", "debug"), new EnvVar("APP_VERSION", "1.2.0"));
    static final Timings FAST = new Timings(5, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(3),
            Duration.ofMillis(600), Duration.ofMillis(10));

    @TempDir
    Path dir;
    FakePortainer portainer;
    HttpServer app;
    FakePortainer.FakeStack stack;

    @BeforeEach
    void start() throws IOException {
        portainer = new FakePortainer();
        portainer.endpoints.put(1, "acme-prod");
        portainer.endpoints.put(2, "acme-test");
        stack = portainer.addStack(7, "acme-team-fhir-stack", 1, OLD_FILE, OLD_ENV);
        portainer.addStack(8, "acme-team-fhir-stack", 2, "services: {x: {image: y}}\n", List.of());
        // The deployed application: its /metadata route fails while a "broken" image runs in the stack.
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            boolean broken = exchange.getRequestURI().getPath().equals("/metadata")
                    && String.valueOf(stack.runningFile).contains("broken");
            byte[] body = (broken ? "{\"status\":\"DOWN\"}" : "{\"status\":\"UP\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(broken ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
    }

    @AfterEach
    void stop() {
        portainer.close();
        app.stop(0);
    }

    @Test
    void updatesTheFileAndMergesTheVariablesIntoTheExistingOnes() throws IOException {
        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(newFile("1.3.0"), stack.file);
        assertEquals(List.of(new EnvVar("DB_PASSWORD", "s3cr3t-db-value"), new EnvVar("LOG_LEVEL", "info"),
                new EnvVar("APP_VERSION", "1.3.0")), stack.env);
        assertEquals(List.of("PUT /api/stacks/7?endpointId=1"), portainer.writes());
        assertEquals("2 of 2 routes passed at http://127.0.0.1:" + app.getAddress().getPort(),
                ((Map<?, ?>) result.get("smoke")).get("summary"));
        String kept = Files.readString(dir.resolve("state/acme-rollback.json"));
        RollbackPoint point = Json.mapper().readValue(kept, RollbackPoint.class);
        assertEquals(OLD_FILE, point.stackFileContent());
        assertEquals(Map.of("APP_VERSION", "1.2.0", "LOG_LEVEL", "debug"), point.restoreEnv());
        assertEquals(List.of("DB_PASSWORD"), point.unchangedEnvNames());
        assertFalse(kept.contains("s3cr3t-db-value"), "the rollback point must not hold the stack's secret");
        assertEquals(newFile("1.3.0"), Files.readString(Path.of((String) result.get("sentFile"))));
        assertFalse(Json.mapper().writeValueAsString(result).contains("s3cr3t-db-value"));
    }

    @Test
    void deployingTheSameFileAndEnvTwiceLeavesTheStackAsOneDeployWould() throws IOException {
        assertEquals(0, deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0")).get("exitCode"));
        List<EnvVar> afterFirst = stack.env;

        Map<String, Object> second = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(0, second.get("exitCode"));
        assertEquals("unchanged", second.get("action"));
        assertEquals(List.of("PUT /api/stacks/7?endpointId=1"), portainer.writes(), "no second write");
        assertEquals(afterFirst, stack.env);
        assertEquals(newFile("1.3.0"), stack.file);
        RollbackPoint point = RollbackPoint.load(dir.resolve("state"), "acme");
        assertEquals(OLD_FILE, point.stackFileContent(), "the second run keeps the first run's rollback point");
    }

    @Test
    void aFailingSmokeRouteRollsBackToTheExactFileAndVariables() {
        Map<String, Object> result = deploy(newFile("1.3.0-broken"), Map.of());

        assertEquals(1, result.get("exitCode"), String.valueOf(result));
        assertEquals("rolled-back", result.get("outcome"));
        assertEquals(true, result.get("rolledBack"));
        assertEquals(true, result.get("rollbackVerified"));
        assertTrue(String.valueOf(result.get("message")).startsWith("smoke routes failed: 1 of 2 routes passed"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
        assertEquals(2, portainer.writes().size());
    }

    @Test
    void anUnhealthyContainerRollsBack() {
        Map<String, Object> result = deploy(newFile("1.3.0-sick"), Map.of());

        assertEquals(1, result.get("exitCode"));
        assertTrue(String.valueOf(result.get("message")).contains("unhealthy: acme-team-fhir-stack-gateway-1"),
                String.valueOf(result.get("message")));
        assertNull(result.get("smoke"), "routes are not run against an unhealthy stack");
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @Test
    void aStackStillRunningTheOldImageIsNotTakenForDeployed() {
        portainer.containersNeverRecreated = true;

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(1, result.get("exitCode"));
        assertEquals("not ready after 2s: still waiting for services gateway"
                + " (registry.example.org/fhir/fhir-gateway:1.3.0)", result.get("message"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @Test
    void aCrashLoopingContainerIsNotTakenForRunning() {
        Map<String, Object> result = deploy(newFile("1.3.0-flaky"), Map.of());

        assertEquals(1, result.get("exitCode"));
        assertTrue(String.valueOf(result.get("message")).startsWith("not ready after 2s"),
                String.valueOf(result.get("message")));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @Test
    void portainerReportingAFailedDeployRollsBack() {
        Map<String, Object> result = deploy(newFile("1.3.0") + "# portainer-cannot-deploy\n", Map.of());

        assertEquals(1, result.get("exitCode"));
        assertTrue(String.valueOf(result.get("message")).contains("Portainer reports that deploying"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() {
        portainer.failNext("PUT /api/stacks/7", 500, 2);

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(3, portainer.writes().size(), "two refused PUTs and the one that worked");
        assertEquals(newFile("1.3.0"), stack.file);
    }

    @Test
    void aDeployAlreadyRunningIsWaitedOut() {
        stack.status = 3;
        stack.deployingPolls = 3;

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(newFile("1.3.0"), stack.file);
        assertTrue(portainer.writes().size() > 1, "the first PUT met 409 and was repeated");
    }

    @Test
    void aTimeoutMidDeployEndsInExit3WithTheStackRolledBack() {
        // Portainer takes the new file but never answers in time; every retry runs into the same.
        portainer.slowPutMarker = "1.3.0";
        portainer.putDelayMillis = 1500;

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(3, result.get("exitCode"), String.valueOf(result));
        assertTrue(String.valueOf(result.get("message")).contains("PUT /api/stacks/7?endpointId=1"));
        assertTrue(String.valueOf(result.get("message")).matches(".*failed after 5 attempts \\(timeout, .*"),
                String.valueOf(result.get("message")));
        assertEquals(true, result.get("rolledBack"));
        assertEquals(true, result.get("rollbackVerified"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @Test
    void aDeadPortainerExits3AfterRetriesWithoutWriting() {
        portainer.failNext("GET /api/endpoints", 503, 100);

        PortainerCallException e = assertThrows(PortainerCallException.class,
                () -> deploy(newFile("1.3.0"), Map.of()));

        assertTrue(e.getMessage().startsWith("Portainer GET /api/endpoints: failed after 5 attempts (503, 503, 503,"
                + " 503, 503); last: 503 Injected failure 503"), e.getMessage());
        assertEquals(List.of(), portainer.writes());
    }

    @Test
    void anUnreachablePortainerExits3() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Customer customer = customer("http://127.0.0.1:" + port, "acme-prod", "");
        PortainerDeployer deployer = new PortainerDeployer("deployflow.yaml", customer, new PortainerClient(
                customer.portainer().url(), key(customer), FAST), FAST, dir.resolve("state"), null);

        PortainerCallException e = assertThrows(PortainerCallException.class,
                () -> deployer.deploy(adapt(newFile("1.3.0")), Map.of()));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    void anUnknownEndpointIsBadInputAndWritesNothing() throws IOException {
        BadInputException e = assertThrows(BadInputException.class, () -> deploy(customer(portainer.url(),
                "acme-prdo", ""), newFile("1.3.0"), Map.of()));

        assertTrue(e.getMessage().contains("customers[acme].portainer.endpoint: Portainer has no environment"
                + " named or numbered 'acme-prdo'; it has: acme-prod (id 1), acme-test (id 2)"), e.getMessage());
        assertEquals(List.of(), portainer.writes());
    }

    @Test
    void anUnknownStackIsBadInputAndWritesNothing() {
        portainer.stacks.remove(7);

        BadInputException e = assertThrows(BadInputException.class, () -> deploy(newFile("1.3.0"), Map.of()));

        assertTrue(e.getMessage().contains("no stack 'acme-team-fhir-stack' on endpoint 'acme-prod' (id 1);"
                + " stacks there: none. Set createIfMissing: true"), e.getMessage());
        assertEquals(List.of(), portainer.writes());
    }

    @Test
    void theEndpointMayBeGivenById() throws IOException {
        Map<String, Object> result = deploy(customer(portainer.url(), "1", ""), newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"));
        assertEquals(newFile("1.3.0"), stack.file);
    }

    @Test
    void aMissingStackIsCreatedWhenConfigAllowsIt() throws IOException {
        portainer.stacks.remove(7);

        Map<String, Object> result = deploy(customer(portainer.url(), "acme-prod", "createIfMissing: true"),
                newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals("created", result.get("action"));
        assertEquals(List.of("POST /api/stacks/create/standalone/string?endpointId=1"), portainer.writes());
        FakePortainer.FakeStack created = portainer.stacks.get(9);
        assertEquals(newFile("1.3.0"), created.file);
        assertEquals(List.of(new EnvVar("APP_VERSION", "1.3.0"), new EnvVar("LOG_LEVEL", "info")), created.env);
    }

    @Test
    void aRefusedApiKeyIsBadInputNamingTheVariableNotTheKey() throws IOException {
        Customer customer = customer(portainer.url(), "acme-prod", "");
        Credentials wrong = Credentials.from(customer.portainer(), Map.of("PORTAINER_API_KEY", "ptr_wrong")::get);
        PortainerDeployer deployer = new PortainerDeployer("deployflow.yaml", customer,
                new PortainerClient(portainer.url(), wrong, FAST), FAST, dir.resolve("state"), null);

        BadInputException e = assertThrows(BadInputException.class,
                () -> deployer.deploy(adapt(newFile("1.3.0")), Map.of()));

        assertEquals("portainer: Portainer refused the credentials from $PORTAINER_API_KEY (401 on GET"
                + " /api/endpoints: Unauthorized: A valid authorisation token is missing)", e.getMessage());
        assertEquals(List.of(), portainer.writes());
    }

    @Test
    void usernameAndPasswordAreExchangedForAJwt() throws IOException {
        Customer customer = customer(portainer.url(), "acme-prod", "");
        Credentials login = Credentials.from(customer.portainer(), Map.of("PORTAINER_USERNAME",
                FakePortainer.USERNAME, "PORTAINER_PASSWORD", FakePortainer.PASSWORD)::get);
        PortainerDeployer deployer = new PortainerDeployer("deployflow.yaml", customer,
                new PortainerClient(portainer.url(), login, FAST), FAST, dir.resolve("state"), null);

        Map<String, Object> result = deployer.deploy(adapt(newFile("1.3.0")), Map.of());

        assertEquals(0, result.get("exitCode"));
        assertEquals(newFile("1.3.0"), stack.file);
    }

    @Test
    void missingCredentialsNameTheVariables() throws IOException {
        Customer customer = customer(portainer.url(), "acme-prod", "");

        BadInputException e = assertThrows(BadInputException.class,
                () -> Credentials.from(customer.portainer(), Map.<String, String>of()::get));

        assertTrue(e.getMessage().contains("set the environment variable PORTAINER_API_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("PORTAINER_USERNAME and PORTAINER_PASSWORD"), e.getMessage());
    }

    @Test
    void anApiErrorNamesTheCallAndPortainersMessage() throws IOException {
        Customer customer = customer(portainer.url(), "acme-prod", "");
        PortainerClient client = new PortainerClient(portainer.url(), key(customer), FAST);
        Stack current = client.stack(7);

        PortainerCallException e = assertThrows(PortainerCallException.class,
                () -> client.update(current, 1, "", List.of(), true, false));

        assertEquals("Portainer PUT /api/stacks/7?endpointId=1: 400 Invalid request payload: Invalid stack file"
                + " content", e.getMessage());
        assertEquals(OLD_FILE, stack.file);
    }

    @Test
    void anEnvFileNeverReplacesASecretThePortainerStackHas() {
        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of("DB_PASSWORD", "changeme",
                "APP_VERSION", "1.3.0"));

        assertEquals(0, result.get("exitCode"));
        assertEquals(List.of("DB_PASSWORD"), result.get("envKeptFromPortainer"));
        assertEquals(new EnvVar("DB_PASSWORD", "s3cr3t-db-value"), stack.env.get(0));
    }

    @Test
    void aChangedSecretIsRestoredInProcessButNeverWrittenToTheRollbackPoint() throws IOException {
        Customer customer = customer(portainer.url(), "acme-prod", "env: {DB_PASSWORD: rotated-in-config}");

        Map<String, Object> failed = deploy(customer, newFile("1.3.0-broken"), Map.of());

        assertEquals(1, failed.get("exitCode"));
        assertEquals(OLD_ENV, stack.env, "the failing deploy's own rollback restores the secret exactly");
        String kept = Files.readString(dir.resolve("state/acme-rollback.json"));
        assertFalse(kept.contains("s3cr3t-db-value"));
        RollbackPoint point = RollbackPoint.load(dir.resolve("state"), "acme");
        assertEquals(List.of("DB_PASSWORD"), point.envValuesNotKept());

        assertEquals(0, deploy(customer, newFile("1.3.0"), Map.of()).get("exitCode"));
        Map<String, Object> rolledBack = deployer(customer).rollbackOnDemand(RollbackPoint.load(dir.resolve("state"),
                "acme"));

        assertEquals(0, rolledBack.get("exitCode"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(new EnvVar("DB_PASSWORD", "rotated-in-config"), stack.env.get(0),
                "on demand, a secret whose old value was not kept stays as it is");
    }

    @Test
    void aGitStackIsRedeployedFromItsRepositoryWithTheMergedVariables() {
        stack.gitUrl = "https://git.example.org/customers/acme-stack.git";
        stack.gitReference = "refs/heads/main";
        stack.gitRepositoryFile = newFile("1.3.0");

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals("git-redeployed", result.get("action"));
        assertTrue(String.valueOf(result.get("note")).contains("--file was validated but cannot be sent"));
        assertEquals(List.of("PUT /api/stacks/7/git/redeploy?endpointId=1"), portainer.writes());
        assertEquals("refs/heads/main", stack.gitReference);
        assertEquals(new EnvVar("LOG_LEVEL", "info"), stack.env.get(1));
    }

    @Test
    void rollbackOnDemandRestoresTheKeptPointExactly() throws IOException {
        assertEquals(0, deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0")).get("exitCode"));
        Customer customer = customer(portainer.url(), "acme-prod", "");

        Map<String, Object> result = deployer(customer).rollbackOnDemand(RollbackPoint.load(dir.resolve("state"),
                "acme"));

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(true, result.get("rollbackVerified"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @Test
    void aRollbackPointOfAnotherPortainerIsRefused() throws IOException {
        assertEquals(0, deploy(newFile("1.3.0"), Map.of()).get("exitCode"));
        RollbackPoint point = RollbackPoint.load(dir.resolve("state"), "acme");
        Customer elsewhere = customer("http://127.0.0.1:1", "acme-prod", "");

        BadInputException e = assertThrows(BadInputException.class,
                () -> deployer(elsewhere).rollbackOnDemand(point));

        assertTrue(e.getMessage().contains("the rollback point is for stack 'acme-team-fhir-stack' at "
                + portainer.url()), e.getMessage());
        assertEquals(newFile("1.3.0"), stack.file);
    }

    static String newFile(String tag) {
        return OLD_FILE.replace("${APP_VERSION}", tag);
    }

    private Map<String, Object> deploy(String file, Map<String, String> envFile) {
        try {
            return deploy(customer(portainer.url(), "acme-prod", ""), file, envFile);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> deploy(Customer customer, String file, Map<String, String> envFile)
            throws IOException {
        return deployer(customer).deploy(adapt(file), envFile);
    }

    private PortainerDeployer deployer(Customer customer) throws IOException {
        return new PortainerDeployer("deployflow.yaml", customer, new PortainerClient(portainer.url(),
                key(customer), FAST), FAST, dir.resolve("state"), smoke());
    }

    private DeploymentCheck smoke() throws IOException {
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, """
                baseUrl: http://127.0.0.1:%d
                routes:
                  - {name: home, method: GET, path: /}
                  - {name: metadata, method: GET, path: /metadata, expect: {status: 200}}
                """.formatted(app.getAddress().getPort()));
        return new SmokeRoutesCheck(RoutesFile.load(routes), new SmokeOptions(2, Duration.ofSeconds(2),
                Duration.ofSeconds(2)));
    }

    static Credentials key(Customer customer) {
        return Credentials.from(customer.portainer(), Map.of("PORTAINER_API_KEY", FakePortainer.API_KEY)::get);
    }

    static ComposeAdapter.Adapted adapt(String file) {
        return ComposeAdapter.adapt("docker-compose.yml", file, "refuse", "refuse");
    }

    private Customer customer(String url, String endpoint, String extra) throws IOException {
        Path config = dir.resolve("deployflow.yaml");
        Files.writeString(config, """
                team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
                customers:
                  - name: acme
                    repo: https://git.example.org/customers/acme-stack.git
                    portainer:
                      url: %s
                      endpoint: "%s"
                      stack: acme-team-fhir-stack
                      waitSeconds: 2
                      %s
                """.formatted(url, endpoint, extra.contains("env:") ? extra : "env: {LOG_LEVEL: info}\n      " + extra));
        return ConfigLoader.load(config).customer("acme");
    }
}
