package io.deployflow.portainer;

import com.sun.net.httpserver.HttpServer;
import io.deployflow.compose.EnvFile;
import io.deployflow.config.ConfigLoader;
import io.deployflow.config.Customer;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import io.deployflow.smoke.RoutesFile;
import io.deployflow.smoke.SmokeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

/**
 * The deploy against a stateful fake Portainer, on both generations (synchronous 2.19 to 2.39, asynchronous
 * newest) wherever a fault exists in both; every test checks the stack file and variables the fake holds at the
 * end.
 */
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
    /** The line of {@code endpoint:} in the config {@link #customer} writes; {@code stack:} is the next one. */
    static final int ENDPOINT_LINE = 7;

    @TempDir
    Path dir;
    FakePortainer portainer;
    HttpServer app;
    FakePortainer.FakeStack stack;

    /** A Portainer of this generation with the acme stack (id 7) and a namesake on another endpoint. */
    void given(FakePortainer.Generation generation) throws IOException {
        portainer = new FakePortainer(generation);
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
        if (portainer != null) {
            portainer.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void updatesTheFileAndMergesTheVariablesIntoTheExistingOnes(FakePortainer.Generation generation)
            throws IOException {
        given(generation);

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(newFile("1.3.0"), stack.file);
        assertEquals(List.of(new EnvVar("DB_PASSWORD", "s3cr3t-db-value"), new EnvVar("LOG_LEVEL", "info"),
                new EnvVar("APP_VERSION", "1.3.0")), stack.env);
        assertEquals(List.of("PUT /api/stacks/7?endpointId=1"), portainer.writes());
        assertEquals("2 of 2 routes passed at http://127.0.0.1:" + app.getAddress().getPort(),
                ((DeploymentCheck.Outcome) result.get("smoke")).summary());
        PortainerDeployer.About about = (PortainerDeployer.About) result.get("portainer");
        assertEquals(generation.version, about.version());
        assertEquals(generation.name().toLowerCase(), about.generation());
        String kept = Files.readString(dir.resolve("state/acme-rollback.json"));
        RollbackPoint point = Json.mapper().readValue(kept, RollbackPoint.class);
        assertEquals(OLD_FILE, point.stackFileContent());
        assertEquals(Map.of("APP_VERSION", "1.2.0", "LOG_LEVEL", "debug"), point.restoreEnv());
        assertEquals(List.of("DB_PASSWORD"), point.unchangedEnvNames());
        assertFalse(kept.contains("s3cr3t-db-value"), "the rollback point must not hold the stack's secret");
        assertEquals(newFile("1.3.0"), Files.readString(Path.of((String) result.get("sentFile"))));
        assertFalse(Json.mapper().writeValueAsString(result).contains("s3cr3t-db-value"));
    }

    /** A proxy that hides the version: handled as the asynchronous generation, which is safe for both. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aHiddenVersionIsSaidAndTheDeployStillWorksAndRollsBack(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        portainer.versionHidden = true;

        Map<String, Object> result = deploy(newFile("1.3.0-cannot-pull"), Map.of());

        assertEquals("unknown", ((PortainerDeployer.About) result.get("portainer")).generation());
        assertEquals(1, result.get("exitCode"), String.valueOf(result));
        assertEquals(true, result.get("rollbackVerified"));
        assertEquals(1, portainer.deploysOf(7, "cannot-pull"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void deployingTheSameFileAndEnvTwiceLeavesTheStackAsOneDeployWould(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
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

    /**
     * The case the issue names: on 2.19 to 2.39 the PUT answers 500 with compose's pull error. It is not sent
     * again; the kept file and variables go back (one more deploy), verified, exit 1 with Portainer's message.
     * The newest Portainer answers at once and reports the same failure in DeploymentStatus.
     */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void anImageThatCannotBePulledEndsInAVerifiedRollbackAndExit1(FakePortainer.Generation generation)
            throws IOException {
        given(generation);

        Map<String, Object> result = deploy(newFile("1.3.0-cannot-pull"), Map.of());

        assertEquals(1, result.get("exitCode"), String.valueOf(result));
        assertEquals("rolled-back", result.get("outcome"));
        assertEquals(true, result.get("rolledBack"));
        assertEquals(true, result.get("rollbackVerified"));
        assertTrue(String.valueOf(result.get("message")).contains("failed to deploy a stack: gateway Error manifest"
                + " for registry.example.org/fhir/fhir-gateway:1.3.0-cannot-pull not found"), result.toString());
        assertEquals(1, portainer.deploysOf(7, "cannot-pull"), "the new file was deployed once, never again");
        assertEquals(List.of("PUT /api/stacks/7?endpointId=1", "PUT /api/stacks/7?endpointId=1"),
                portainer.writes(), "the deploy and the rollback");
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
        assertEquals(0, portainer.overlappingDeploys);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aFailingSmokeRouteRollsBackToTheExactFileAndVariables(FakePortainer.Generation generation)
            throws IOException {
        given(generation);

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

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void anUnhealthyContainerRollsBack(FakePortainer.Generation generation) throws IOException {
        given(generation);

        Map<String, Object> result = deploy(newFile("1.3.0-sick"), Map.of());

        assertEquals(1, result.get("exitCode"));
        assertTrue(String.valueOf(result.get("message")).contains("unhealthy: acme-team-fhir-stack-gateway-1"),
                String.valueOf(result.get("message")));
        assertNull(result.get("smoke"), "routes are not run against an unhealthy stack");
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aStackStillRunningTheOldImageIsNotTakenForDeployed(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        portainer.containersNeverRecreated = true;

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(1, result.get("exitCode"));
        assertEquals("not ready after 2s: still waiting for services gateway"
                + " (registry.example.org/fhir/fhir-gateway:1.3.0)", result.get("message"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aCrashLoopingContainerIsNotTakenForRunning(FakePortainer.Generation generation) throws IOException {
        given(generation);

        Map<String, Object> result = deploy(newFile("1.3.0-flaky"), Map.of());

        assertEquals(1, result.get("exitCode"));
        assertTrue(String.valueOf(result.get("message")).startsWith("not ready after 2s"),
                String.valueOf(result.get("message")));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void readsAreRetriedOnServerErrors(FakePortainer.Generation generation) throws IOException {
        given(generation);
        portainer.failNext("GET /api/stacks/7", 502, 2);

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(newFile("1.3.0"), stack.file);
        assertEquals(new EnvVar("LOG_LEVEL", "info"), stack.env.get(1));
    }

    /** 503 from a proxy with no Portainer behind it: the PUT never arrived, so sending it again is safe. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aWriteThatCannotHaveReachedPortainerIsSentAgain(FakePortainer.Generation generation) throws IOException {
        given(generation);
        portainer.failNext("PUT /api/stacks/7", 503, 2);

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(3, portainer.writes().size(), "two refused PUTs and the one that worked");
        assertEquals(1, portainer.deploysOf(7, "fhir-gateway:1.3.0"));
        assertEquals(newFile("1.3.0"), stack.file);
        assertEquals(new EnvVar("LOG_LEVEL", "info"), stack.env.get(1));
    }

    /** A 500 is the deploy's own failure, on every generation: never sent again, rolled back, exit 1. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aServerErrorOnTheDeployIsNeverSentAgain(FakePortainer.Generation generation) throws IOException {
        given(generation);
        portainer.failNext("PUT /api/stacks/7", 500, 1, "Unable to persist updated Compose file on disk");

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(1, result.get("exitCode"), String.valueOf(result));
        assertEquals("Portainer could not deploy stack 'acme-team-fhir-stack': Unable to persist updated Compose"
                + " file on disk: fault for PUT /api/stacks/7", result.get("message"));
        assertEquals(true, result.get("rollbackVerified"));
        assertEquals(2, portainer.writes().size(), "the refused deploy and the rollback");
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void a409IsWaitedOutAndSentAgainBecauseNothingWasApplied(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        portainer.failNext("PUT /api/stacks/7", 409, 2, "Unable to update stack");

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(3, portainer.writes().size());
        assertEquals(1, portainer.deploysOf(7, "fhir-gateway:1.3.0"));
        assertEquals(newFile("1.3.0"), stack.file);
    }

    /** The newest Portainer shows another deploy as status 3; deployflow waits rather than collide with it. */
    @Test
    void aDeployAlreadyRunningIsWaitedOutBeforeSending() throws IOException {
        given(FakePortainer.Generation.ASYNCHRONOUS);
        stack.status = 3;
        stack.deployingPolls = 3;
        stack.pending = () -> {
            stack.status = 1;
            stack.pending = null;
        };

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(List.of("PUT /api/stacks/7?endpointId=1"), portainer.writes(), "sent once, after the wait");
        assertEquals(newFile("1.3.0"), stack.file);
    }

    @Test
    void aDeployThatNeverEndsIsNotCollidedWith() throws IOException {
        given(FakePortainer.Generation.ASYNCHRONOUS);
        stack.status = 3;
        stack.deployingPolls = Integer.MAX_VALUE;
        stack.pending = () -> { };

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(3, result.get("exitCode"), String.valueOf(result));
        assertTrue(String.valueOf(result.get("message")).contains("still deploying after 2s"), result.toString());
        assertEquals(List.of(), portainer.writes());
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    /**
     * No answer within the write timeout: on 2.19 to 2.39 Portainer is still running compose. The PUT is not
     * sent again (that would start a second deploy beside the first); the stack is verified instead.
     */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aSlowDeployIsNotSentTwiceAndVerifies(FakePortainer.Generation generation) throws IOException {
        given(generation);
        portainer.slowDeployMarker = "1.3.0";
        portainer.deployMillis = 1200;

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(List.of("PUT /api/stacks/7?endpointId=1"), portainer.writes());
        assertEquals(0, portainer.overlappingDeploys);
        assertEquals(newFile("1.3.0"), stack.file);
        assertEquals(new EnvVar("APP_VERSION", "1.3.0"), stack.env.get(2));
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aSlowDeployThatFailsIsRolledBackOnlyAfterItEnded(FakePortainer.Generation generation) throws IOException {
        given(generation);
        portainer.slowDeployMarker = "cannot-pull";
        portainer.deployMillis = 1200;

        Map<String, Object> result = deploy(newFile("1.3.0-cannot-pull"), Map.of());

        assertEquals(1, result.get("exitCode"), String.valueOf(result));
        assertEquals(true, result.get("rollbackVerified"));
        assertEquals(1, portainer.deploysOf(7, "cannot-pull"));
        assertEquals(0, portainer.overlappingDeploys, "the rollback waited for the first deploy to end");
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aDeadPortainerExits3AfterRetriesWithoutWriting(FakePortainer.Generation generation) throws IOException {
        given(generation);
        portainer.failNext("GET /api/endpoints", 503, 100);

        PortainerCallException e = assertThrows(PortainerCallException.class,
                () -> deploy(newFile("1.3.0"), Map.of()));

        assertTrue(e.getMessage().startsWith("Portainer GET /api/endpoints: failed after 5 attempts (503, 503, 503,"
                + " 503, 503); last: 503 Injected failure 503"), e.getMessage());
        assertEquals(List.of(), portainer.writes());
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @Test
    void anUnreachablePortainerExits3() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Customer customer = customer("http://127.0.0.1:" + port, "acme-prod", "");
        PortainerDeployer deployer = new PortainerDeployer(customer, new PortainerClient(
                customer.portainer().url(), key(customer), FAST), FAST, dir.resolve("state"), null);

        PortainerCallException e = assertThrows(PortainerCallException.class,
                () -> deployer.deploy(adapt(newFile("1.3.0")), Map.of()));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void anUnknownEndpointIsBadInputNamingItsLineAndWritesNothing(FakePortainer.Generation generation)
            throws IOException {
        given(generation);

        BadInputException e = assertThrows(BadInputException.class, () -> deploy(customer(portainer.url(),
                "acme-prdo", ""), newFile("1.3.0"), Map.of()));

        assertEquals(dir.resolve("deployflow.yaml") + ":" + ENDPOINT_LINE + ": customers[0].portainer.endpoint:"
                + " Portainer has no environment named or numbered 'acme-prdo'; it has: acme-prod (id 1), acme-test"
                + " (id 2)", e.getMessage());
        assertEquals(List.of(), portainer.writes());
        assertEquals(OLD_FILE, stack.file);
    }

    /** The environment went away between looking it up and the PUT: Portainer answers 404 for it. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void anEndpointPortainerNoLongerHasIsBadInputNamingItsLine(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        portainer.failNext("PUT /api/stacks/7", 404, 1,
                "Unable to find the environment associated to the stack inside the database");

        BadInputException e = assertThrows(BadInputException.class, () -> deploy(newFile("1.3.0"), Map.of()));

        assertEquals(ENDPOINT_LINE, e.line());
        assertEquals("customers[0].portainer.endpoint", e.field());
        assertTrue(e.getMessage().contains("Unable to find the environment associated to the stack"), e.getMessage());
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void anUnknownStackIsBadInputNamingItsLineAndWritesNothing(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        portainer.stacks.remove(7);

        BadInputException e = assertThrows(BadInputException.class, () -> deploy(newFile("1.3.0"), Map.of()));

        assertTrue(e.getMessage().startsWith(dir.resolve("deployflow.yaml") + ":" + (ENDPOINT_LINE + 1)
                + ": customers[0].portainer.stack: no stack 'acme-team-fhir-stack' on endpoint 'acme-prod' (id 1);"
                + " stacks there: none. Set createIfMissing: true"), e.getMessage());
        assertEquals(List.of(), portainer.writes());
    }

    /** A stack stored before Portainer normalised names is found by its normalised name, and updated. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aStackStoredUnderAnOlderSpellingIsFoundByItsNormalisedName(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        stack.name = "ACME-Team-FHIR-Stack";

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(List.of("PUT /api/stacks/7?endpointId=1"), portainer.writes());
        assertEquals("acme-team-fhir-stack", stack.name, "Portainer normalises the name on update");
        assertEquals(newFile("1.3.0"), stack.file);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void theEndpointMayBeGivenById(FakePortainer.Generation generation) throws IOException {
        given(generation);

        Map<String, Object> result = deploy(customer(portainer.url(), "1", ""), newFile("1.3.0"), Map.of());

        assertEquals(0, result.get("exitCode"));
        assertEquals(newFile("1.3.0"), stack.file);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aMissingStackIsCreatedWhenConfigAllowsIt(FakePortainer.Generation generation) throws IOException {
        given(generation);
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

    /**
     * 2.19 to 2.39 do not save a stack whose first deploy failed; the newest saves it in status 4. Either way
     * there is nothing to roll back to, and the result says Portainer's reason.
     */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aCreateThatCannotDeployFailsWithPortainersReason(FakePortainer.Generation generation) throws IOException {
        given(generation);
        portainer.stacks.remove(7);

        Map<String, Object> result = deploy(customer(portainer.url(), "acme-prod", "createIfMissing: true"),
                newFile("1.3.0-cannot-pull"), Map.of());

        assertEquals(1, result.get("exitCode"), String.valueOf(result));
        assertTrue(String.valueOf(result.get("message")).contains("failed to deploy a stack: gateway Error manifest"),
                result.toString());
        assertTrue(String.valueOf(result.get("message")).contains("nothing to roll back to"), result.toString());
        assertEquals(1, portainer.writes().size());
        if (generation == FakePortainer.Generation.SYNCHRONOUS) {
            assertEquals(1, portainer.stacks.size(), "not saved: only stack 8 remains");
        } else {
            assertEquals(4, portainer.stacks.get(9).status);
        }
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aNameTakenOnTheEndpointIsBadInputNamingTheStackLine(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        portainer.stacks.remove(7);
        portainer.failNext("POST /api/stacks/create", 409, 1,
                "A stack with the normalized name 'acme-team-fhir-stack' already exists");

        BadInputException e = assertThrows(BadInputException.class, () -> deploy(customer(portainer.url(),
                "acme-prod", "createIfMissing: true"), newFile("1.3.0"), Map.of()));

        assertEquals(ENDPOINT_LINE + 1, e.line());
        assertTrue(e.getMessage().contains("A stack with the normalized name 'acme-team-fhir-stack' already exists"),
                e.getMessage());
        assertEquals(1, portainer.stacks.size());
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aRefusedApiKeyIsBadInputNamingTheVariableNotTheKey(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        Customer customer = customer(portainer.url(), "acme-prod", "");
        Credentials wrong = Credentials.from(customer.portainer(), Map.of("PORTAINER_API_KEY", "ptr_wrong")::get);
        PortainerDeployer deployer = new PortainerDeployer(customer,
                new PortainerClient(portainer.url(), wrong, FAST), FAST, dir.resolve("state"), null);

        BadInputException e = assertThrows(BadInputException.class,
                () -> deployer.deploy(adapt(newFile("1.3.0")), Map.of()));

        assertEquals(dir.resolve("deployflow.yaml") + ":6: customers[0].portainer.apiKeyEnv: Portainer refused the"
                + " credentials from $PORTAINER_API_KEY (401 on GET /api/endpoints: Unauthorized: A valid"
                + " authorisation token is missing)", e.getMessage());
        assertEquals(List.of(), portainer.writes());
    }

    /** 403 is a permission Portainer did not give, not a wrong key: its message is shown as such. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aPermissionRefusalIsShownAsSuchAndChangesNothing(FakePortainer.Generation generation) throws IOException {
        given(generation);
        portainer.deniedMessage = "Stack editing is disabled for non-admin users";

        BadInputException e = assertThrows(BadInputException.class, () -> deploy(newFile("1.3.0"), Map.of()));

        assertTrue(e.getMessage().contains("customers[0].portainer.apiKeyEnv: Portainer denied permission to the user"
                + " of $PORTAINER_API_KEY: Stack editing is disabled for non-admin users (403 on PUT"
                + " /api/stacks/7?endpointId=1). The credentials are valid"), e.getMessage());
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
        assertEquals(0, portainer.deploysOf(7, "1.3.0"));
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void usernameAndPasswordAreExchangedForAJwt(FakePortainer.Generation generation) throws IOException {
        given(generation);
        Customer customer = customer(portainer.url(), "acme-prod", "");
        Credentials login = Credentials.from(customer.portainer(), Map.of("PORTAINER_USERNAME",
                FakePortainer.USERNAME, "PORTAINER_PASSWORD", FakePortainer.PASSWORD)::get);
        PortainerDeployer deployer = new PortainerDeployer(customer,
                new PortainerClient(portainer.url(), login, FAST), FAST, dir.resolve("state"), null);

        Map<String, Object> result = deployer.deploy(adapt(newFile("1.3.0")), Map.of());

        assertEquals(0, result.get("exitCode"));
        assertEquals(newFile("1.3.0"), stack.file);
    }

    @Test
    void missingCredentialsNameTheVariablesAndTheirLine() throws IOException {
        Customer customer = customer("http://127.0.0.1:1", "acme-prod", "");

        BadInputException e = assertThrows(BadInputException.class,
                () -> Credentials.from(customer.portainer(), Map.<String, String>of()::get));

        assertEquals(6, e.line(), "the portainer section's first line, where apiKeyEnv would go");
        assertEquals("customers[0].portainer.apiKeyEnv", e.field());
        assertTrue(e.getMessage().contains("set the environment variable PORTAINER_API_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("PORTAINER_USERNAME and PORTAINER_PASSWORD"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void anApiErrorNamesTheCallAndPortainersMessage(FakePortainer.Generation generation) throws IOException {
        given(generation);
        Customer customer = customer(portainer.url(), "acme-prod", "");
        PortainerClient client = new PortainerClient(portainer.url(), key(customer), FAST);
        Stack current = client.stack(7);

        PortainerCallException e = assertThrows(PortainerCallException.class,
                () -> client.update(current, 1, "", List.of(), true, false));

        assertEquals("Portainer PUT /api/stacks/7?endpointId=1: 400 Invalid request payload: Invalid stack file"
                + " content", e.getMessage());
        assertEquals(OLD_FILE, stack.file);
    }

    /** Variables a name guess took for secrets: not declared, so the tested value replaces the stack's. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void undeclaredVariablesAreReplacedEvenWhenTheyLookSecretish(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        stack.env = List.of(new EnvVar("KEYCLOAK_URL", "https://old-idp"), new EnvVar("PASSIVE_MODE", "false"),
                new EnvVar("SORT_KEY", "name"), new EnvVar("MONKEY_LEVEL", "1"), new EnvVar("APP_VERSION", "1.2.0"));
        Path env = envFile("KEYCLOAK_URL=https://idp.acme\nPASSIVE_MODE=true\nSORT_KEY=date\nMONKEY_LEVEL=3\n");

        Map<String, Object> result = deploy(newFile("1.3.0"), env);

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(List.of(new EnvVar("KEYCLOAK_URL", "https://idp.acme"), new EnvVar("PASSIVE_MODE", "true"),
                new EnvVar("SORT_KEY", "date"), new EnvVar("MONKEY_LEVEL", "3"), new EnvVar("APP_VERSION", "1.2.0"),
                new EnvVar("LOG_LEVEL", "info")), stack.env);
    }

    /** A declared secret the env file would change: exit 2 naming it and its line, nothing written. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aDeclaredSecretTheEnvFileWouldChangeIsBadInputNamingItsLine(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        Path env = envFile("# example values\nAPP_VERSION=1.3.0\nDB_PASSWORD=changeme\n");

        BadInputException e = assertThrows(BadInputException.class, () -> deploy(newFile("1.3.0"), env));

        assertEquals(env.toString(), e.file());
        assertEquals(3, e.line());
        assertEquals("DB_PASSWORD", e.field());
        assertTrue(e.getMessage().contains("declared secret for customer 'acme'"), e.getMessage());
        assertFalse(e.getMessage().contains("changeme") || e.getMessage().contains("s3cr3t"), e.getMessage());
        assertEquals(List.of(), portainer.writes());
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    /** The customer's own declaration counts: here KEYCLOAK_URL is declared secret for acme. */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aCustomerDeclarationAddsToTheTeamsOne(FakePortainer.Generation generation) throws IOException {
        given(generation);
        stack.env = List.of(new EnvVar("KEYCLOAK_URL", "https://idp.acme"), new EnvVar("APP_VERSION", "1.2.0"));
        Customer customer = customer(portainer.url(), "acme-prod", "", "secrets: {names: [KEYCLOAK_URL]}");
        Path env = envFile("KEYCLOAK_URL=https://example.invalid\n");

        BadInputException e = assertThrows(BadInputException.class, () -> deployer(customer)
                .deploy(adapt(newFile("1.3.0")), EnvFile.read(env, EnvFile.Mode.STRICT_SHELL_NAMES)));

        assertEquals("KEYCLOAK_URL", e.field());
        assertEquals(List.of(), portainer.writes());
        assertEquals(new EnvVar("KEYCLOAK_URL", "https://idp.acme"), stack.env.get(0));
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aDeclaredSecretTheEnvFileRepeatsUnchangedIsFine(FakePortainer.Generation generation) throws IOException {
        given(generation);
        Path env = envFile("DB_PASSWORD=s3cr3t-db-value\nAPP_VERSION=1.3.0\nNEW_API_TOKEN=example-token\n");

        Map<String, Object> result = deploy(newFile("1.3.0"), env);

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(List.of("NEW_API_TOKEN"), result.get("secretsFromEnvFile"),
                "a declared secret the stack lacked is taken from the env file, and said so");
        assertEquals(new EnvVar("DB_PASSWORD", "s3cr3t-db-value"), stack.env.get(0));
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aChangedSecretIsRestoredInProcessButNeverWrittenToTheRollbackPoint(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
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

    /**
     * A git stack that authenticates to its repository: redeployed through /git/redeploy with the stored
     * credentials (asked for with an empty password), never by a file PUT, also when the stack list leaves
     * GitConfig out (newest).
     */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aGitStackWithAuthenticationIsRedeployedFromItsRepository(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        stack.gitUrl = "https://git.example.org/customers/acme-stack.git";
        stack.gitReference = "refs/heads/main";
        stack.gitUsername = "deploy-bot";
        stack.gitRepositoryFile = newFile("1.3.0");

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals("git-redeployed", result.get("action"));
        assertTrue(String.valueOf(result.get("note")).contains("--file was validated but cannot be sent"));
        assertEquals(List.of("PUT /api/stacks/7/git/redeploy?endpointId=1"), portainer.writes());
        assertEquals("refs/heads/main", stack.gitReference);
        assertEquals("https://git.example.org/customers/acme-stack.git", stack.gitUrl, "still a git stack");
        assertEquals(new EnvVar("LOG_LEVEL", "info"), stack.env.get(1));
        assertEquals(newFile("1.3.0"), stack.runningFile);
        portainer.requests().forEach(r -> assertFalse(String.valueOf(r.getBodyAsString())
                .contains(FakePortainer.GIT_PASSWORD)));
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aGitStackThatFailsToDeployGetsItsVariablesBack(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        stack.gitUrl = "https://git.example.org/customers/acme-stack.git";
        stack.gitReference = "refs/heads/main";
        stack.gitRepositoryFile = newFile("1.3.0-cannot-pull");

        Map<String, Object> result = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(1, result.get("exitCode"), String.valueOf(result));
        assertTrue(String.valueOf(result.get("message")).contains("failed to deploy a stack"), result.toString());
        assertEquals(OLD_ENV, stack.env);
        assertEquals("refs/heads/main", stack.gitReference);
        assertEquals(false, result.get("rollbackVerified"),
                "the repository decides a git stack's files: only its variables can be put back");
    }

    /**
     * Swarm stacks deployed with image resolution run {@code repo:tag@sha256:...}: the waiter takes that for the
     * file's {@code repo:tag}, so the deploy verifies; and a failing one's rollback verifies too.
     */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aSwarmStackRunningDigestPinnedImagesVerifiesAndSoDoesItsRollback(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        portainer.stacks.remove(7);
        stack = portainer.addStack(7, "acme-team-fhir-stack", FakePortainer.SWARM, 1, OLD_FILE, OLD_ENV);

        Map<String, Object> deployed = deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0"));

        assertEquals(0, deployed.get("exitCode"), String.valueOf(deployed));
        assertEquals("swarm", deployed.get("stackType"));
        assertTrue(String.valueOf(deployed.get("containers")).contains("fhir-gateway:1.3.0@sha256:"),
                String.valueOf(deployed.get("containers")));

        Map<String, Object> failed = deploy(newFile("1.4.0-broken"), Map.of("APP_VERSION", "1.4.0"));

        assertEquals(1, failed.get("exitCode"), String.valueOf(failed));
        assertEquals(true, failed.get("rollbackVerified"), String.valueOf(failed));
        assertEquals(newFile("1.3.0"), stack.file);
        assertEquals(new EnvVar("APP_VERSION", "1.3.0"), stack.env.get(2));
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aFileThatPinsADigestVerifiesOnlyWithThatDigest(FakePortainer.Generation generation) throws IOException {
        given(generation);
        String pinned = "registry.example.org/fhir/fhir-gateway:1.3.0@sha256:" + "ab".repeat(32);

        Map<String, Object> result = deploy(OLD_FILE.replace("registry.example.org/fhir/fhir-gateway:${APP_VERSION}",
                pinned), Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertTrue(RunningImage.matches(pinned, pinned));
        assertFalse(RunningImage.matches(pinned, pinned.replace("ab", "cd")), "another digest is another image");
    }

    /**
     * The prune difference: 2.19 to 2.39 ignore Prune for compose stacks, so a dropped service keeps running and
     * the result says so; the newest removes it.
     */
    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void pruneIsHonouredOnlyWherePortainerPassesItOn(FakePortainer.Generation generation) throws IOException {
        given(generation);
        String withoutTerminology = """
                services:
                  gateway:
                    image: registry.example.org/fhir/fhir-gateway:1.3.0
                """;

        Map<String, Object> result = deploy(withoutTerminology, Map.of());

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        boolean synchronous = generation == FakePortainer.Generation.SYNCHRONOUS;
        assertEquals(!synchronous, result.get("pruneHonoured"));
        assertEquals(synchronous, stack.orphans.containsKey("terminology"),
                "the dropped service still runs only where Prune is ignored");
        assertEquals(withoutTerminology, stack.file);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void rollbackOnDemandRestoresTheKeptPointExactly(FakePortainer.Generation generation) throws IOException {
        given(generation);
        assertEquals(0, deploy(newFile("1.3.0"), Map.of("APP_VERSION", "1.3.0")).get("exitCode"));
        Customer customer = customer(portainer.url(), "acme-prod", "");

        Map<String, Object> result = deployer(customer).rollbackOnDemand(RollbackPoint.load(dir.resolve("state"),
                "acme"));

        assertEquals(0, result.get("exitCode"), String.valueOf(result));
        assertEquals(true, result.get("rollbackVerified"));
        assertEquals(OLD_FILE, stack.file);
        assertEquals(OLD_ENV, stack.env);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aRollbackPointOfAnotherPortainerIsRefusedNamingTheConfigLine(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        assertEquals(0, deploy(newFile("1.3.0"), Map.of()).get("exitCode"));
        RollbackPoint point = RollbackPoint.load(dir.resolve("state"), "acme");
        Customer elsewhere = customer("http://127.0.0.1:1", "acme-prod", "");

        BadInputException e = assertThrows(BadInputException.class,
                () -> deployer(elsewhere).rollbackOnDemand(point));

        assertEquals(6, e.line(), "the url line");
        assertTrue(e.getMessage().contains("is for stack 'acme-team-fhir-stack' at " + portainer.url()),
                e.getMessage());
        assertEquals(newFile("1.3.0"), stack.file);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aRollbackPointWhoseStackIsGoneNamesTheLineInThePointFile(FakePortainer.Generation generation)
            throws IOException {
        given(generation);
        assertEquals(0, deploy(newFile("1.3.0"), Map.of()).get("exitCode"));
        portainer.stacks.remove(7);
        Path pointFile = dir.resolve("state/acme-rollback.json");
        int line = Files.readAllLines(pointFile).indexOf("  \"stackId\" : 7,") + 1;

        BadInputException e = assertThrows(BadInputException.class, () -> deployer(customer(portainer.url(),
                "acme-prod", "")).rollbackOnDemand(RollbackPoint.load(dir.resolve("state"), "acme")));

        assertTrue(line > 0);
        assertEquals(line, e.line());
        assertTrue(e.getMessage().contains("no longer exists in Portainer"), e.getMessage());
    }

    /**
     * The deploy results the portainerDeploy step reads, byte for byte (src/test/resources/command-json): deployed,
     * rolled back after a failing route, and a rollback on demand. Ports, the test's directory, times and
     * durations are replaced; {@code -Ddeployflow.updateFixtures=true} rewrites the files.
     */
    @Test
    void theResultsAreWrittenAsTheStepReadsThem() throws IOException {
        given(FakePortainer.Generation.SYNCHRONOUS);

        String deployed = Json.mapper().writeValueAsString(deploy(newFile("1.3.0"), Map.of("APP_VERSION",
                "1.3.0")));
        String rolledBack = Json.mapper().writeValueAsString(deploy(newFile("1.3.0-broken"), Map.of()));
        String onDemand = Json.mapper().writeValueAsString(deployer(customer(portainer.url(), "acme-prod", ""))
                .rollbackOnDemand(RollbackPoint.load(dir.resolve("state"), "acme")));

        checkJson("portainer-deployed.json", deployed);
        checkJson("portainer-rolled-back.json", rolledBack);
        checkJson("portainer-rollback-on-demand.json", onDemand);
    }

    private void checkJson(String name, String json) throws IOException {
        String actual = json.replace(dir.toString(), "<dir>")
                .replace(portainer.url(), "<portainer>")
                .replace(":" + app.getAddress().getPort(), ":<app>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "2026-11-23T10:00:00Z")
                .replaceAll("\\b\\d+ms\\b", "42ms");
        Path expected = Path.of(System.getProperty("deployflow.projectDir", System.getProperty("user.dir")))
                .resolve("src/test/resources/command-json").resolve(name);
        if (Boolean.getBoolean("deployflow.updateFixtures")) {
            Files.writeString(expected, actual);
            return;
        }
        assertEquals(Files.exists(expected) ? Files.readString(expected) : "(missing)", actual,
                "command-json/" + name + " is not what the deploy writes");
    }

    static String newFile(String tag) {
        return OLD_FILE.replace("${APP_VERSION}", tag);
    }

    private Path envFile(String text) throws IOException {
        return Files.writeString(dir.resolve("tested.env"), text);
    }

    private Map<String, Object> deploy(String file, Map<String, String> envFile) {
        try {
            return deploy(customer(portainer.url(), "acme-prod", ""), file, envFile);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> deploy(String file, Path envFile) throws IOException {
        return deployer(customer(portainer.url(), "acme-prod", "")).deploy(adapt(file),
                EnvFile.read(envFile, EnvFile.Mode.STRICT_SHELL_NAMES));
    }

    private Map<String, Object> deploy(Customer customer, String file, Map<String, String> envFile)
            throws IOException {
        return deployer(customer).deploy(adapt(file), envFile);
    }

    private PortainerDeployer deployer(Customer customer) throws IOException {
        return new PortainerDeployer(customer, new PortainerClient(portainer.url(), key(customer), FAST), FAST,
                dir.resolve("state"), smoke());
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
        return customer(url, endpoint, extra, "");
    }

    /** Lines: 5 portainer (the section's values start at 6), 6 url, 7 endpoint, 8 stack, 9 waitSeconds, 10 env. */
    private Customer customer(String url, String endpoint, String extra, String customerExtra) throws IOException {
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
                    %s
                """.formatted(url, endpoint, extra.contains("env:") ? extra : "env: {LOG_LEVEL: info}\n      " + extra,
                customerExtra));
        return ConfigLoader.load(config).customer("acme");
    }
}
