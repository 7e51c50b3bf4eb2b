package io.deployflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deliver against a real customer repository served by git daemon, verified by cloning the remote afresh. */
class DeliverGitTest {
    @TempDir
    Path tmp;
    CustomerRepoFixture repo;
    DeliveryInputs inputs;

    @BeforeEach
    void start() throws Exception {
        repo = CustomerRepoFixture.start(tmp.resolve("remote"));
        inputs = new DeliveryInputs(tmp.resolve("inputs"), repo.url());
    }

    @AfterEach
    void stop() {
        repo.close();
    }

    @Test
    void deliversBranchReadmeMergesAndTagAndPushesEverything() throws Exception {
        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());
        assertEquals(0, run.exitCode(), run.stderr());

        try (Git clone = repo.freshClone("check")) {
            Repository r = clone.getRepository();
            ObjectId release = r.resolve("refs/remotes/origin/release/1.1.0");
            ObjectId develop = r.resolve("refs/remotes/origin/develop");
            ObjectId main = r.resolve("refs/remotes/origin/main");
            assertNotNull(release, "release branch pushed; a gateway minor bump makes the customer's 1.0.0 -> 1.1.0");
            try (RevWalk walk = new RevWalk(r)) {
                RevCommit releaseCommit = walk.parseCommit(release);
                assertEquals("Developer Three", releaseCommit.getAuthorIdent().getName(), "dc-person authors");
                assertEquals("deployflow", releaseCommit.getCommitterIdent().getName());
                assertTrue(releaseCommit.getFullMessage().startsWith("Deliver acme 1.1.0"));
                RevCommit developCommit = walk.parseCommit(develop);
                assertEquals(2, developCommit.getParentCount(), "release merged into develop with a merge commit");
                assertEquals(release, developCommit.getParent(1).getId());
                assertEquals(develop, main, "main fast-forwarded to develop");
                RevTag tag = walk.parseTag(r.exactRef(Constants.R_TAGS + "v1.1.0").getObjectId());
                assertEquals(main, tag.getObject().getId(), "tag on main");
                assertTrue(tag.getFullMessage().contains("- bulk export (FHIR-12) (4f2a9c1)"), tag.getFullMessage());
                assertTrue(tag.getFullMessage().contains("fhir-gateway 1.3.0, terminology 2.0.1"),
                        tag.getFullMessage());
            }
            Path work = r.getWorkTree().toPath();
            clone.checkout().setName("main").call();
            assertEquals(DeliveryInputs.COMPOSE_TESTED, Files.readString(work.resolve("docker-compose.yml")));
            assertEquals(DeliveryInputs.ENV_TESTED, Files.readString(work.resolve(".env")));
            String readme = Files.readString(work.resolve("README.md"));
            String original = CustomerRepoFixture.README;
            String before = original.substring(0, original.indexOf("<!-- deployflow:versions -->"));
            String after = original.substring(original.indexOf("<!-- /deployflow:versions -->"));
            assertTrue(readme.startsWith(before), "hand-written text before the markers untouched:\n" + readme);
            assertTrue(readme.contains(after), "hand-written text after the markers untouched:\n" + readme);
            assertFalse(readme.contains("| old | table |"), readme);
            String versions = section(readme, "versions");
            assertTrue(versions.contains("| fhir-gateway | 1.3.0 | `registry.example.org/fhir/fhir-gateway` |"),
                    versions);
            assertTrue(versions.contains("| terminology | 2.0.1 | `registry.example.org/fhir/terminology` |"),
                    versions);
            assertFalse(versions.contains("postgres"), "only the team's components are versions: " + versions);
            String configuration = section(readme, "configuration");
            assertTrue(readme.indexOf("## Configuration") > readme.indexOf("Hand-written support text"),
                    "missing section appended at the end");
            assertTrue(configuration.contains("| `gateway` | `registry.example.org/fhir/fhir-gateway:1.3.0` "
                    + "| `8080:8080` | `LOG_LEVEL`, `DB_PASSWORD` |"), configuration);
            assertTrue(configuration.contains("| `TERMINOLOGY_VERSION` | `2.0.1` | `terminology` |"), configuration);
            assertTrue(configuration.contains("| `DB_PASSWORD` | (secret: set your own) | `gateway` |"),
                    configuration);
            assertFalse(readme.contains("example-only-pw"), "secret values are not repeated in the README");
        }

        JsonNode json = Json.read(inputs.json, JsonNode.class);
        assertEquals("delivered", json.get("status").asText());
        assertEquals("release/1.1.0", json.get("branch").asText());
        assertEquals("v1.1.0", json.get("tag").get("name").asText());
        assertEquals(2, json.get("commits").size(), "the release commit and the merge into develop");
        assertEquals("merge", json.get("merges").get(0).get("kind").asText());
        assertEquals("fast-forward", json.get("merges").get(1).get("kind").asText());
        assertEquals("[\"docker-compose.yml\",\".env\",\"README.md\"]", json.get("filesChanged").toString());
        assertTrue(json.get("release").isNull(), "git daemon is not GitHub: no release call");
    }

    @Test
    void secondRunChangesNothing() throws Exception {
        assertEquals(0, DeliveryInputs.run(inputs.args()).exitCode());
        Map<String, String> afterFirst = repo.remoteRefs();

        DeliveryInputs.Run second = DeliveryInputs.run(inputs.args());

        assertEquals(0, second.exitCode(), second.stderr());
        assertEquals(afterFirst, repo.remoteRefs(), "no new commit, branch or tag");
        JsonNode json = Json.read(inputs.json, JsonNode.class);
        assertEquals("unchanged", json.get("status").asText());
        assertEquals("v1.1.0", json.get("tag").get("name").asText());
        assertFalse(json.get("tag").get("created").asBoolean());
        assertEquals(0, json.get("commits").size());
        assertTrue(second.stderr().contains("reusing the working clone"), second.stderr());
    }

    @Test
    void conflictMergingIntoDevelopStopsWithNothingPushedToDevelopOrMain() throws Exception {
        // An earlier attempt left release/1.1.0 on the remote; develop then changed the same line.
        repo.commitOnRemote("release/1.1.0", "develop", "docker-compose.yml",
                CustomerRepoFixture.COMPOSE_DELIVERED.replace("1.2.0", "1.2.5"), "try 1.2.5");
        repo.commitOnRemote("develop", "develop", "docker-compose.yml",
                CustomerRepoFixture.COMPOSE_DELIVERED.replace("1.2.0", "1.2.9"), "hand edit on develop");
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("merging release/1.1.0 into develop conflicts in docker-compose.yml"),
                run.stderr());
        Map<String, String> after = repo.remoteRefs();
        assertEquals(before.get("refs/heads/develop"), after.get("refs/heads/develop"));
        assertEquals(before.get("refs/heads/main"), after.get("refs/heads/main"));
        assertFalse(after.containsKey("refs/tags/v1.1.0"));
        JsonNode json = Json.read(inputs.json, JsonNode.class);
        assertEquals("conflict", json.get("status").asText());
    }

    @Test
    void conflictMergingIntoMainPushesNeitherDevelopNorMain() throws Exception {
        repo.commitOnRemote("main", "main", "docker-compose.yml",
                CustomerRepoFixture.COMPOSE_DELIVERED.replace("1.2.0", "1.2.1"), "hotfix on main");
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("merging develop into main conflicts in docker-compose.yml"), run.stderr());
        Map<String, String> after = repo.remoteRefs();
        assertEquals(before.get("refs/heads/develop"), after.get("refs/heads/develop"),
                "develop is pushed only after both merges succeeded");
        assertEquals(before.get("refs/heads/main"), after.get("refs/heads/main"));
        assertTrue(after.containsKey("refs/heads/release/1.1.0"), "the release branch is there to resolve on");
    }

    @Test
    void rejectedPushStopsNamingTheBranchAndTheRemotesReason() throws Exception {
        repo.protectMain();
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(3, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("main"), run.stderr());
        assertTrue(run.stderr().contains("main is protected: changes need a reviewed pull request"), run.stderr());
        Map<String, String> after = repo.remoteRefs();
        assertEquals(before.get("refs/heads/develop"), after.get("refs/heads/develop"), "atomic: develop untouched");
        assertEquals(before.get("refs/heads/main"), after.get("refs/heads/main"));
        assertFalse(after.containsKey("refs/tags/v1.1.0"));
        assertEquals("rejected", Json.read(inputs.json, JsonNode.class).get("status").asText());
    }

    @Test
    void unreachableRemoteExits3NamingTheRepository() throws Exception {
        String dead = "git://127.0.0.1:" + io.deployflow.testpeers.Peer.freePort() + "/acme/gone.git";
        DeliveryInputs elsewhere = new DeliveryInputs(tmp.resolve("dead"), dead);

        DeliveryInputs.Run run = DeliveryInputs.run(elsewhere.args());

        assertEquals(3, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("error: " + dead + ": cannot reach the customer repository after 3 attempts"),
                run.stderr());
    }

    @Test
    void badPlanExits2NamingFileAndFieldAndTouchesNothing() throws Exception {
        Files.writeString(inputs.plan, Files.readString(inputs.plan).replace("\"email\":\"dev3@example.org\"",
                "\"email\":\"not-an-address\""));
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains(inputs.plan.toString()), run.stderr());
        assertTrue(run.stderr().contains("customers[0].dcPerson.email"), run.stderr());
        assertTrue(run.stderr().contains("Nothing was changed."), run.stderr());
        assertEquals(before, repo.remoteRefs());
        assertFalse(Files.exists(inputs.cache), "the repository was not even cloned");
    }

    @Test
    void aMalformedEnvFileExits2NamingItsLinesWithoutEchoingThemAndTouchesNothing() throws Exception {
        Files.writeString(inputs.env, "LOG_LEVEL=info\nDB_PASSWORD example-only-pw\nTAG=\"open\n");
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("error: " + inputs.env + ":2: DB_PASSWORD: expected NAME=value"),
                run.stderr());
        assertTrue(run.stderr().contains("error: " + inputs.env + ":3: TAG: the quoted value is never closed"),
                run.stderr());
        assertFalse(run.stderr().contains("example-only-pw"), "a value that may be a secret is never printed");
        assertEquals(before, repo.remoteRefs());
        assertFalse(Files.exists(inputs.cache), "the repository was not even cloned");
    }

    @Test
    void aNotesTemplateWithAnUnknownPlaceholderExit2BeforeAnythingIsCloned() throws Exception {
        Path template = Files.writeString(inputs.dir.resolve("notes.md"), "# {{title}}\n\n{{releaseNotez}}\n");

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args("--notes-template", template.toString()));

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains(template + ":3: releaseNotez: unknown placeholder"), run.stderr());
        assertFalse(Files.exists(inputs.cache), "the repository was not even cloned");
    }

    @Test
    void malformedPlanJsonExit2WithLine() throws Exception {
        Files.writeString(inputs.plan, "{\"meetingDate\": \"2026-11-23\",\n \"customers\": [\n");

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains(inputs.plan + ":"), run.stderr());
        assertTrue(run.stderr().contains("not valid JSON"), run.stderr());
    }

    @Test
    void aRerunAfterARejectedPushFinishesWithoutASecondReleaseCommit() throws Exception {
        repo.protectMain();
        assertEquals(3, DeliveryInputs.run(inputs.args()).exitCode());
        String releaseTip = repo.remoteRefs().get("refs/heads/release/1.1.0");
        assertNotNull(releaseTip, "the release branch went out before the rejected push");
        Files.delete(repo.bare.resolve("hooks/pre-receive"));

        DeliveryInputs.Run rerun = DeliveryInputs.run(inputs.args());

        assertEquals(0, rerun.exitCode(), rerun.stderr());
        Map<String, String> refs = repo.remoteRefs();
        assertEquals(releaseTip, refs.get("refs/heads/release/1.1.0"), "the release branch is continued, not redone");
        assertEquals(refs.get("refs/heads/develop"), refs.get("refs/heads/main"));
        assertTrue(refs.containsKey("refs/tags/v1.1.0"));
        JsonNode json = Json.read(inputs.json, JsonNode.class);
        assertEquals("delivered", json.get("status").asText());
        assertEquals(1, json.get("commits").size(), "only the merge into develop: " + json.get("commits"));
    }

    @Test
    void aBranchMissingOnTheRemoteIsBadInputNamingTheConfigField() throws Exception {
        Files.writeString(inputs.config, Files.readString(inputs.config) + "    developBranch: dev\n");

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("customers[0].developBranch"), run.stderr());
        assertTrue(run.stderr().contains("has no branch 'dev'"), run.stderr());
    }

    @Test
    void anUnknownCustomerOrAFileWithoutServicesIsBadInput() throws Exception {
        List<String> args = inputs.args();
        args.set(args.indexOf("acme"), "acne");
        DeliveryInputs.Run unknown = DeliveryInputs.run(args);
        assertEquals(2, unknown.exitCode(), unknown.stderr());
        assertTrue(unknown.stderr().contains("did you mean 'acme'"), unknown.stderr());

        Files.writeString(inputs.compose, "volumes: {}\n");
        DeliveryInputs.Run noServices = DeliveryInputs.run(inputs.args());
        assertEquals(2, noServices.exitCode(), noServices.stderr());
        assertTrue(noServices.stderr().contains(inputs.compose.toString()), noServices.stderr());
        assertFalse(Files.exists(inputs.cache));
    }

    @Test
    void brokenReadmeMarkersInTheCustomerRepositoryStopBeforeAnyPush() throws Exception {
        repo.commitOnRemote("develop", "develop", "README.md",
                CustomerRepoFixture.README.replace("<!-- /deployflow:versions -->\n", ""), "lost a marker");
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("README.md:7"), run.stderr());
        assertEquals(before, repo.remoteRefs());
    }

    @Test
    void theGivenEnvFileIsDeliveredEvenWhenGitignoreListsIt() throws Exception {
        repo.commitOnRemote("develop", "develop", ".gitignore", ".env\n", "ignore local env files");
        Files.writeString(inputs.config, Files.readString(inputs.config) + "    composeFile: deploy/compose.yml\n");

        DeliveryInputs.Run run = DeliveryInputs.run(inputs.args());

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("delivering deploy/.env although .gitignore lists it"), run.stderr());
        try (Git clone = repo.freshClone("ignored")) {
            Path work = clone.getRepository().getWorkTree().toPath();
            assertEquals(DeliveryInputs.ENV_TESTED, Files.readString(work.resolve("deploy/.env")));
            assertEquals(DeliveryInputs.COMPOSE_TESTED, Files.readString(work.resolve("deploy/compose.yml")));
            assertTrue(Files.readString(work.resolve("README.md"))
                    .contains("[`deploy/compose.yml`](deploy/compose.yml)"));
        }
    }

    @Test
    void theCommitterIsGitsOwnCommitterVariableAndATeamsTemplateWritesTheNotes() throws Exception {
        Path template = Files.writeString(inputs.dir.resolve("notes.md"),
                "{{title}}\n{{#components}}{{#features}}* {{text}}\n{{/features}}{{/components}}");
        DeliveryRequest base = inputs.request(Map.of("GIT_COMMITTER_NAME", "Jenkins",
                "GIT_COMMITTER_EMAIL", "jenkins@ci.example.org"));
        DeliveryRequest request = new DeliveryRequest(base.config(), base.customer(), base.plan(), template,
                base.composeFile(), base.envFile(), base.tested(), base.cacheDir(), base.env());

        DeliveryResult result = new Deliverer(request).deliver();

        assertEquals("delivered", result.status);
        try (Git clone = repo.freshClone("committer"); RevWalk walk = new RevWalk(clone.getRepository())) {
            Repository r = clone.getRepository();
            RevCommit release = walk.parseCommit(r.resolve("refs/remotes/origin/release/1.1.0"));
            assertEquals("Jenkins", release.getCommitterIdent().getName());
            assertEquals("jenkins@ci.example.org", release.getCommitterIdent().getEmailAddress());
            assertEquals("dev3@example.org", release.getAuthorIdent().getEmailAddress());
            RevTag tag = walk.parseTag(r.exactRef(Constants.R_TAGS + "v1.1.0").getObjectId());
            assertTrue(tag.getFullMessage().endsWith("\n\nRelease notes\n* bulk export (FHIR-12)\n"),
                    tag.getFullMessage());
            assertEquals("dev3@example.org", tag.getTaggerIdent().getEmailAddress(), "the dc-person tags");
        }
    }

    @Test
    void aPasswordInTheRepositoryUrlNeverReachesMessages() {
        assertEquals("https://git.example.org/acme/stack.git",
                CustomerClone.redact("https://bot:s3cret-pw@git.example.org/acme/stack.git"));
    }

    private static String section(String readme, String name) {
        int start = readme.indexOf("<!-- deployflow:" + name + " -->");
        int end = readme.indexOf("<!-- /deployflow:" + name + " -->");
        assertTrue(start >= 0 && end > start, "section " + name + " in\n" + readme);
        return readme.substring(start, end);
    }
}
