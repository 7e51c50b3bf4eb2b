package io.deployflow.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.deployflow.cli.CliRun;
import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.Json;
import io.deployflow.git.RepoBuilder;
import io.deployflow.git.RepoCache;
import io.deployflow.registry.RegistryClient;
import io.deployflow.testpeers.GitDaemonPeer;
import io.deployflow.testpeers.RegistryPeer;
import io.deployflow.testpeers.TinyImagePush;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release step on real parts: the component's repository served by git daemon (push enabled), a real
 * docker-registry, and the plan of a real release meeting over that repository.
 */
class ReleaseStepTest {
    static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    static final String README = "# gateway\n\n## Configuration\n\n```yaml\nport: 8080\n```\n";

    @TempDir
    Path dir;
    GitDaemonPeer daemon;
    RegistryPeer registry;
    Path remote;
    Path config;
    Path plan;
    RevCommit meetingTip;

    @BeforeEach
    void start() throws Exception {
        registry = RegistryPeer.start(dir.resolve("registry"));
        Path base = Files.createDirectories(dir.resolve("gitroot"));
        daemon = GitDaemonPeer.start(base);
        try (RepoBuilder work = RepoBuilder.init(dir.resolve("work"), "develop", T0)) {
            work.commit("dev1@example.org", "feat: first", Map.of("README.md", README));
            work.tag("v1.2.0", "1.2.0");
            work.branch("feature").commit("dev1@example.org", "feat: bulk export (FHIR-12)",
                    Map.of("README.md", README + "\nBulk export.\n"));
            work.checkout("develop");
            meetingTip = work.merge("feature", "dev1@example.org", "Merge feature/bulk-export", true);
            work.branch("side").commit("dev1@example.org", "wip: not on develop");
            work.checkout("develop");
        }
        remote = base.resolve("fhir/gateway.git");
        Git.cloneRepository().setBare(true).setURI(dir.resolve("work").toUri().toString())
                .setDirectory(remote.toFile()).call().close();
        config = Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                  - {id: lead, name: The Lead, emails: [lead@example.org]}
                components:
                  - {name: gateway, repo: '%s', image: '%s/fhir/gateway', release: pipeline}
                customers:
                  - {name: acme, repo: 'git://127.0.0.1:1/unused'}
                meeting: {pins: {acme: dev2}}
                decision: {deciders: [lead]}
                """.formatted(daemon.url("fhir/gateway.git"), registry.hostPort()));
        plan = dir.resolve("plan.json");
        cli(0, "release-meeting", "--config", config.toString(), "--date", "2026-11-23", "--cache", cache(),
                "--json", plan.toString());
    }

    @AfterEach
    void stop() {
        daemon.close();
        registry.close();
    }

    @Test
    void thePipelineTagsDevelopAsTheMeetingSawItAndPushes() throws Exception {
        assertEquals(meetingTip.name(), Json.read(plan, JsonNode.class).at("/components/0/developTip").asText());
        try (Git work = Git.open(dir.resolve("work").toFile())) {
            org.eclipse.jgit.lib.PersonIdent dev1 = new org.eclipse.jgit.lib.PersonIdent("Developer One",
                    "dev1@example.org");
            work.commit().setMessage("feat: merged after the meeting").setAllowEmpty(true).setAuthor(dev1)
                    .setCommitter(dev1).setSign(false).call();
        }
        pushDevelop();
        Path result = dir.resolve("tag.json");

        CliRun run = cli(0, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache(), "--json", result.toString());

        try (Git git = Git.open(remote.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Ref ref = git.getRepository().exactRef(Constants.R_TAGS + "v1.3.0");
            RevTag tag = walk.parseTag(ref.getObjectId());
            assertEquals(meetingTip.getId(), tag.getObject().getId(), "the commit the meeting saw, not the newer tip");
            assertTrue(tag.getFullMessage().startsWith("gateway 1.3.0\n\n- feat: bulk export (FHIR-12)\n"),
                    tag.getFullMessage());
            assertTrue(tag.getFullMessage().contains("Released for Developer One (repo-person)"), tag.getFullMessage());
        }
        JsonNode json = Json.read(result, JsonNode.class);
        assertEquals("created", json.get("action").asText());
        assertTrue(run.err().contains("gateway: tagged " + meetingTip.abbreviate(10).name() + " as v1.3.0"),
                run.err());

        CliRun again = cli(0, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache(), "--json", result.toString());
        assertEquals("unchanged", Json.read(result, JsonNode.class).get("action").asText(), again.err());
    }

    @Test
    void aCommitNotOnDevelopIsRefusedAndNothingIsPushed() throws Exception {
        String side;
        try (Repository work = Git.open(dir.resolve("work").toFile()).getRepository()) {
            side = work.resolve("side").name();
        }
        CliRun run = cli(2, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache(), "--commit", side);

        assertTrue(run.err().contains("--commit: commit " + side.substring(0, 10) + " is not on develop"), run.err());
        assertNull(tagOnRemote("v1.3.0"));
    }

    @Test
    void anExistingTagOnAnotherCommitIsAFailedCheckAndStays() throws Exception {
        try (Git git = Git.open(remote.toFile())) {
            git.tag().setName("v1.3.0").setObjectId(new RevWalk(git.getRepository())
                    .parseCommit(git.getRepository().resolve("v1.2.0^{commit}"))).setAnnotated(false).call();
        }
        ObjectId before = tagOnRemote("v1.3.0");

        Path result = dir.resolve("tag.json");
        CliRun run = cli(1, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache(), "--json", result.toString());

        assertTrue(run.err().contains("tag v1.3.0 already exists on"), run.err());
        assertEquals(before, tagOnRemote("v1.3.0"));
        String failure = Json.read(result, JsonNode.class).path("failure").asText();
        assertTrue(failure.startsWith("tag v1.3.0 already exists on"), failure);
        assertEquals("{\n  \"component\" : \"gateway\",\n  \"version\" : \"1.3.0\",\n  \"action\" : \"refused\",\n"
                + "  \"failure\" : " + Json.mapper().writeValueAsString(failure) + "\n}", Files.readString(result),
                "the step reads this shape");
    }

    @Test
    void aRefusedPushExits3AndLeavesNoTagBehindInTheCache() throws Exception {
        Path hook = remote.resolve("hooks/pre-receive");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, "#!/bin/sh\necho 'tags are created by the release manager only' >&2\nexit 1\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        CliRun refused = cli(3, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache());
        assertTrue(refused.err().contains("refused the tag v1.3.0") || refused.err().contains("cannot push tag"),
                refused.err());

        Files.delete(hook);
        cli(0, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan", plan.toString(),
                "--cache", cache());
        assertEquals(meetingTip.getId(), peeled("v1.3.0"), "a rerun tags once the remote takes it");
    }

    @Test
    void theCheckWaitsForTheImageThatCiBuildsFromTheTag() throws Exception {
        cli(0, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan", plan.toString(),
                "--cache", cache());
        DeployflowConfig loaded = ConfigLoader.load(config);
        AtomicInteger looks = new AtomicInteger();
        List<String> progress = new ArrayList<>();
        ReleaseCheck check = new ReleaseCheck(loaded, new RepoCache(Path.of(cache())), new RegistryClient(Map.of()),
                Clock.systemUTC(), d -> {
                    // CI is done after the second look
                    if (looks.incrementAndGet() == 2) {
                        TinyImagePush.push(registry.hostPort(), "fhir/gateway", "1.3.0");
                    }
                    progress.add("slept " + d.toMillis());
                });

        ReleaseCheck.Result result = check.run(PlannedRelease.read(plan, "gateway"), null,
                new ReleaseCheck.Timing(Duration.ofMinutes(5), Duration.ofMillis(10)));

        assertTrue(result.passed(), result.toString());
        assertEquals(3, looks.get() + 1, "looked three times: not yet, not yet, found");
        assertTrue(result.tagFound() && result.imageFound());
        assertEquals(List.of("dev2@example.org"), result.notifications().get(0).to(), "the dc-person is told");
        assertTrue(result.notifications().get(0).body().contains("ready for docker preparation of acme"),
                result.notifications().get(0).body());
        assertTrue(result.checks().stream().allMatch(c -> c.status() == VerificationReport.Status.PASS),
                result.checks().toString());
    }

    @Test
    void theCheckGivesUpAfterItsTimeWithProgressAndTellsTheRepoPerson() throws Exception {
        cli(0, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan", plan.toString(),
                "--cache", cache());
        Path result = dir.resolve("check.json");

        CliRun run = cli(1, "release", "check", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache(), "--wait", "1s", "--poll", "300ms", "--json", result.toString());

        assertTrue(run.err().lines().filter(l -> l.startsWith("gateway 1.3.0: tag v1.3.0 found, image")).count() >= 2,
                "a line per look:\n" + run.err());
        JsonNode json = Json.read(result, JsonNode.class);
        assertFalse(json.get("passed").asBoolean());
        assertEquals("image " + registry.hostPort() + "/fhir/gateway:1.3.0 did not appear within 0:01",
                json.get("failure").asText());
        assertEquals("dev1@example.org", json.at("/notifications/0/to/0").asText());
    }

    @Test
    void onlyTheRepoPersonOrADeciderMayConfirmARelease() throws Exception {
        TinyImagePush.push(registry.hostPort(), "fhir/gateway", "1.3.0");
        cli(0, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan", plan.toString(),
                "--cache", cache());

        CliRun stranger = cli(2, "release", "check", "--config", config.toString(), "--component", "gateway",
                "--plan", plan.toString(), "--cache", cache(), "--confirmed-by", "dev2", "--wait", "1s");
        assertTrue(stranger.err().contains("dev2 may not confirm the release of gateway: that is for its repo-person"
                + " (dev1) or a decider (lead)"), stranger.err());

        cli(0, "release", "check", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache(), "--confirmed-by", "dev1", "--wait", "1s");
        cli(0, "release", "check", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache(), "--confirmed-by", "lead", "--wait", "1s");
    }

    @Test
    void aRepositoryOnGitHubGetsARelease() throws Exception {
        WireMockServer github = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        github.start();
        try {
            String repo = "/repos/fhir/gateway";
            github.stubFor(get(urlPathEqualTo(repo)).willReturn(okJson(("{\"id\": 7, \"name\": \"gateway\","
                    + " \"full_name\": \"fhir/gateway\", \"owner\": {\"login\": \"fhir\"},"
                    + " \"url\": \"http://127.0.0.1:%d%s\"}").formatted(github.port(), repo))));
            github.stubFor(get(urlPathEqualTo(repo + "/releases/tags/v1.3.0"))
                    .willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));
            github.stubFor(get(urlPathEqualTo(repo + "/releases")).willReturn(okJson("[]")));
            github.stubFor(post(urlPathEqualTo(repo + "/releases")).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json").withBody("{\"id\": 9, \"tag_name\": \"v1.3.0\","
                            + " \"html_url\": \"https://github.example/fhir/gateway/releases/tag/v1.3.0\"}")));
            DeployflowConfig loaded = ConfigLoader.load(config);
            ReleaseTagger.Result result = new ReleaseTagger(loaded, new RepoCache(Path.of(cache())),
                    Map.of("DEPLOYFLOW_GITHUB_API_URL", "http://127.0.0.1:" + github.port(),
                            "DEPLOYFLOW_GITHUB_TOKEN", "ghp-test-token"))
                    .tag(PlannedRelease.read(plan, "gateway"), null);

            assertEquals("https://github.example/fhir/gateway/releases/tag/v1.3.0", result.release().url());
            String body = github.findAll(postRequestedFor(urlPathEqualTo(repo + "/releases"))).get(0)
                    .getBodyAsString();
            JsonNode sent = Json.mapper().readTree(body);
            assertEquals("v1.3.0", sent.get("tag_name").asText());
            assertEquals("gateway 1.3.0", sent.get("name").asText());
            assertTrue(sent.get("body").asText().contains("feat: bulk export (FHIR-12)"), body);
            assertEquals(meetingTip.getId(), peeled("v1.3.0"), "the tag is pushed before the release");
        } finally {
            github.stop();
        }
    }

    @Test
    void nothingToReleaseIsBadInput() throws Exception {
        // only docs or chores since the last release: changes, but no release
        Files.writeString(plan, Files.readString(plan)
                .replace("\"releaseNeeded\" : true", "\"releaseNeeded\" : false"));
        CliRun run = cli(2, "release", "tag", "--config", config.toString(), "--component", "gateway", "--plan",
                plan.toString(), "--cache", cache());
        assertTrue(run.err().contains("gateway has nothing to release in this plan"), run.err());
    }

    private String cache() {
        return dir.resolve("cache").toString();
    }

    private void pushDevelop() throws Exception {
        try (Git work = Git.open(dir.resolve("work").toFile())) {
            work.push().setRemote(remote.toUri().toString())
                    .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("refs/heads/develop:refs/heads/develop"))
                    .call();
        }
    }

    private ObjectId tagOnRemote(String name) throws Exception {
        try (Git git = Git.open(remote.toFile())) {
            Ref ref = git.getRepository().exactRef(Constants.R_TAGS + name);
            return ref == null ? null : ref.getObjectId();
        }
    }

    private ObjectId peeled(String name) throws Exception {
        try (Git git = Git.open(remote.toFile())) {
            return git.getRepository().resolve(Constants.R_TAGS + name + "^{commit}");
        }
    }

    private static CliRun cli(int expected, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(expected, run.exitCode(), String.join(" ", args) + "\n" + run.err());
        return run;
    }
}
