package io.deployflow.smoke;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.deployflow.cli.CliRun;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutesFileTest {
    @TempDir
    Path dir;

    @Test
    void loadsEveryPartOfARoute() throws IOException {
        RoutesFile file = SmokeRunnerTest.routes(dir, """
                baseUrl: http://127.0.0.1:8080/
                readyPath: /health
                headers: {Accept: application/fhir+json}
                routes:
                  - name: patient-create
                    method: post
                    path: /fhir/Patient
                    file: samples/patient.json
                    headers: {Content-Type: application/fhir+json, Authorization: "Bearer ${SMOKE_TOKEN}"}
                    expect: {status: 201, bodyContains: resourceType, json: {"$.resourceType": "Patient",
                             "$.meta.versionId": 1, "$.active": true, "$['odd key'][0].x": "1", "$.gone": null}}
                    component: fhir-gateway
                    timeout: 5s
                  - name: health
                    path: /health
                """);

        assertEquals("http://127.0.0.1:8080", file.baseUrl(), "a trailing slash is dropped");
        assertEquals("/health", file.readyPath());
        Route create = file.routes().get(0);
        assertEquals("POST", create.method());
        assertEquals(dir.resolve("samples/patient.json").toAbsolutePath(), create.body());
        assertEquals("Bearer ${SMOKE_TOKEN}", create.headers().get("Authorization"), "resolved only at run time");
        assertEquals("application/fhir+json", create.headers().get("Accept"), "file-wide headers apply");
        assertEquals(Set.of(201), create.expect().statuses());
        assertEquals(List.of("resourceType"), create.expect().bodyContains());
        List<Object> expected = create.expect().json().values().stream().map(v -> (Object) v).toList();
        assertEquals(List.of(TextNode.valueOf("Patient"), IntNode.valueOf(1), BooleanNode.TRUE, TextNode.valueOf("1"),
                        NullNode.getInstance()),
                expected, "YAML types are kept: \"1\" stays a string");
        assertEquals("fhir-gateway", create.component());
        assertEquals(Duration.ofSeconds(5), create.timeout());
        assertEquals(5, create.line());

        Route health = file.routes().get(1);
        assertEquals("GET", health.method());
        assertNull(health.body());
        assertTrue(health.expect().acceptsStatus(204) && !health.expect().acceptsStatus(301),
                "no status given means any 2xx");
        assertNull(health.timeout());
    }

    @Test
    void everyYamlScalarBecomesTheJsonValueTheMapperMakesOfIt() {
        // what each YAML scalar types as, through the same YAML reading the routes file uses
        String yaml = """
                {s: Patient, quoted: "1", i: 1, negative: -7, long: 5000000000, big: 123456789012345678901234567890,
                 f: 1.5, exp: 1e3, t: true, f2: false, n: null, tilde: ~, empty: }
                """;
        io.deployflow.config.YamlNode root = io.deployflow.config.YamlNode.parse("typed.yaml", yaml);
        root.entries().forEach((key, value) -> {
            Object typed = value.typedValue();
            assertEquals(typed == null ? NullNode.getInstance() : Json.mapper().valueToTree(typed),
                    RoutesFile.jsonValue(typed), key + " (" + (typed == null ? "null" : typed.getClass()) + ")");
        });
        assertEquals(LongNode.valueOf(5_000_000_000L), RoutesFile.jsonValue(root.get("long").typedValue()));
        assertTrue(!IntNode.valueOf(5).equals(LongNode.valueOf(5)), "why the exact node kind matters");
        assertEquals(Json.mapper().valueToTree(List.of(1)), RoutesFile.jsonValue(List.of(1)), "other values");
    }

    @Test
    void theDocumentedExampleLoads() {
        Path example = Path.of(System.getProperty("deployflow.projectDir", "."), "examples/smoke/routes.yaml");
        RoutesFile file = RoutesFile.load(example);
        assertEquals(List.of("patient-create", "patient-search", "health"),
                file.routes().stream().map(Route::name).toList());
        assertEquals("Bearer ${SMOKE_TOKEN}", file.routes().get(1).headers().get("Authorization"));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("unknown route key", "routes:\n  - name: a\n    path: /\n    methd: POST\n",
                        4, "routes[0].methd", "unknown key 'methd'; did you mean 'method'?"),
                Arguments.of("unknown top-level key", "baseURL: http://x\nroutes:\n  - {name: a, path: /}\n",
                        1, "baseURL", "did you mean 'baseUrl'?"),
                Arguments.of("unknown expect key", "routes:\n  - name: a\n    path: /\n    expect: {statuss: 200}\n",
                        4, "routes[0].expect.statuss", "did you mean 'status'?"),
                Arguments.of("missing sample file", "routes:\n  - name: create\n    path: /\n    file: samples/nope.json\n",
                        4, "routes[0].file", "route 'create': sample file not found: "),
                Arguments.of("bad JSON path", "routes:\n  - name: a\n    path: /\n    expect:\n      json: {\"$.a..b\": 1}\n",
                        5, "routes[0].expect.json.$.a..b", "bad JSON path: '$.a..b' is not understood"),
                Arguments.of("JSON path without $", "routes:\n  - name: a\n    path: /\n    expect: {json: {a.b: 1}}\n",
                        4, "routes[0].expect.json.a.b", "must start with '$'"),
                Arguments.of("unsupported JSON function", "routes:\n  - name: a\n    path: /\n    expect: {json: {$.a.size(): 1}}\n",
                        4, "routes[0].expect.json.$.a.size()", "only the function length() is supported"),
                Arguments.of("bad method", "routes:\n  - name: a\n    method: FETCH\n    path: /\n",
                        3, "routes[0].method", "'FETCH' is not an HTTP method"),
                Arguments.of("duplicate route name", "routes:\n  - {name: a, path: /}\n  - {name: b, path: /}\n  - {name: a, path: /x}\n",
                        4, "routes[2].name", "duplicate route name 'a'; it is already used at line 2"),
                Arguments.of("status out of range", "routes:\n  - name: a\n    path: /\n    expect: {status: [200, 999]}\n",
                        4, "routes[0].expect.status[1]", "status 999 is not an HTTP status (100..599)"),
                Arguments.of("status not a number", "routes:\n  - name: a\n    path: /\n    expect: {status: ok}\n",
                        4, "routes[0].expect.status", "'ok' is not an HTTP status"),
                Arguments.of("bad timeout", "routes:\n  - name: a\n    path: /\n    timeout: 5 sec\n",
                        4, "routes[0].timeout", "'5 sec' is not a duration"),
                Arguments.of("missing path", "routes:\n  - name: a\n",
                        2, "routes[0].path", "missing required field 'path'"),
                Arguments.of("path without slash", "routes:\n  - name: a\n    path: fhir/Patient\n",
                        3, "routes[0].path", "must start with '/'"),
                Arguments.of("header the client sets", "routes:\n  - name: a\n    path: /\n    headers: {Host: x}\n",
                        4, "routes[0].headers.Host", "set by the HTTP client itself"),
                Arguments.of("broken placeholder", "routes:\n  - name: a\n    path: /\n    headers: {X-Token: \"${TOKEN\"}\n",
                        4, "routes[0].headers.X-Token", "a placeholder must read ${NAME}"),
                Arguments.of("bad base URL", "baseUrl: ftp://example.org\nroutes:\n  - {name: a, path: /}\n",
                        1, "baseUrl", "is not an http:// or https:// URL"),
                Arguments.of("no routes", "baseUrl: http://127.0.0.1:1\nroutes: []\n",
                        2, "routes", "lists no routes"),
                Arguments.of("malformed YAML", "routes:\n  - name: a\n   path: /\n",
                        3, null, "malformed YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aBadRoutesFileIsRefusedWithFileLineAndField(String title, String yaml, int line, String field,
                                                     String message) throws IOException {
        Files.createDirectories(dir.resolve("samples"));
        Files.writeString(dir.resolve("samples/patient.json"), SmokeRunnerTest.PATIENT);
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, yaml);

        CliRun run = CliRun.of("smoke", "--routes", routes.toString(), "--base-url", "http://127.0.0.1:1",
                "--ready-timeout", "0s");

        assertEquals(2, run.exitCode(), run.err());
        String where = routes + ":" + line + ": " + (field == null ? "" : field + ": ");
        assertTrue(run.err().contains("error: " + where), "expected '" + where + "' in:\n" + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in:\n" + run.err());
        assertTrue(run.err().contains("Nothing was changed."));
        assertTrue(!run.err().contains("waiting for"), "refused before any request");
    }

    @Test
    void everyProblemOfARoutesFileIsReportedInOneRun() throws IOException {
        Path routes = dir.resolve("routes.yaml");
        Files.writeString(routes, """
                baseURL: http://x
                routes:
                  - name: a
                    path: nope
                  - name: b
                    path: /
                    methd: POST
                  - name: a
                    path: /x
                """);

        CliRun run = CliRun.of("smoke", "--routes", routes.toString(), "--base-url", "http://127.0.0.1:1",
                "--ready-timeout", "0s");

        assertEquals(2, run.exitCode(), run.err());
        List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(List.of(
                "error: " + routes + ":1: baseURL: unknown key 'baseURL'",
                "error: " + routes + ":4: routes[0].path: 'nope' must start with '/'",
                "error: " + routes + ":7: routes[1].methd: unknown key 'methd'",
                "error: " + routes + ":8: routes[2].name: duplicate route name 'a'; it is already used at line 3"),
                errors.stream().map(l -> l.replaceAll("(unknown key '[^']+').*", "$1")
                        .replaceAll("(must start with '/').*", "$1")).toList(), run.err());
    }
}
