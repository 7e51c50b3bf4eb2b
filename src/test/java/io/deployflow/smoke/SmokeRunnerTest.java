package io.deployflow.smoke;

import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.testpeers.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmokeRunnerTest {
    static final String PATIENT = "{\"resourceType\": \"Patient\", \"name\": [{\"family\": \"Doe\"}]}";
    private static final SmokeOptions FAST = new SmokeOptions(4, Duration.ofSeconds(5), Duration.ofSeconds(5));

    @TempDir
    Path dir;

    /** Writes the routes file and the patient sample beside it. */
    static RoutesFile routes(Path dir, String yaml) throws IOException {
        Files.createDirectories(dir.resolve("samples"));
        Files.writeString(dir.resolve("samples/patient.json"), PATIENT);
        Path file = dir.resolve("routes.yaml");
        Files.writeString(file, yaml);
        return RoutesFile.load(file);
    }

    @Test
    void routesThatMeetTheirExpectationsPass() throws IOException {
        try (FhirTestServer server = FhirTestServer.start()) {
            RoutesFile file = routes(dir, """
                    readyPath: /health
                    routes:
                      - name: patient-create
                        method: POST
                        path: /fhir/Patient
                        file: samples/patient.json
                        headers: {Content-Type: application/fhir+json}
                        expect: {status: 201, bodyContains: ["resourceType"], json: {"$.resourceType": "Patient",
                                 "$.name[0].family": Doe, "$.meta.versionId": 1.0, "$.name.length()": 1}}
                        component: fhir-gateway
                      - name: patient-read
                        path: /fhir/Patient/p1
                        expect: {status: [200, 304], json: {"$.active": true}}
                      - name: health
                        path: /health
                    """);
            SmokeReport report = new SmokeRunner(FAST).run(file, server.baseUrl());

            assertTrue(report.passed(), () -> report.failures().toString());
            assertEquals(3, report.routes().size());
            RouteResult create = report.routes().get(0);
            assertEquals("patient-create", create.name());
            assertEquals(201, create.status());
            assertEquals(server.baseUrl() + "/fhir/Patient", create.url());
            assertNull(create.repoPerson(), "a passing route blames nobody");
            assertEquals(0, report.failures().size());
        }
    }

    @Test
    void aFailingRouteSaysWhatWasExpectedAndWhatCameBack() throws IOException {
        try (FhirTestServer server = FhirTestServer.start()) {
            RoutesFile file = routes(dir, """
                    routes:
                      - name: observations
                        path: /fhir/Observation
                        component: terminology
                      - name: wrong-json
                        path: /fhir/Patient/p1
                        expect: {json: {"$.resourceType": "Practitioner"}}
                      - name: number-is-not-string
                        path: /fhir/Patient/p1
                        expect: {json: {"$.id": "p1", "$.active": "true"}}
                      - name: missing-text
                        path: /health
                        expect: {status: 200, bodyContains: [DOWN]}
                      - name: create-without-body
                        method: POST
                        path: /fhir/Patient
                        expect: {status: 201}
                    """);
            SmokeReport report = new SmokeRunner(FAST).run(file, server.baseUrl());

            assertFalse(report.passed());
            assertEquals(5, report.failures().size());
            RouteResult obs = report.routes().get(0);
            assertEquals(500, obs.status());
            assertEquals("status", obs.failure());
            assertTrue(obs.message().startsWith("expected status 2xx, got 500; body: NullPointerException at"
                    + " <Observation> &"), obs.message());
            assertFalse(obs.message().chars().anyMatch(Character::isISOControl), "control characters are stripped");
            assertEquals("terminology", obs.component());
            assertEquals(RepoPerson.UNKNOWN, obs.repoPerson());
            assertEquals("expected $.resourceType = \"Practitioner\", got \"Patient\"; body: "
                    + "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"active\":true}", report.routes().get(1).message());
            assertTrue(report.routes().get(2).message().startsWith("expected $.active = \"true\", got true"),
                    "a YAML string never equals a JSON boolean: " + report.routes().get(2).message());
            assertTrue(report.routes().get(3).message().startsWith("expected the body to contain \"DOWN\""));
            assertTrue(report.routes().get(4).message().startsWith("expected status 201, got 400; body: "
                    + "{\"resourceType\":\"OperationOutcome\""), report.routes().get(4).message());
        }
    }

    @Test
    void aRouteSlowerThanItsTimeoutFailsAsTimeout() throws IOException {
        try (FhirTestServer server = FhirTestServer.start()) {
            RoutesFile file = routes(dir, """
                    routes:
                      - name: slow
                        path: /fhir/slow
                        timeout: 300ms
                      - name: health
                        path: /health
                    """);
            long start = System.nanoTime();
            SmokeReport report = new SmokeRunner(FAST).run(file, server.baseUrl());
            long millis = (System.nanoTime() - start) / 1_000_000;

            RouteResult slow = report.routes().get(0);
            assertFalse(slow.passed());
            assertEquals("timeout", slow.failure());
            assertEquals("no answer within 300ms (timeout)", slow.message());
            assertNull(slow.status());
            assertTrue(slow.durationMillis() >= 300 && slow.durationMillis() < 2000, "took " + slow.durationMillis());
            assertTrue(millis < 2500, "the run does not wait for the slow server's 3s: " + millis + "ms");
            assertTrue(report.routes().get(1).passed());
        }
    }

    @Test
    void waitsForAServiceThatStartsListeningLate() throws Exception {
        int port = Peer.freePort();
        RoutesFile file = routes(dir, """
                baseUrl: http://127.0.0.1:%d
                readyPath: /health
                routes:
                  - {name: health, path: /health}
                """.formatted(port));
        AtomicReference<FhirTestServer> late = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                Thread.sleep(1200);
                late.set(FhirTestServer.start(port, Duration.ofMillis(600), 0));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        starter.start();
        try {
            long start = System.nanoTime();
            SmokeReport report = new SmokeRunner(FAST).run(file, null);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(report.passed(), () -> report.failures().toString());
            assertTrue(millis >= 1700, "refused connections, then 503s, were waited out: " + millis + "ms");
        } finally {
            starter.join();
            late.get().close();
        }
    }

    @Test
    void aServiceThatNeverAnswersIsNotReady() throws IOException {
        int port = Peer.freePort();
        RoutesFile file = routes(dir, "baseUrl: http://127.0.0.1:" + port + "\nroutes:\n  - {name: health, path: /health}\n");
        SmokeOptions options = new SmokeOptions(4, Duration.ofMillis(800), Duration.ofSeconds(1));

        ServiceNotReadyException e = assertThrows(ServiceNotReadyException.class,
                () -> new SmokeRunner(options).run(file, null));
        assertTrue(e instanceof OutsideSystemException);
        assertEquals("http://127.0.0.1:" + port, e.system());
        assertTrue(e.getMessage().contains("not ready after 800ms (last answer: connection refused)"), e.getMessage());
    }

    @Test
    void aServiceThatKeepsAnswering503IsNotReady() throws IOException {
        try (FhirTestServer server = FhirTestServer.start(0, Duration.ofHours(1), 0)) {
            RoutesFile file = routes(dir, "readyPath: /health\nroutes:\n  - {name: root, path: /}\n");
            SmokeOptions options = new SmokeOptions(4, Duration.ofMillis(700), Duration.ofSeconds(1));
            long start = System.nanoTime();
            ServiceNotReadyException e = assertThrows(ServiceNotReadyException.class,
                    () -> new SmokeRunner(options).run(file, server.baseUrl()));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 700, "waited the whole ready timeout: " + millis + "ms");
            assertTrue(e.getMessage().contains("last answer: HTTP 503"), e.getMessage());
            assertTrue(server.requests() >= 2, "it polled more than once: " + server.requests());
        }
    }

    @Test
    void routesRunConcurrentlyButNeverMoreThanTheLimit() throws IOException {
        try (FhirTestServer server = FhirTestServer.start(0, Duration.ZERO, 100)) {
            StringBuilder yaml = new StringBuilder("routes:\n");
            for (int i = 0; i < 24; i++) {
                yaml.append("  - {name: work-").append(i).append(", path: /work}\n");
            }
            RoutesFile file = routes(dir, yaml.toString());
            long start = System.nanoTime();
            SmokeReport report = new SmokeRunner(new SmokeOptions(6, Duration.ofSeconds(5), Duration.ofSeconds(5)))
                    .run(file, server.baseUrl());
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertTrue(report.passed(), () -> report.failures().toString());
            assertTrue(server.maxInFlight() > 1, "max in flight seen by the server: " + server.maxInFlight());
            assertTrue(server.maxInFlight() <= 6, "bounded by --concurrency: " + server.maxInFlight());
            assertTrue(millis < 24 * 100, "faster than one at a time: " + millis + "ms");
        }
    }

    @Test
    void headerPlaceholdersComeFromTheEnvironmentAndNeverShowInResults() throws IOException {
        try (FhirTestServer server = FhirTestServer.start()) {
            RoutesFile file = routes(dir, """
                    routes:
                      - name: whoami
                        path: /whoami
                        headers: {Authorization: "Bearer ${SMOKE_TOKEN}"}
                    """);
            SmokeReport report = new SmokeRunner(FAST, Map.of("SMOKE_TOKEN", "s3cr3t-t0ken")::get)
                    .run(file, server.baseUrl());

            String message = report.routes().get(0).message();
            assertTrue(message.contains("token not accepted: Bearer ****"), "server got the token: " + message);
            assertFalse(message.contains("s3cr3t-t0ken"), message);
            assertFalse(JUnitXml.render(report).contains("s3cr3t-t0ken"));
        }
    }

    @Test
    void aMissingEnvironmentVariableIsBadInputBeforeAnyRequest() throws IOException {
        try (FhirTestServer server = FhirTestServer.start()) {
            RoutesFile file = routes(dir, """
                    routes:
                      - name: health
                        path: /health
                      - name: whoami
                        path: /whoami
                        headers: {Authorization: "Bearer ${SMOKE_TOKEN}"}
                    """);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> new SmokeRunner(FAST, name -> null).run(file, server.baseUrl()));
            assertEquals(4, e.line());
            assertEquals("routes[1].headers.Authorization", e.field());
            assertTrue(e.getMessage().contains("SMOKE_TOKEN is not set"));
            assertEquals(0, server.requests(), "nothing was sent");
        }
    }

    @Test
    void aSecretThatCannotBeAHeaderValueIsRefusedWithoutShowingIt() throws IOException {
        RoutesFile file = routes(dir, """
                routes:
                  - name: whoami
                    path: /whoami
                    headers: {Authorization: "Bearer ${SMOKE_TOKEN}"}
                """);
        BadInputException e = assertThrows(BadInputException.class,
                () -> new SmokeRunner(FAST, Map.of("SMOKE_TOKEN", "line1\nsecret-part")::get)
                        .run(file, "http://127.0.0.1:1"));
        assertEquals("routes[0].headers.Authorization", e.field());
        assertFalse(e.getMessage().contains("secret-part"), e.getMessage());
    }

    @Test
    void noBaseUrlAnywhereIsBadInput() throws IOException {
        RoutesFile file = routes(dir, "routes:\n  - {name: health, path: /health}\n");
        BadInputException e = assertThrows(BadInputException.class, () -> new SmokeRunner(FAST).run(file, null));
        assertEquals("baseUrl", e.field());
        BadInputException bad = assertThrows(BadInputException.class,
                () -> new SmokeRunner(FAST).run(file, "ftp://x"));
        assertEquals("--base-url", bad.field());
    }
}
