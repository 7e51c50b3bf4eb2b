package io.deployflow.smoke;

import io.deployflow.testpeers.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar's {@code smoke} command as a pipeline runs it: a separate JVM, exit codes, files. */
class SmokeIT {
    @TempDir
    Path dir;

    record Result(int exitCode, String stderr) {
    }

    private Result jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", System.getProperty("deployflow.jar",
                "target/deployflow.jar")));
        command.addAll(List.of(args));
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DEPLOYFLOW_AUDIT_LOG", dir.resolve("audit.jsonl").toString());
        Process p = builder.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "smoke CLI did not finish");
        return new Result(p.exitValue(), Files.readString(err));
    }

    @Test
    void exitCodesOfTheBuiltJar() throws Exception {
        try (FhirTestServer server = FhirTestServer.start()) {
            SmokeRunnerTest.routes(dir, """
                    readyPath: /health
                    routes:
                      - name: patient-create
                        method: POST
                        path: /fhir/Patient
                        file: samples/patient.json
                        expect: {status: 201, json: {"$.resourceType": Patient}}
                        component: fhir-gateway
                      - name: observations
                        path: /fhir/Observation
                        component: terminology
                    """);
            String routes = dir.resolve("routes.yaml").toString();

            Result failing = jar("smoke", "--routes", routes, "--base-url", server.baseUrl(),
                    "--junit", dir.resolve("smoke.xml").toString());
            assertEquals(1, failing.exitCode(), failing.stderr());
            assertTrue(failing.stderr().contains("PASS patient-create 201"), failing.stderr());
            assertTrue(failing.stderr().contains("FAIL observations 500"), failing.stderr());
            assertEquals("1", SmokeCommandTest.junit(dir.resolve("smoke.xml")).getAttribute("failures"));

            Result notReady = jar("smoke", "--routes", routes, "--base-url", "http://127.0.0.1:" + Peer.freePort(),
                    "--ready-timeout", "1s");
            assertEquals(3, notReady.exitCode(), notReady.stderr());

            Files.writeString(dir.resolve("routes.yaml"), "routes:\n  - {name: a, path: /, methd: GET}\n");
            Result bad = jar("smoke", "--routes", routes);
            assertEquals(2, bad.exitCode(), bad.stderr());
            assertTrue(bad.stderr().contains(routes + ":2: routes[0].methd: unknown key"), bad.stderr());
            assertEquals(3, Files.readAllLines(dir.resolve("audit.jsonl")).size(), "each run is audited");
        }
    }
}
