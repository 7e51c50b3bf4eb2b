package io.deployflow.meeting;

import io.deployflow.core.BadInputException;
import io.deployflow.git.RepoBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bundled example: three FHIR components with the histories a real team produces, and the deployflow.yaml
 * that describes them, so {@code deployflow demo} shows the release meeting with nothing but the jar.
 * <ul>
 * <li>fhir-gateway: released 1.2.0, then features merged with {@code --no-ff} by dev2 and a 1.3.0-rc.1
 * pre-release tag → 1.3.0, repo-person dev2;</li>
 * <li>terminology: released 0.4.1, then fast-forwarded fixes, the last by an address not on the team → 0.4.2,
 * repo-person reported as unknown;</li>
 * <li>fhir-validator: released 1.4.0, then a breaking change merged through a web UI by dev3 → 2.0.0.</li>
 * </ul>
 * Commit times are fixed, so every run makes the same commits.
 */
public final class DemoRepositories {
    static final String MARKER = ".deployflow-demo";
    private static final Instant START = Instant.parse("2026-09-01T08:00:00Z");

    private DemoRepositories() {
    }

    /** Creates {@code dir/repos/*} and {@code dir/deployflow.yaml}; returns the config file. */
    public static Path create(Path dir) {
        try {
            prepare(dir);
            Path repos = dir.resolve("repos");
            gateway(repos.resolve("fhir-gateway"));
            terminology(repos.resolve("terminology"));
            validator(repos.resolve("fhir-validator"));
            Path config = dir.resolve("deployflow.yaml");
            Files.writeString(config, CONFIG);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo in " + dir, e);
        }
    }

    /** Refuses a directory with other content: the demo replaces what it made before and nothing else. */
    private static void prepare(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> content = Files.list(dir)) {
                if (content.findAny().isPresent() && !Files.exists(dir.resolve(MARKER))) {
                    throw new BadInputException(null, 0, "--dir", dir + " is not empty and was not made by"
                            + " 'deployflow demo'; give an empty or new directory");
                }
            }
            for (String made : new String[] {"repos", "cache"}) {
                deleteTree(dir.resolve(made));
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by deployflow demo; safe to delete\n");
    }

    private static void gateway(Path dir) {
        try (RepoBuilder r = RepoBuilder.init(dir, "develop", START)) {
            r.commit("dev1@example.org", "feat: FHIR R4 gateway with Patient read and search", Map.of(
                    "README.md", readme("fhir-gateway", "1.0.0")));
            r.tag("v1.0.0", "fhir-gateway 1.0.0");
            r.commit("dev2@example.org", "feat(search): support _count and paging links (FHIR-3)");
            r.commit("dev1@example.org", "docs: README for 1.1.0", Map.of("README.md", readme("fhir-gateway", "1.1.0")));
            r.tag("v1.1.0", "fhir-gateway 1.1.0");
            r.commit("dev3@example.org", "fix: return 404 OperationOutcome for unknown Patient ids (FHIR-7)");
            r.commit("dev2@example.org", "docs: README for 1.2.0", Map.of("README.md", readme("fhir-gateway", "1.2.0")));
            r.tag("v1.2.0", "fhir-gateway 1.2.0");

            r.branch("feature/include");
            r.commit("dev3@example.org", "feat(search): support _include for Patient:organization (FHIR-12)");
            r.commit("dev3@example.org", "test: _include with missing references");
            r.checkout("develop");
            r.merge("feature/include", "dev2@example.org", "Merge branch 'feature/include' into develop", true);
            r.commit("dev1@example.org", "chore: release candidate", Map.of("VERSION", "1.3.0-rc.1\n"));
            r.tag("v1.3.0-rc.1", "fhir-gateway 1.3.0-rc.1 for the integration stack");
            r.branch("fix/etag");
            r.commit("dev1@example.org", "fix: weak ETag on conditional read (FHIR-15)\n\nRefs: OPS-4\n");
            r.checkout("develop");
            r.merge("fix/etag", "dev2@example.org", "Merge branch 'fix/etag' into develop", true);
        }
    }

    private static void terminology(Path dir) {
        try (RepoBuilder r = RepoBuilder.init(dir, "develop", START.plusSeconds(3600))) {
            r.commit("dev2@example.org", "feat: $lookup and $validate-code for LOINC", Map.of(
                    "README.md", readme("terminology", "0.4.0")));
            r.tag("v0.4.0", "terminology 0.4.0");
            r.commit("dev3@example.org", "fix: case-insensitive system URLs (FHIR-20)");
            r.tag("v0.4.1", "terminology 0.4.1");
            r.branch("fix/valueset-expansion");
            r.commit("dev3@example.org", "fix: $expand honours the count parameter (FHIR-31)");
            r.commit("contractor@partner.example", "perf: cache ValueSet expansions for 10 minutes (FHIR-33)");
            r.checkout("develop");
            r.merge("fix/valueset-expansion", "dev3@example.org", "unused: fast-forward", false);
        }
    }

    private static void validator(Path dir) {
        try (RepoBuilder r = RepoBuilder.init(dir, "develop", START.plusSeconds(7200))) {
            r.commit("dev1@example.org", "feat: validate resources against R4 and STU3 profiles", Map.of(
                    "README.md", readme("fhir-validator", "1.4.0")));
            r.tag("v1.4.0", "fhir-validator 1.4.0");
            r.branch("drop-stu3");
            r.commit("dev1@example.org", "feat!: drop STU3 profiles (FHIR-40)\n\n"
                    + "BREAKING CHANGE: STU3 resources are now rejected with 422.\n");
            r.commit("dev1@example.org", "docs: migration notes for STU3 users");
            r.checkout("develop");
            r.commit("dev2@example.org", "fix: terminology timeouts no longer fail validation (FHIR-41)");
            // what GitHub's merge button writes: author is who clicked, the PR title in the body
            r.merge("drop-stu3", "dev3@example.org", "Merge pull request #41 from fhir/drop-stu3\n\n"
                    + "feat!: drop STU3 profiles", true);
        }
    }

    private static String readme(String name, String version) {
        return "# " + name + "\n\nRelease " + version + ".\n\n## Configuration\n\n```yaml\n" + name + ":\n"
                + "  port: 8080\n  fhirVersion: R4\n```\n\n- `port`: HTTP port.\n"
                + "- `fhirVersion`: the FHIR release served.\n";
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static final String CONFIG = """
            # Made by `deployflow demo`: the example team, its three components and two customers.
            # Repositories are plain paths relative to this file; any git URL works the same way.
            team:
              - id: dev1
                name: Developer One
                emails: [dev1@example.org]
              - id: dev2
                name: Developer Two
                emails: [dev2@example.org]
              - id: dev3
                name: Developer Three
                emails: [dev3@example.org]
            components:
              - name: fhir-gateway
                repo: repos/fhir-gateway
                image: registry.example.org/fhir/fhir-gateway
              - name: terminology
                repo: repos/terminology
                image: registry.example.org/fhir/terminology
              - name: fhir-validator
                repo: repos/fhir-validator
                image: registry.example.org/fhir/fhir-validator
            customers:
              - name: acme
                repo: https://git.example.org/customers/acme-stack.git
              - name: st-mary
                repo: https://git.example.org/customers/st-mary-stack.git
            meeting:
              # dc-person: meetingIndex = floor(days since rotationStart / cadenceDays); customer i (config
              # order, pinned ones left out) gets available[(meetingIndex + i) mod n]; people away are skipped.
              rotationStart: 2026-01-05
              cadenceDays: 7
            releaseNotes:
              title: FHIR platform release
              ticketPattern: '\\b(FHIR|OPS)-[0-9]+\\b'
              ticketUrl: https://jira.example.org/browse/{key}
            """;
}
