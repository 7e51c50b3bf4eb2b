package io.deployflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import io.deployflow.git.RepoBuilder;
import io.deployflow.testpeers.GitDaemonPeer;
import io.deployflow.testpeers.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** release-meeting end to end: remotes served by git daemon, plan.json as the contract says, every refusal. */
class ReleaseMeetingCommandTest {
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");
    @TempDir
    Path dir;

    private static final String TEAM = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
              - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
              - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
            """;

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void writesThePlanForRemotesServedByGitDaemon() throws Exception {
        Path served = dir.resolve("served");
        try (RepoBuilder gateway = RepoBuilder.init(served.resolve("gateway"), "develop", T0);
             RepoBuilder terminology = RepoBuilder.init(served.resolve("terminology"), "develop", T0);
             RepoBuilder fresh = RepoBuilder.init(served.resolve("fresh"), "develop", T0)) {
            gateway.commit("dev1@example.org", "feat: first");
            gateway.tag("v1.2.0", "1.2.0");
            gateway.branch("feature/include");
            gateway.commit("dev3@example.org", "feat(search): _include (FHIR-12)");
            gateway.checkout("develop");
            gateway.merge("feature/include", "dev2@example.org", "Merge branch 'feature/include'", true);
            terminology.commit("dev1@example.org", "fix: first");
            terminology.tag("v0.4.1", "0.4.1");
            fresh.commit("someone@elsewhere.example", "chore: scaffold");

            try (GitDaemonPeer daemon = GitDaemonPeer.start(served)) {
                Path file = config(TEAM + "components:\n"
                        + "  - {name: fhir-gateway, repo: '" + daemon.url("gateway") + "',"
                        + " image: registry.example.org/fhir/fhir-gateway}\n"
                        + "  - {name: terminology, repo: '" + daemon.url("terminology") + "'}\n"
                        + "  - {name: fresh, repo: '" + daemon.url("fresh") + "'}\n"
                        + "customers:\n  - {name: acme, repo: 'https://git.example.org/acme.git'}\n"
                        + "  - {name: st-mary, repo: 'https://git.example.org/st-mary.git'}\n"
                        + "meeting: {rotationStart: 2026-01-05, cadenceDays: 7, pins: {st-mary: dev3}}\n");
                Path plan = dir.resolve("out/plan.json");
                CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--date", "2026-11-23",
                        "--cache", dir.resolve("cache").toString(), "--json", plan.toString());
                assertEquals(0, run.exitCode(), run.toString());
                assertEquals(3, run.err().lines().filter(l -> l.matches("(fhir-gateway|terminology|fresh): .*"))
                        .count(), "one progress line per repository: " + run.err());
                assertTrue(run.out().contains("repo-person: dev2"), run.out());

                JsonNode root = Json.mapper().readTree(plan.toFile());
                assertEquals("2026-11-23", root.path("meetingDate").asText());
                JsonNode gw = root.path("components").get(0);
                assertEquals("fhir-gateway", gw.path("name").asText());
                assertEquals(daemon.url("gateway"), gw.path("repo").asText());
                assertEquals("registry.example.org/fhir/fhir-gateway", gw.path("image").asText());
                assertTrue(gw.path("hasChanges").asBoolean());
                assertEquals("1.2.0", gw.path("lastRelease").asText());
                assertEquals("1.3.0", gw.path("nextVersion").asText());
                assertEquals("1.3.0", gw.path("releaseVersion").asText());
                assertEquals("dev2", gw.path("repoPerson").path("id").asText());
                assertEquals("Developer Two", gw.path("repoPerson").path("name").asText());
                assertEquals("dev2@example.org", gw.path("repoPerson").path("email").asText());
                assertTrue(gw.path("repoPerson").path("known").asBoolean());
                JsonNode change = gw.path("changes").get(0);
                assertEquals(40, change.path("sha").asText().length());
                assertEquals("feat(search): _include (FHIR-12)", change.path("subject").asText());
                assertEquals("dev3@example.org", change.path("author").asText());
                assertEquals("feat", change.path("type").asText());
                assertFalse(change.path("breaking").asBoolean());
                assertEquals("FHIR-12", change.path("tickets").get(0).asText());

                JsonNode term = root.path("components").get(1);
                assertFalse(term.path("hasChanges").asBoolean());
                assertEquals("0.4.1", term.path("releaseVersion").asText());
                assertTrue(term.path("repoPerson").isNull());

                JsonNode freshNode = root.path("components").get(2);
                assertTrue(freshNode.path("lastRelease").isNull());
                assertEquals("0.1.0", freshNode.path("releaseVersion").asText());
                assertTrue(freshNode.path("repoPerson").path("id").isNull());
                assertFalse(freshNode.path("repoPerson").path("known").asBoolean());
                assertEquals("someone@elsewhere.example", freshNode.path("repoPerson").path("email").asText());

                List<JsonNode> customers = StreamSupport.stream(root.path("customers").spliterator(), false).toList();
                assertEquals(2, customers.size());
                // 2026-11-23 is meeting 46 after 2026-01-05; acme is rotating customer 0: team[46 mod 3] = dev2
                assertEquals("dev2", customers.get(0).path("dcPerson").path("id").asText());
                assertEquals("rotation", customers.get(0).path("rule").asText());
                assertEquals("dev3", customers.get(1).path("dcPerson").path("id").asText());
                assertEquals("pin", customers.get(1).path("rule").asText());
                assertEquals(46, root.path("rotation").path("meetingIndex").asInt());

                gateway.commit("dev1@example.org", "fix!: new contract");
                CliRun again = CliRun.of("release-meeting", "--config", file.toString(), "--date", "2026-11-23",
                        "--cache", dir.resolve("cache").toString(), "--json", plan.toString());
                assertEquals(0, again.exitCode(), again.toString());
                assertEquals("2.0.0", Json.mapper().readTree(plan.toFile()).path("components").get(0)
                        .path("nextVersion").asText(), "the second run fetched the new commit");
            }
        }
    }

    @Test
    void onlyDocsChoreAndCiSinceTheReleaseIsNoReleaseNeededInPlanSummaryAndNotes() throws Exception {
        Path repos = dir.resolve("repos");
        try (RepoBuilder docs = RepoBuilder.init(repos.resolve("docs-only"), "develop", T0);
             RepoBuilder fixed = RepoBuilder.init(repos.resolve("fixed"), "develop", T0)) {
            docs.commit("dev1@example.org", "feat: first");
            docs.tag("v1.2.0", "1.2.0");
            docs.commit("dev2@example.org", "docs: how to configure paging");
            docs.commit("dev3@example.org", "chore(deps): bump jackson");
            docs.commit("dev2@example.org", "ci: cache maven");
            fixed.commit("dev1@example.org", "feat: first");
            fixed.tag("v0.4.0", "0.4.0");
            fixed.commit("dev1@example.org", "docs: a");
            fixed.commit("dev1@example.org", "fix: b");

            Path file = config(TEAM + "components:\n"
                    + "  - {name: docs-only, repo: '" + repos.resolve("docs-only").toUri() + "'}\n"
                    + "  - {name: fixed, repo: '" + repos.resolve("fixed").toUri() + "'}\n"
                    + "customers:\n  - {name: acme, repo: 'https://git.example.org/acme.git'}\n");
            Path plan = dir.resolve("plan.json");
            CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--date", "2026-11-23",
                    "--cache", dir.resolve("cache").toString(), "--json", plan.toString());
            assertEquals(0, run.exitCode(), run.toString());

            JsonNode docsNode = Json.mapper().readTree(plan.toFile()).path("components").get(0);
            assertTrue(docsNode.path("hasChanges").asBoolean());
            assertFalse(docsNode.path("releaseNeeded").asBoolean());
            assertEquals("1.2.0", docsNode.path("releaseVersion").asText());
            assertTrue(docsNode.path("nextVersion").isNull());
            assertEquals(3, docsNode.path("changes").size());
            JsonNode fixedNode = Json.mapper().readTree(plan.toFile()).path("components").get(1);
            assertTrue(fixedNode.path("releaseNeeded").asBoolean());
            assertEquals("0.4.1", fixedNode.path("releaseVersion").asText());

            assertTrue(run.out().contains("docs-only  no release needed (3 changes: ci, chore, docs), stays 1.2.0"),
                    run.out());
            assertTrue(run.err().contains("docs-only: no release needed, 3 changes since 1.2.0 (ci, chore, docs)"
                    + " make none by the release rules"), run.err());

            Path notes = dir.resolve("notes.md");
            CliRun notesRun = CliRun.of("release-notes", "--config", file.toString(), "--plan", plan.toString(),
                    "--out", notes.toString());
            assertEquals(0, notesRun.exitCode(), notesRun.toString());
            assertTrue(notesRun.err().contains("release notes for 1 of 2 components"), notesRun.err());
            assertTrue(Files.readString(notes).contains("- docs-only: stays at 1.2.0; no release needed (3 changes:"
                    + " ci, chore, docs)"), Files.readString(notes));
        }
    }

    @Test
    void malformedYamlExitsTwoNamingFileAndLine() throws IOException {
        Path file = config(TEAM + "components:\n  - {name: x, repo: [unclosed\n");
        CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--cache", dir.resolve("c").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains(file.toString() + ":"), run.err());
        assertTrue(run.err().contains("malformed YAML"), run.err());
        assertTrue(run.err().contains("Nothing was changed."), run.err());
        assertFalse(Files.exists(dir.resolve("c")), "nothing was cloned");
    }

    @Test
    void missingFieldExitsTwoNamingTheField() throws IOException {
        Path file = config(TEAM + "components:\n  - {name: gateway}\n");
        CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--cache", dir.resolve("c").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("components[0].repo") && run.err().contains("deployflow.yaml:6:"), run.err());
    }

    @Test
    void badTagPrefixExitsTwo() throws IOException {
        Path file = config(TEAM + "components:\n  - {name: gateway, repo: /nowhere, tagPrefix: 'v1.'}\n");
        CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--cache", dir.resolve("c").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("components[0].tagPrefix"), run.err());
    }

    @Test
    void badDateExitsTwo() throws IOException {
        Path file = config(TEAM);
        CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--date", "23.11.2026");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--date"), run.err());
    }

    @Test
    void unreachableRepositoryExitsThreeNamingTheRepository() throws IOException {
        String url = "git://127.0.0.1:" + Peer.freePort() + "/fhir/gateway.git";
        Path file = config(TEAM + "components:\n  - {name: gateway, repo: '" + url + "'}\n");
        Path plan = dir.resolve("plan.json");
        CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--cache", dir.resolve("c").toString(),
                "--json", plan.toString());
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("error: " + url), run.err());
        assertFalse(Files.exists(plan), "no plan from a partial scan");
    }

    @Test
    void missingDevelopBranchExitsTwo() throws IOException {
        try (RepoBuilder repo = RepoBuilder.init(dir.resolve("repo"), "main", T0)) {
            repo.commit("dev1@example.org", "feat: a");
        }
        Path file = config(TEAM + "components:\n  - {name: gateway, repo: repo}\n");
        CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--cache", dir.resolve("c").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("components[0].developBranch") && run.err().contains("main"), run.err());
    }

    @Test
    void everyUnreachableRepositoryIsNamed() throws IOException {
        String a = "git://127.0.0.1:" + Peer.freePort() + "/a.git";
        String b = "git://127.0.0.1:" + Peer.freePort() + "/b.git";
        Path file = config(TEAM + "components:\n  - {name: a, repo: '" + a + "'}\n  - {name: b, repo: '" + b + "'}\n");
        CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--cache", dir.resolve("c").toString());
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("2 repositories failed") && run.err().contains(a) && run.err().contains(b),
                run.err());
    }

    @Test
    void componentsSharingOneRepositoryAreScannedFromOneMirror() throws Exception {
        try (RepoBuilder mono = RepoBuilder.init(dir.resolve("mono"), "develop", T0)) {
            mono.commit("dev1@example.org", "feat: both");
            mono.tag("api/v1.0.0", "api 1.0.0");
            mono.commit("dev2@example.org", "feat(ui): ui only");
            mono.tag("ui/v3.1.0", "ui 3.1.0");
            mono.commit("dev3@example.org", "fix(api): api only");
        }
        Path file = config(TEAM + "components:\n  - {name: api, repo: mono, tagPrefix: api/v}\n"
                + "  - {name: ui, repo: mono, tagPrefix: ui/v}\n");
        Path plan = dir.resolve("plan.json");
        CliRun run = CliRun.of("release-meeting", "--config", file.toString(), "--cache", dir.resolve("c").toString(),
                "--json", plan.toString(), "--concurrency", "2");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode root = Json.mapper().readTree(plan.toFile());
        assertEquals("1.1.0", root.path("components").get(0).path("nextVersion").asText());
        assertEquals(2, root.path("components").get(0).path("changes").size());
        assertEquals("3.1.1", root.path("components").get(1).path("nextVersion").asText());
        try (var mirrors = Files.list(dir.resolve("c"))) {
            assertEquals(1, mirrors.filter(Files::isDirectory).count());
        }
    }
}
