package io.deployflow.delivery;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GitHub release after a real delivery (git daemon remote), with the github-api client pointed at WireMock as
 * a GitHub Enterprise API on the same host as the remote.
 */
class GitHubReleaseTest {
    static final String TOKEN = "ghp-test-token-never-logged-4711";
    static final String REPO = "/repos/acme/acme-stack";
    static final String HTML_URL = "https://github.example/acme/acme-stack/releases/tag/v1.1.0";

    @TempDir
    Path tmp;
    CustomerRepoFixture repo;
    DeliveryInputs inputs;
    WireMockServer github;

    @BeforeEach
    void start() throws Exception {
        repo = CustomerRepoFixture.start(tmp.resolve("remote"));
        inputs = new DeliveryInputs(tmp.resolve("inputs"), repo.url());
        github = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        github.start();
        github.stubFor(get(urlPathEqualTo(REPO)).willReturn(okJson("""
                {"id": 42, "name": "acme-stack", "full_name": "acme/acme-stack", "owner": {"login": "acme"},
                 "url": "http://127.0.0.1:%d%s", "html_url": "https://github.example/acme/acme-stack"}
                """.formatted(github.port(), REPO))));
    }

    @AfterEach
    void stop() {
        github.stop();
        repo.close();
    }

    /** The API on the same host as the git remote, as a GitHub Enterprise server would be. */
    String apiUrl() {
        return "http://127.0.0.1:" + github.port();
    }

    Map<String, String> env() {
        return Map.of(GitHubReleases.API_URL_ENV, apiUrl(), GitHubReleases.TOKEN_ENV, TOKEN);
    }

    @Test
    void createsTheReleaseWithTheNotesForTheNewTag() throws Exception {
        github.stubFor(get(urlPathEqualTo(REPO + "/releases/tags/v1.1.0"))
                .willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));
        github.stubFor(post(urlPathEqualTo(REPO + "/releases")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\": 7, \"tag_name\": \"v1.1.0\", \"name\": \"acme 1.1.0\", \"html_url\": \""
                        + HTML_URL + "\"}")));

        Deliverer deliverer = new Deliverer(inputs.request(env()));
        String stderr = captureStderr(deliverer::deliver);

        List<LoggedRequest> posts = github.findAll(postRequestedFor(urlPathEqualTo(REPO + "/releases")));
        assertEquals(1, posts.size());
        var body = Json.mapper().readTree(posts.get(0).getBodyAsString());
        assertEquals("v1.1.0", body.get("tag_name").asText());
        assertEquals(inputs.expectedNotes(), body.get("body").asText());
        assertEquals("acme 1.1.0", body.get("name").asText());
        assertFalse(body.path("draft").asBoolean(), "published, so subscribers are notified");
        assertTrue(posts.get(0).getHeader("Authorization").contains(TOKEN), "token sent as the credential");
        assertEquals(HTML_URL, deliverer.result().release.url());
        assertEquals("created", deliverer.result().release.action());

        String json = Json.mapper().writeValueAsString(deliverer.result());
        assertFalse(json.contains(TOKEN), "the token is not in the result");
        assertFalse(stderr.contains(TOKEN), "the token is not in the log");
        assertTrue(repo.remoteRefs().containsKey("refs/tags/v1.1.0"), "the tag is pushed before the release");
    }

    @Test
    void anExistingReleaseWithTheSameNotesIsLeftAlone() throws Exception {
        github.stubFor(get(urlPathEqualTo(REPO + "/releases/tags/v1.1.0")).willReturn(okJson(
                Json.mapper().writeValueAsString(Map.of("id", 7, "tag_name", "v1.1.0", "name", "acme 1.1.0",
                        "body", inputs.expectedNotes(), "html_url", HTML_URL)))));

        Deliverer deliverer = new Deliverer(inputs.request(env()));
        captureStderr(deliverer::deliver);

        github.verify(1, getRequestedFor(urlPathEqualTo(REPO + "/releases/tags/v1.1.0")));
        github.verify(0, postRequestedFor(urlPathEqualTo(REPO + "/releases")));
        assertTrue(github.findAll(patchRequestedFor(urlPathEqualTo(REPO + "/releases/7"))).isEmpty());
        assertEquals("unchanged", deliverer.result().release.action());
    }

    @Test
    void anExistingReleaseWithOtherNotesIsUpdatedAndARerunOnlyChecksIt() throws Exception {
        github.stubFor(get(urlPathEqualTo(REPO + "/releases/tags/v1.1.0")).willReturn(okJson(
                "{\"id\": 7, \"tag_name\": \"v1.1.0\", \"name\": \"draft name\", \"body\": \"old notes\"}")));
        github.stubFor(patch(urlPathEqualTo(REPO + "/releases/7")).willReturn(okJson(
                "{\"id\": 7, \"tag_name\": \"v1.1.0\", \"html_url\": \"" + HTML_URL + "\"}")));

        Deliverer first = new Deliverer(inputs.request(env()));
        captureStderr(first::deliver);

        List<LoggedRequest> patches = github.findAll(patchRequestedFor(urlPathEqualTo(REPO + "/releases/7")));
        assertEquals(1, patches.size());
        var body = Json.mapper().readTree(patches.get(0).getBodyAsString());
        assertEquals(inputs.expectedNotes(), body.get("body").asText());
        assertEquals("updated", first.result().release.action());

        // The delivery itself is done now; a rerun touches no git ref and still makes sure of the release.
        Map<String, String> refs = repo.remoteRefs();
        Deliverer second = new Deliverer(inputs.request(env()));
        captureStderr(second::deliver);
        assertEquals("unchanged", second.result().status);
        assertEquals(refs, repo.remoteRefs());
        github.verify(2, getRequestedFor(urlPathEqualTo(REPO + "/releases/tags/v1.1.0")));
    }

    @Test
    void aGitHubRemoteWithoutTokenIsRefusedBeforeAnythingChanges() throws Exception {
        Map<String, String> before = repo.remoteRefs();
        Deliverer deliverer = new Deliverer(inputs.request(Map.of(GitHubReleases.API_URL_ENV, apiUrl())));

        BadInputException e = assertThrows(BadInputException.class, deliverer::deliver);

        assertTrue(e.getMessage().contains("DEPLOYFLOW_GITHUB_TOKEN"), e.getMessage());
        assertEquals(before, repo.remoteRefs());
        assertEquals(0, github.getAllServeEvents().size());
    }

    @Test
    void aGitHubErrorIsAnOutsideSystemFailureNamingTheCall() throws Exception {
        github.stubFor(get(urlPathEqualTo(REPO + "/releases/tags/v1.1.0"))
                .willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));
        github.stubFor(post(urlPathEqualTo(REPO + "/releases")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Validation Failed\"}")));
        Deliverer deliverer = new Deliverer(inputs.request(env()));

        var e = assertThrows(io.deployflow.core.OutsideSystemException.class,
                () -> captureStderr(deliverer::deliver));

        assertTrue(e.getMessage().contains("GitHub API " + apiUrl()), e.getMessage());
        assertTrue(e.getMessage().contains("v1.1.0"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
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
