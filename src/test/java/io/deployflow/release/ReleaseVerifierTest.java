package io.deployflow.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.cli.CliRun;
import io.deployflow.core.Json;
import io.deployflow.git.RepoBuilder;
import io.deployflow.testpeers.RegistryPeer;
import io.deployflow.testpeers.TinyImagePush;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** verify-release on real repositories and a real docker-registry on 127.0.0.1. */
class ReleaseVerifierTest {
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");
    private static final String README_OK = "# gateway\n\n## Configuration\n\n```yaml\nport: 8080\n```\n";
    private static RegistryPeer registry;
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    @BeforeAll
    static void registry() {
        registry = RegistryPeer.start(shared.resolve("registry"));
        TinyImagePush.push(registry.hostPort(), "fhir/gateway", "1.1.0");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private Path config() throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, "team:\n  - {id: dev1, emails: [dev1@example.org]}\n"
                + "components:\n  - {name: gateway, repo: repo, image: '" + registry.hostPort() + "/fhir/gateway'}\n"
                + "  - {name: noimage, repo: repo}\n");
        return file;
    }

    private RepoBuilder released(String readmeAtRelease, String releaseMessage) {
        RepoBuilder r = RepoBuilder.init(dir.resolve("repo"), "develop", T0);
        r.commit("dev1@example.org", "feat: first", Map.of("README.md", README_OK + "\nRelease 1.0.0\n"));
        r.tag("v1.0.0", "1.0.0");
        r.commit("dev1@example.org", "feat: second");
        r.commit("dev1@example.org", releaseMessage, Map.of("README.md", readmeAtRelease));
        r.tag("v1.1.0", "1.1.0");
        r.commit("dev1@example.org", "fix: after the release [skip ci]");
        r.tag("v1.1.1-rc.1", null);
        return r;
    }

    private CliRun verify(String... extra) throws IOException {
        String[] base = {"verify-release", "--config", config().toString(), "--component", "gateway",
                "--cache", dir.resolve("cache").toString(), "--json", dir.resolve("verify.json").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void aGoodReleasePassesEveryCheck() throws IOException {
        try (RepoBuilder ignored = released(README_OK + "\nRelease 1.1.0: paging\n", "docs: README for 1.1.0")) {
            CliRun run = verify();
            assertEquals(0, run.exitCode(), run.toString());
            for (String check : new String[] {"tag-exists", "no-skip-ci", "readme-changed", "readme-example-config",
                    "image-exists"}) {
                assertTrue(run.out().contains("PASS " + check + ":"), check + "\n" + run.out());
            }
            JsonNode json = Json.mapper().readTree(dir.resolve("verify.json").toFile());
            assertEquals("1.1.0", json.path("version").asText(), "latest release; the rc does not count");
            assertEquals("v1.1.0", json.path("tag").asText());
            assertTrue(json.path("passed").asBoolean());
            assertEquals(5, json.path("checks").size());
            assertEquals("image-exists", json.path("checks").get(4).path("name").asText());
            assertEquals("PASS", json.path("checks").get(4).path("status").asText());
        }
    }

    @Test
    void skipCiOnTheTaggedCommitFails() throws IOException {
        try (RepoBuilder ignored = released(README_OK + "\n1.1.0\n", "docs: README for 1.1.0 [skip ci]")) {
            CliRun run = verify("--version", "v1.1.0");
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.out().contains("FAIL no-skip-ci:"), run.out());
            assertTrue(run.out().contains("PASS readme-changed:"), run.out());
        }
    }

    @Test
    void unchangedReadmeFails() throws IOException {
        try (RepoBuilder ignored = released(README_OK + "\nRelease 1.0.0\n", "chore: release 1.1.0")) {
            CliRun run = verify("--version", "1.1.0");
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.out().contains("FAIL readme-changed: README.md is unchanged since v1.0.0"), run.out());
            assertTrue(run.out().contains("PASS readme-example-config:"), run.out());
        }
    }

    @Test
    void readmeWithoutExampleConfigurationFails() throws IOException {
        try (RepoBuilder ignored = released("# gateway\n\nNow with paging.\n", "docs: README")) {
            CliRun run = verify();
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.out().contains("FAIL readme-example-config:"), run.out());
        }
    }

    @Test
    void missingImageAndMissingTagFail() throws IOException {
        try (RepoBuilder ignored = released(README_OK + "\n1.1.0\n", "docs: README")) {
            CliRun olderRelease = verify("--version", "1.0.0");
            assertEquals(1, olderRelease.exitCode(), olderRelease.toString());
            assertTrue(olderRelease.out().contains("PASS readme-changed: first release"), olderRelease.out());
            assertTrue(olderRelease.out().contains("FAIL image-exists: " + registry.hostPort()
                    + "/fhir/gateway:1.0.0 is not in the registry"), olderRelease.out());

            CliRun noTag = verify("--version", "1.2.0");
            assertEquals(1, noTag.exitCode(), noTag.toString());
            assertTrue(noTag.out().contains("FAIL tag-exists: tag v1.2.0 not found"), noTag.out());
            assertTrue(noTag.out().contains("SKIP no-skip-ci"), noTag.out());
        }
    }

    @Test
    void componentWithoutImageSkipsTheImageCheck() throws IOException {
        try (RepoBuilder ignored = released(README_OK + "\n1.1.0\n", "docs: README")) {
            CliRun run = CliRun.of("verify-release", "--config", config().toString(), "--component", "noimage",
                    "--cache", dir.resolve("cache").toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("SKIP image-exists"), run.out());
        }
    }

    @Test
    void unknownComponentAndBadVersionAreBadInput() throws IOException {
        try (RepoBuilder ignored = released(README_OK + "\n1.1.0\n", "docs: README")) {
            CliRun unknown = CliRun.of("verify-release", "--config", config().toString(), "--component", "nope");
            assertEquals(2, unknown.exitCode(), unknown.toString());
            assertTrue(unknown.err().contains("unknown component 'nope'"), unknown.err());

            CliRun badVersion = verify("--version", "1.1");
            assertEquals(2, badVersion.exitCode(), badVersion.toString());
            assertTrue(badVersion.err().contains("--version"), badVersion.err());
        }
    }
}
