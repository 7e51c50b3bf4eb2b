package io.deployflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GitHub release after a real delivery (git daemon remote), with the github-api client pointed at a stateful
 * fake of GitHub's releases API ({@link FakeGitHub}) as a GitHub Enterprise API on the same host as the remote.
 * The delivery makes tag v1.1.0.
 */
class GitHubReleaseTest {
    static final String TOKEN = "ghp-test-token-never-logged-4711";
    static final String TAG = "v1.1.0";

    @TempDir
    Path tmp;
    CustomerRepoFixture repo;
    DeliveryInputs inputs;
    FakeGitHub github;

    @BeforeEach
    void start() throws Exception {
        repo = CustomerRepoFixture.start(tmp.resolve("remote"));
        inputs = new DeliveryInputs(tmp.resolve("inputs"), repo.url());
        github = new FakeGitHub();
    }

    @AfterEach
    void stop() {
        github.close();
        repo.close();
    }

    Map<String, String> env() {
        return Map.of(GitHubReleases.API_URL_ENV, github.apiUrl(), GitHubReleases.TOKEN_ENV, TOKEN);
    }

    @Test
    void createsTheNewestReleaseWithTheNotesAsTheLatest() throws Exception {
        github.add("v1.0.0", false, true);

        Deliverer deliverer = new Deliverer(inputs.request(env()));
        String stderr = captureStderr(deliverer::deliver);

        List<LoggedRequest> writes = github.writes();
        assertEquals(1, writes.size());
        assertEquals("POST", writes.get(0).getMethod().getName());
        JsonNode body = Json.mapper().readTree(writes.get(0).getBodyAsString());
        assertEquals(TAG, body.get("tag_name").asText());
        assertEquals(inputs.expectedNotes(), body.get("body").asText());
        assertEquals("acme 1.1.0", body.get("name").asText());
        assertFalse(body.path("draft").asBoolean(), "published, so subscribers are notified");
        assertEquals("true", body.path("make_latest").asText());
        assertTrue(writes.get(0).getHeader("Authorization").contains(TOKEN), "token sent as the credential");
        ObjectNode created = github.ofTag(TAG).get(0);
        assertEquals(created.path("id").asLong(), github.latestId);
        assertEquals(created.path("html_url").asText(), deliverer.result().release.url());
        assertEquals("created", deliverer.result().release.action());

        String json = Json.mapper().writeValueAsString(deliverer.result());
        assertFalse(json.contains(TOKEN), "the token is not in the result");
        assertFalse(stderr.contains(TOKEN), "the token is not in the log");
        assertTrue(repo.remoteRefs().containsKey("refs/tags/" + TAG), "the tag is pushed before the release");
    }

    /** A delivery of an older line than a release already out must not take "latest" from it. */
    @Test
    void aVersionOlderThanAPublishedReleaseIsNotMadeLatest() throws Exception {
        long newer = github.add("v1.2.0", false, true).path("id").asLong();
        github.add("v2.0.0-rc.1", false, false).put("prerelease", true);
        github.add("v3.0.0", true, false);

        Deliverer deliverer = new Deliverer(inputs.request(env()));
        String stderr = captureStderr(deliverer::deliver);

        JsonNode body = Json.mapper().readTree(github.writes().get(0).getBodyAsString());
        assertEquals("false", body.path("make_latest").asText());
        assertEquals(newer, github.latestId, "v1.2.0 stays the latest release");
        assertFalse(github.ofTag(TAG).get(0).path("draft").asBoolean());
        assertTrue(stderr.contains("not the newest"), stderr);
    }

    @Test
    void aDraftForTheTagIsPublishedNotDuplicated() throws Exception {
        ObjectNode draft = github.add(TAG, true, false);
        github.add("v1.0.0", false, true);

        Deliverer deliverer = new Deliverer(inputs.request(env()));
        captureStderr(deliverer::deliver);

        List<ObjectNode> ofTag = github.ofTag(TAG);
        assertEquals(1, ofTag.size(), "one release for the tag, not a second beside the draft");
        assertEquals(draft.path("id").asLong(), ofTag.get(0).path("id").asLong());
        assertFalse(ofTag.get(0).path("draft").asBoolean());
        assertEquals(inputs.expectedNotes(), ofTag.get(0).path("body").asText());
        assertEquals("acme 1.1.0", ofTag.get(0).path("name").asText());
        assertEquals(List.of("PATCH"), github.writes().stream().map(r -> r.getMethod().getName()).toList());
        assertEquals(draft.path("id").asLong(), github.latestId);
        assertEquals("published-draft", deliverer.result().release.action());
    }

    @Test
    void anExistingReleaseWithTheSameNotesIsLeftAlone() throws Exception {
        ObjectNode existing = github.add(TAG, false, true);
        existing.put("name", "acme 1.1.0").put("body", inputs.expectedNotes());

        Deliverer deliverer = new Deliverer(inputs.request(env()));
        captureStderr(deliverer::deliver);

        assertEquals(List.of(), github.writes());
        assertEquals(1, github.ofTag(TAG).size());
        assertEquals("unchanged", deliverer.result().release.action());
    }

    @Test
    void anExistingReleaseWithOtherNotesIsUpdatedAndARerunOnlyChecksIt() throws Exception {
        github.add(TAG, false, true);

        Deliverer first = new Deliverer(inputs.request(env()));
        captureStderr(first::deliver);

        assertEquals(List.of("PATCH"), github.writes().stream().map(r -> r.getMethod().getName()).toList());
        assertEquals(inputs.expectedNotes(), github.ofTag(TAG).get(0).path("body").asText());
        assertEquals("updated", first.result().release.action());

        // The delivery itself is done now; a rerun touches no git ref and still makes sure of the release.
        Map<String, String> refs = repo.remoteRefs();
        Deliverer second = new Deliverer(inputs.request(env()));
        captureStderr(second::deliver);
        assertEquals("unchanged", second.result().status);
        assertEquals(refs, repo.remoteRefs());
        assertEquals(1, github.writes().size(), "the rerun wrote nothing");
        assertEquals(1, github.ofTag(TAG).size());
    }

    @Test
    void aGitHubRemoteWithoutTokenIsRefusedBeforeAnythingChanges() throws Exception {
        Map<String, String> before = repo.remoteRefs();
        Deliverer deliverer = new Deliverer(inputs.request(Map.of(GitHubReleases.API_URL_ENV, github.apiUrl())));

        BadInputException e = assertThrows(BadInputException.class, deliverer::deliver);

        assertTrue(e.getMessage().contains("DEPLOYFLOW_GITHUB_TOKEN"), e.getMessage());
        assertEquals(before, repo.remoteRefs());
        assertEquals(List.of(), github.requests());
    }

    @Test
    void aGitHubErrorIsAnOutsideSystemFailureNamingTheCall() throws IOException {
        github.failWrites = 422;
        Deliverer deliverer = new Deliverer(inputs.request(env()));

        var e = assertThrows(io.deployflow.core.OutsideSystemException.class,
                () -> captureStderr(deliverer::deliver));

        assertTrue(e.getMessage().contains("GitHub API " + github.apiUrl()), e.getMessage());
        assertTrue(e.getMessage().contains(TAG), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
        assertEquals(List.of(), github.ofTag(TAG));
    }

    @Test
    void recognisesGitHubRemotes() {
        assertEquals(new GitHubReleases.Target("https://api.github.com", "acme/acme-stack"),
                GitHubReleases.target("https://github.com/acme/acme-stack.git", Map.of()).orElseThrow());
        assertEquals(new GitHubReleases.Target("https://api.github.com", "acme/acme-stack"),
                GitHubReleases.target("git@github.com:acme/acme-stack.git", Map.of()).orElseThrow());
        assertEquals(new GitHubReleases.Target("https://ghe.example.org/api/v3", "fhir/acme"),
                GitHubReleases.target("https://ghe.example.org/fhir/acme.git",
                        Map.of(GitHubReleases.API_URL_ENV, "https://ghe.example.org/api/v3/")).orElseThrow());
        assertTrue(GitHubReleases.target("https://gitlab.example.org/fhir/acme.git",
                Map.of(GitHubReleases.API_URL_ENV, "https://ghe.example.org/api/v3")).isEmpty(),
                "other hosts get only the tag");
    }

    private static String captureStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
