package io.deployflow.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.cli.CliRun;
import io.deployflow.core.Json;
import io.deployflow.testpeers.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code smoke} command end to end in this JVM, against a real loopback server. */
class SmokeCommandTest {
    private static final String ROUTES = """
            readyPath: /health
            routes:
              - name: patient-create
                method: POST
                path: /fhir/Patient
                file: samples/patient.json
                headers: {Content-Type: application/fhir+json}
                expect: {status: 201, bodyContains: ["resourceType"], json: {"$.resourceType": "Patient"}}
                component: fhir-gateway
              - name: observations
                path: /fhir/Observation
                expect: {status: 200}
                component: terminology
              - name: health
                path: /health
                expect: {status: 200}
            """;
    private static final String PLAN = """
            {"meetingDate":"2026-11-23",
             "components":[
               {"name":"fhir-gateway","repoPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org","known":true}},
               {"name":"terminology","repoPerson":{"id":"dev3","name":"Developer Three","email":"dev3@example.org","known":true}}],
             "customers":[]}
            """;

    @TempDir
    Path dir;

    @Test
    void allRoutesPassingExitsZeroAndWritesJUnitAndJson() throws Exception {
        try (FhirTestServer server = FhirTestServer.start()) {
            SmokeRunnerTest.routes(dir, ROUTES.replace("path: /fhir/Observation\n    expect: {status: 200}",
                    "path: /fhir/Observation\n    expect: {status: 500}"));
            CliRun run = CliRun.of("smoke", "--routes", dir.resolve("routes.yaml").toString(),
                    "--base-url", server.baseUrl(), "--junit", dir.resolve("out/smoke.xml").toString(),
                    "--json", dir.resolve("smoke.json").toString());

            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.err().contains("PASS patient-create 201 "), run.err());
            assertTrue(run.err().contains("smoke passed: 3 of 3 routes passed"), run.err());
            Element suite = junit(dir.resolve("out/smoke.xml"));
            assertEquals("3", suite.getAttribute("tests"));
            assertEquals("0", suite.getAttribute("failures"));
            assertEquals(0, suite.getElementsByTagName("failure").getLength());
            JsonNode json = Json.mapper().readTree(dir.resolve("smoke.json").toFile());
            assertTrue(json.get("passed").booleanValue());
            assertEquals(server.baseUrl(), json.get("baseUrl").textValue());
            assertEquals(3, json.at("/counts/passed").intValue());
            assertEquals(0, json.get("failures").size());
        }
    }

    @Test
    void aFailingRouteExitsOneAndNamesItsRepoPersonFromThePlan() throws Exception {
        try (FhirTestServer server = FhirTestServer.start()) {
            SmokeRunnerTest.routes(dir, ROUTES);
            Files.writeString(dir.resolve("plan.json"), PLAN);
            CliRun run = CliRun.of("smoke", "--routes", dir.resolve("routes.yaml").toString(),
                    "--base-url", server.baseUrl(), "--concurrency", "2", "--plan", dir.resolve("plan.json").toString(),
                    "--junit", dir.resolve("smoke.xml").toString(), "--json", dir.resolve("smoke.json").toString());

            assertEquals(1, run.exitCode(), run.err());
            assertTrue(run.err().contains("FAIL observations 500 "), run.err());
            assertTrue(run.err().contains("observations (component terminology, repo-person Developer Three"
                    + " <dev3@example.org>)"), run.err());

            Element suite = junit(dir.resolve("smoke.xml"));
            assertEquals("smoke", suite.getAttribute("name"));
            assertEquals("3", suite.getAttribute("tests"));
            assertEquals("1", suite.getAttribute("failures"));
            NodeList cases = suite.getElementsByTagName("testcase");
            assertEquals(3, cases.getLength());
            Element create = (Element) cases.item(0);
            assertEquals("smoke.fhir-gateway", create.getAttribute("classname"));
            assertEquals("patient-create", create.getAttribute("name"));
            assertTrue(create.getAttribute("time").matches("\\d+\\.\\d{3}"), create.getAttribute("time"));
            Element observations = (Element) cases.item(1);
            assertEquals("smoke.terminology", observations.getAttribute("classname"));
            Element failure = (Element) observations.getElementsByTagName("failure").item(0);
            assertEquals("expected status 200, got 500", failure.getAttribute("message"));
            assertEquals("status", failure.getAttribute("type"));
            assertTrue(failure.getTextContent().contains("body: NullPointerException at <Observation> &"),
                    failure.getTextContent());
            assertTrue(failure.getTextContent().contains("repo-person: Developer Three <dev3@example.org> (dev3)"));
            assertEquals("smoke.routes", ((Element) cases.item(2)).getAttribute("classname"),
                    "a route without component is grouped under 'routes'");

            JsonNode json = Json.mapper().readTree(dir.resolve("smoke.json").toFile());
            assertFalse(json.get("passed").booleanValue());
            assertEquals(3, json.at("/counts/total").intValue());
            assertEquals(1, json.at("/counts/failed").intValue());
            JsonNode failed = json.get("failures").get(0);
            assertEquals("observations", failed.get("name").textValue());
            assertEquals(500, failed.get("status").intValue());
            assertEquals("terminology", failed.get("component").textValue());
            assertEquals("dev3", failed.at("/repoPerson/id").textValue());
            assertEquals("dev3@example.org", failed.at("/repoPerson/email").textValue());
            assertTrue(failed.get("message").textValue().startsWith("expected status 200, got 500; body: "));
            assertTrue(failed.get("url").textValue().endsWith("/fhir/Observation"));
            assertTrue(json.at("/routes/0/passed").booleanValue());
            assertTrue(json.at("/routes/0/repoPerson").isNull(), "only failures are attributed");
        }
    }

    @Test
    void aComponentMissingFromThePlanIsAttributedToUnknown() throws Exception {
        try (FhirTestServer server = FhirTestServer.start()) {
            SmokeRunnerTest.routes(dir, ROUTES);
            Files.writeString(dir.resolve("plan.json"), "{\"components\":[]}");
            CliRun run = CliRun.of("smoke", "--routes", dir.resolve("routes.yaml").toString(),
                    "--base-url", server.baseUrl(), "--plan", dir.resolve("plan.json").toString(),
                    "--json", dir.resolve("smoke.json").toString());
            assertEquals(1, run.exitCode(), run.err());
            JsonNode failed = Json.mapper().readTree(dir.resolve("smoke.json").toFile()).get("failures").get(0);
            assertEquals("unknown", failed.at("/repoPerson/name").textValue());
            assertFalse(failed.at("/repoPerson/known").booleanValue());
        }
    }

    @Test
    void aServiceThatNeverBecomesReadyExitsThree() throws Exception {
        SmokeRunnerTest.routes(dir, ROUTES);
        CliRun run = CliRun.of("smoke", "--routes", dir.resolve("routes.yaml").toString(),
                "--base-url", "http://127.0.0.1:" + Peer.freePort(), "--ready-timeout", "500ms",
                "--json", dir.resolve("smoke.json").toString());
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.err().contains("not ready after 500ms (last answer: connection refused)"), run.err());
        assertFalse(Files.exists(dir.resolve("smoke.json")), "no result claims routes were tested");
    }

    @Test
    void aComponentUnknownToTheConfigIsRefused() throws Exception {
        SmokeRunnerTest.routes(dir, ROUTES.replace("component: terminology", "component: terminolgy"));
        Path config = dir.resolve("deployflow.yaml");
        Files.writeString(config, """
                team:
                  - {id: dev1, emails: [dev1@example.org]}
                components:
                  - {name: fhir-gateway, repo: https://git.example.org/fhir/fhir-gateway.git}
                  - {name: terminology, repo: https://git.example.org/fhir/terminology.git}
                """);
        CliRun run = CliRun.of("smoke", "--routes", dir.resolve("routes.yaml").toString(),
                "--config", config.toString(), "--ready-timeout", "0s");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(dir.resolve("routes.yaml") + ":13: routes[1].component: 'terminolgy' is"
                + " not a component in"), run.err());
        assertTrue(run.err().contains("did you mean 'terminology'?"), run.err());
    }

    @Test
    void badOptionsAndABadPlanAreRefused() throws Exception {
        SmokeRunnerTest.routes(dir, ROUTES);
        String routes = dir.resolve("routes.yaml").toString();
        CliRun timeout = CliRun.of("smoke", "--routes", routes, "--ready-timeout", "2 minutes");
        assertEquals(2, timeout.exitCode());
        assertTrue(timeout.err().contains("error: --ready-timeout: '2 minutes' is not a duration"), timeout.err());

        CliRun concurrency = CliRun.of("smoke", "--routes", routes, "--concurrency", "0");
        assertEquals(2, concurrency.exitCode());
        assertTrue(concurrency.err().contains("--concurrency: must be between 1 and 1024"));

        Files.writeString(dir.resolve("plan.json"), "{\"components\": {}}");
        CliRun plan = CliRun.of("smoke", "--routes", routes, "--plan", dir.resolve("plan.json").toString());
        assertEquals(2, plan.exitCode());
        assertTrue(plan.err().contains("plan.json: components: a plan must have a components list"),
                plan.err());

        CliRun missing = CliRun.of("smoke", "--routes", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nope.yaml: routes file not found"));
    }

    /** Parses the file back with the JDK's XML parser, as Jenkins' junit step would, and returns the suite. */
    static Element junit(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(file.toFile());
        Element root = doc.getDocumentElement();
        assertEquals("testsuite", root.getTagName());
        return root;
    }
}
