package io.deployflow.smoke;

import com.sun.net.httpserver.HttpServer;
import io.deployflow.testsupport.VarsFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * smokeTest's and dockerPrep's step fixtures (smoke-passed.json, smoke-failed.json with the failing components'
 * repo-persons, smoke-junit.xml) are what the jar writes against a small FHIR-like service.
 */
class SmokeFixturesIT {
    static final String SHOWN = "http://127.0.0.1:18093";

    @TempDir
    Path dir;

    HttpServer service(boolean broken) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            String body = "{\"status\":\"UP\"}";
            if (path.equals("/fhir/Patient")) {
                status = broken ? 500 : 201;
                body = broken ? "{\"issue\":\"NullPointerException\"}" : "{\"resourceType\":\"Patient\",\"id\":\"1\"}";
            } else if (path.startsWith("/fhir/ValueSet")) {
                body = broken ? "{\"resourceType\":\"ValueSet\"}" : "{\"resourceType\":\"ValueSet\",\"expansion\":{}}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    void inputs() throws Exception {
        Files.writeString(dir.resolve("patient.json"), "{\"resourceType\":\"Patient\"}");
        Files.writeString(dir.resolve("routes.yaml"), """
                routes:
                  - {name: health, path: /health, expect: {status: 200}}
                  - {name: patient-create, method: POST, path: /fhir/Patient, file: patient.json,
                     expect: {status: 201}, component: fhir-gateway}
                  - {name: valueset-expand, path: /fhir/ValueSet/$expand, expect: {bodyContains: [expansion]},
                     component: terminology}
                """);
        Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                components:
                  - {name: fhir-gateway, repo: 'file:///nowhere/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
                  - {name: terminology, repo: 'file:///nowhere/terminology', image: 127.0.0.1:5000/fhir/terminology}
                customers: []
                """);
        Files.writeString(dir.resolve("plan.json"), """
                {"meetingDate":"2026-11-23","components":[
                 {"name":"fhir-gateway","hasChanges":true,"lastRelease":"1.2.0","nextVersion":"1.3.0",
                  "releaseVersion":"1.3.0","changes":[],
                  "repoPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org","known":true}},
                 {"name":"terminology","hasChanges":true,"lastRelease":"0.4.0","nextVersion":"0.4.1",
                  "releaseVersion":"0.4.1","changes":[],
                  "repoPerson":{"id":null,"name":"Outside Contributor","email":"oc@elsewhere.example","known":false}}],
                 "customers":[]}
                """);
    }

    VarsFixtures.Run smoke(HttpServer server, String name) {
        return VarsFixtures.jar(dir, Map.of(), List.of("smoke", "--routes", "routes.yaml", "--base-url",
                "http://127.0.0.1:" + server.getAddress().getPort(), "--plan", "plan.json", "--config",
                "deployflow.yaml", "--concurrency", "1", "--json", name + ".json", "--junit", name + ".xml"));
    }

    @Test
    void smokeFixturesAreWhatTheJarWrites() throws Exception {
        inputs();
        HttpServer good = service(false);
        try {
            VarsFixtures.Run run = smoke(good, "passed");
            assertEquals(0, run.exitCode(), run.output());
            Map<String, String> shown = Map.of("http://127.0.0.1:" + good.getAddress().getPort(), SHOWN);
            VarsFixtures.check("smoke-passed.json", dir.resolve("passed.json"), shown);
            VarsFixtures.checkText("smoke-junit.xml", dir.resolve("passed.xml"), shown);
        } finally {
            good.stop(0);
        }
        HttpServer broken = service(true);
        try {
            VarsFixtures.Run run = smoke(broken, "failed");
            assertEquals(1, run.exitCode(), run.output());
            VarsFixtures.check("smoke-failed.json", dir.resolve("failed.json"),
                    Map.of("http://127.0.0.1:" + broken.getAddress().getPort(), SHOWN));
        } finally {
            broken.stop(0);
        }
    }
}
