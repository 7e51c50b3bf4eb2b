package io.deployflow.delivery;

import io.deployflow.cli.Main;
import io.deployflow.config.ConfigLoader;
import io.deployflow.release.notes.NotesFormat;
import io.deployflow.release.notes.ReleaseNotes;
import io.deployflow.release.notes.ReleasePlan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The files a delivery takes (config, plan, tested compose file and .env), written for one test. */
public final class DeliveryInputs {
    static final String COMPOSE_TESTED = """
            services:
              gateway:
                image: registry.example.org/fhir/fhir-gateway:1.3.0
                ports: ["8080:8080"]
                environment:
                  LOG_LEVEL: ${LOG_LEVEL:-info}
                  DB_PASSWORD: ${DB_PASSWORD}
              terminology:
                image: registry.example.org/fhir/terminology:${TERMINOLOGY_VERSION}
              db:
                image: postgres:16
            """;

    static final String ENV_TESTED = "TERMINOLOGY_VERSION=2.0.1\nLOG_LEVEL=info\nDB_PASSWORD=example-only-pw\n";

    final Path dir;
    final Path config;
    final Path plan;
    final Path compose;
    final Path env;
    final Path cache;
    final Path json;

    public DeliveryInputs(Path dir, String repoUrl) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        config = dir.resolve("deployflow.yaml");
        Files.writeString(config, """
                team:
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                  - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
                components:
                  - {name: fhir-gateway, repo: https://git.example.org/fhir/gw.git, image: registry.example.org/fhir/fhir-gateway}
                  - {name: terminology, repo: https://git.example.org/fhir/term.git, image: registry.example.org/fhir/terminology}
                customers:
                  - name: acme
                    repo: %s
                """.formatted(repoUrl));
        plan = dir.resolve("plan.json");
        Files.writeString(plan, """
                {"meetingDate":"2026-11-23",
                 "components":[
                  {"name":"fhir-gateway","repo":"https://git.example.org/fhir/gw.git",
                   "image":"registry.example.org/fhir/fhir-gateway","hasChanges":true,"lastRelease":"1.2.0",
                   "nextVersion":"1.3.0","releaseVersion":"1.3.0",
                   "repoPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org","known":true},
                   "changes":[{"sha":"4f2a9c1e0b7d","subject":"feat: bulk export (FHIR-12)","type":"feat",
                     "breaking":false,"tickets":["FHIR-12"]}]},
                  {"name":"terminology","repo":"https://git.example.org/fhir/term.git",
                   "image":"registry.example.org/fhir/terminology","hasChanges":true,"lastRelease":"2.0.0",
                   "nextVersion":"2.0.1","releaseVersion":"2.0.1","repoPerson":null,"changes":[]}],
                 "customers":[{"name":"acme","dcPerson":{"id":"dev3","name":"Developer Three",
                   "email":"dev3@example.org"},"rule":"rotation"}]}
                """);
        compose = dir.resolve("docker-compose.tested.yml");
        Files.writeString(compose, COMPOSE_TESTED);
        env = dir.resolve("tested.env");
        Files.writeString(env, ENV_TESTED);
        cache = dir.resolve("cache");
        json = dir.resolve("deliver.json");
    }

    List<String> args(String... extra) {
        List<String> args = new ArrayList<>(List.of("deliver", "--config", config.toString(), "--customer", "acme",
                "--plan", plan.toString(), "--file", compose.toString(),
                "--env-file", env.toString(), "--cache", cache.toString(), "--json", json.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    public DeliveryRequest request(Map<String, String> environment) {
        return request(environment, cache);
    }

    /** @param cacheDir null for a temporary clone per delivery */
    public DeliveryRequest request(Map<String, String> environment, Path cacheDir) {
        return new DeliveryRequest(ConfigLoader.load(config), "acme", plan, null, compose, env, null, cacheDir,
                environment);
    }

    /** The notes a delivery of this plan sends: the bundled template rendered from the plan. */
    String expectedNotes() {
        return new ReleaseNotes(ConfigLoader.load(config)).render(ReleasePlan.load(plan), NotesFormat.MARKDOWN,
                null);
    }

    /** Runs the CLI in this JVM, capturing stderr. */
    static Run run(List<String> args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args.toArray(String[]::new));
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    record Run(int exitCode, String stderr) {
    }
}
