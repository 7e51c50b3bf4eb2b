package io.deployflow.decision;

import io.deployflow.testsupport.VarsFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * releaseDecision's step fixtures are the records the jar writes for the call the step makes after the smoke
 * routes of acme's stack failed (the smoke report is the smoke-failed.json fixture, itself the jar's output):
 * release-without (decision.json), the same with the meeting's plan (decision-held-back.json, whose planAfter goes
 * on), retry (decision-retry.json), do-not-release (decision-do-not-release.json, which writes a retrospective), and
 * release-without for the release as a whole after a failed release (decision-release.json).
 */
class DecisionFixturesIT {
    static final String TESTED = """
            services:
              fhir-gateway:
                image: 127.0.0.1:5000/fhir/fhir-gateway:1.3.0
              terminology:
                image: 127.0.0.1:5000/fhir/terminology:0.4.1
            """;

    @TempDir
    Path dir;

    void inputs() throws Exception {
        Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                components:
                  - {name: fhir-gateway, repo: 'https://git.example.org/fhir/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
                  - {name: terminology, repo: 'https://git.example.org/fhir/terminology', image: 127.0.0.1:5000/fhir/terminology}
                  - {name: auth, repo: 'https://git.example.org/fhir/auth', image: 127.0.0.1:5000/fhir/auth}
                customers:
                  - {name: acme, repo: 'https://git.example.org/customers/acme-stack.git', contacts: [ops@acme.example]}
                decision: {deciders: [dev1]}
                """);
        Files.createDirectories(dir.resolve("deployflow-out/acme"));
        Files.copy(VarsFixtures.DIR.resolve("smoke-failed.json"), dir.resolve("deployflow-out/acme/smoke.json"));
        Files.copy(VarsFixtures.DIR.resolve("plan.json"), dir.resolve("plan.json"));
        Files.createDirectories(dir.resolve("production"));
        Files.writeString(dir.resolve("production/docker-compose.yml"),
                TESTED.replace("1.3.0", "1.2.0").replace("0.4.1", "0.4.0"));
        // what releaseDecision writes (failuresReport) when releaseComponents hands it a failed release
        Files.createDirectories(dir.resolve("deployflow-out/release"));
        Files.writeString(dir.resolve("deployflow-out/release/failures.json"), """
                {"routes":[{"name":"fhir-gateway","passed":false,"component":"fhir-gateway",
                 "repoPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org","known":true},
                 "message":"release failed: image did not appear"}]}
                """);
    }

    /** The step's call for acme's failed stack, on a fresh copy of the tested compose file. */
    VarsFixtures.Run forAcme(String choice, String reason, String json, String... more) throws Exception {
        Path compose = dir.resolve("customers/acme/docker-compose.yml");
        Files.createDirectories(compose.getParent());
        Files.writeString(compose, TESTED);
        List<String> args = new ArrayList<>(List.of("decision", "--config", "deployflow.yaml", "--customer", "acme",
                "--choice", choice, "--by", "dev1", "--reason", reason, "--failures", "deployflow-out/acme/smoke.json",
                "--component", "fhir-gateway", "--component", "terminology",
                "--file", "customers/acme/docker-compose.yml", "--production-file", "production/docker-compose.yml"));
        args.addAll(List.of(more));
        args.addAll(List.of("--json", json));
        return VarsFixtures.jar(dir, Map.of(), args);
    }

    @Test
    void decisionFixturesAreWhatTheJarWrites() throws Exception {
        inputs();
        Map<String, String> shown = Map.of(dir.toString(), "/work");

        VarsFixtures.Run run = forAcme("release-without", "terminology can't wait", "without.json");
        assertEquals(0, run.exitCode(), run.output());
        VarsFixtures.check("decision.json", dir.resolve("without.json"), shown);

        run = forAcme("release-without", "terminology paging broken", "held-back.json", "--plan", "plan.json");
        assertEquals(0, run.exitCode(), run.output());
        VarsFixtures.check("decision-held-back.json", dir.resolve("held-back.json"), shown);

        run = forAcme("retry", "fix coming", "retry.json");
        assertEquals(0, run.exitCode(), run.output());
        VarsFixtures.check("decision-retry.json", dir.resolve("retry.json"), shown);

        run = forAcme("do-not-release", "too risky", "stop.json");
        assertEquals(0, run.exitCode(), run.output());
        // the retrospective is named after the day it was written
        Path retrospective;
        try (Stream<Path> files = Files.list(dir.resolve("retrospectives"))) {
            retrospective = files.findFirst().orElseThrow();
        }
        VarsFixtures.check("decision-do-not-release.json", dir.resolve("stop.json"), Map.of(
                retrospective.toString(), "/work/retrospectives/2026-11-23-acme-not-released.md",
                dir.toString(), "/work"));

        run = VarsFixtures.jar(dir, Map.of(), List.of("decision", "--config", "deployflow.yaml",
                "--choice", "release-without", "--by", "dev1", "--reason", "image never built",
                "--plan", "plan.json", "--failures", "deployflow-out/release/failures.json",
                "--component", "fhir-gateway", "--json", "release.json"));
        assertEquals(0, run.exitCode(), run.output());
        VarsFixtures.check("decision-release.json", dir.resolve("release.json"), shown);
    }
}
