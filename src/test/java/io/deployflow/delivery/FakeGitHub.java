package io.deployflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.deployflow.core.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A stateful stand-in for one repository's releases on the GitHub REST API (docs.github.com/rest/releases/releases,
 * API version 2022-11-28), as a GitHub Enterprise server on 127.0.0.1:
 * <ul>
 *   <li>{@code GET /repos/{o}/{r}/releases} lists every release, drafts included: "Only users with push access
 *   will receive listings for draft releases" (the token here has push access);</li>
 *   <li>{@code GET /repos/{o}/{r}/releases/tags/{tag}}: "Get a published release with the specified tag" — a draft
 *   is 404;</li>
 *   <li>{@code POST /repos/{o}/{r}/releases} creates one (201); a second published release of a tag is 422
 *   {@code already_exists}, while drafts of one tag may pile up; {@code make_latest} is "true", "false" or "legacy",
 *   default true for a published release, and "Drafts and prereleases cannot be set as latest";</li>
 *   <li>{@code PATCH /repos/{o}/{r}/releases/{id}} changes name, body, draft and {@code make_latest}.</li>
 * </ul>
 * Which release is "latest" is kept, as {@code GET /repos/{o}/{r}/releases/latest} would answer.
 */
final class FakeGitHub implements AutoCloseable {
    static final String REPO = "/repos/acme/acme-stack";
    private static final Pattern RELEASE = Pattern.compile(Pattern.quote(REPO) + "/releases/(\\d+)");
    private static final Set<String> MAKE_LATEST = Set.of("true", "false", "legacy");

    /** The repository's releases by id, as GitHub holds them. */
    final Map<Long, ObjectNode> releases = new ConcurrentSkipListMap<>();
    volatile Long latestId;
    /** When set, every write is answered with this status (GitHub refusing, for error handling tests). */
    volatile Integer failWrites;
    private long nextId = 100;
    private final WireMockServer server;

    FakeGitHub() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new Behaviour()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A release as if made earlier (by hand or by an earlier delivery). */
    ObjectNode add(String tag, boolean draft, boolean latest) {
        ObjectNode release = release(tag, "prepared " + tag, "prepared notes", draft);
        if (latest) {
            latestId = release.path("id").asLong();
        }
        return release;
    }

    List<ObjectNode> ofTag(String tag) {
        return releases.values().stream().filter(r -> r.path("tag_name").asText().equals(tag)).toList();
    }

    /** Writes received, as "METHOD path" with their JSON bodies. */
    List<LoggedRequest> writes() {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> !r.getMethod().getName().equals("GET")).toList();
    }

    List<LoggedRequest> requests() {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest).toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Behaviour implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "fake-github";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            synchronized (FakeGitHub.this) {
                return handle(event.getRequest());
            }
        }
    }

    private ResponseDefinition handle(LoggedRequest request) {
        String method = request.getMethod().getName();
        String path = request.getUrl().replaceFirst("\\?.*", "");
        if (method.equals("GET") && path.equals(REPO)) {
            return json(200, Json.mapper().createObjectNode().put("id", 42).put("name", "acme-stack")
                    .put("full_name", "acme/acme-stack").put("url", apiUrl() + REPO)
                    .put("html_url", "https://github.example/acme/acme-stack")
                    .set("owner", Json.mapper().createObjectNode().put("login", "acme")));
        }
        if (method.equals("GET") && path.equals(REPO + "/releases")) {
            ArrayNode list = Json.mapper().createArrayNode();
            releases.values().stream().sorted((a, b) -> Long.compare(b.path("id").asLong(), a.path("id").asLong()))
                    .forEach(list::add);
            return json(200, list);
        }
        if (method.equals("GET") && path.startsWith(REPO + "/releases/tags/")) {
            String tag = path.substring((REPO + "/releases/tags/").length());
            return ofTag(tag).stream().filter(r -> !r.path("draft").asBoolean()).findFirst()
                    .map(r -> json(200, r)).orElseGet(() -> notFound());
        }
        if (failWrites != null && !method.equals("GET")) {
            return json(failWrites, Json.mapper().createObjectNode().put("message", "Validation Failed"));
        }
        if (method.equals("POST") && path.equals(REPO + "/releases")) {
            return create(body(request));
        }
        Matcher m = RELEASE.matcher(path);
        if (m.matches() && releases.containsKey(Long.parseLong(m.group(1)))) {
            ObjectNode release = releases.get(Long.parseLong(m.group(1)));
            if (method.equals("GET")) {
                return json(200, release);
            }
            if (method.equals("PATCH")) {
                return update(release, body(request));
            }
        }
        return notFound();
    }

    private ResponseDefinition create(JsonNode body) {
        String tag = body.path("tag_name").asText("");
        boolean draft = body.path("draft").asBoolean(false);
        if (tag.isEmpty()) {
            return invalid("missing_field", "tag_name");
        }
        if (!draft && ofTag(tag).stream().anyMatch(r -> !r.path("draft").asBoolean())) {
            return invalid("already_exists", "tag_name");
        }
        if (body.has("make_latest") && !MAKE_LATEST.contains(body.path("make_latest").asText())) {
            return invalid("invalid", "make_latest");
        }
        ObjectNode release = release(tag, body.path("name").asText(tag), body.path("body").asText(""), draft);
        release.put("prerelease", body.path("prerelease").asBoolean(false));
        becomeLatestIfAsked(release, body);
        return json(201, release);
    }

    private ResponseDefinition update(ObjectNode release, JsonNode body) {
        if (body.has("make_latest") && !MAKE_LATEST.contains(body.path("make_latest").asText())) {
            return invalid("invalid", "make_latest");
        }
        for (String field : List.of("name", "body", "tag_name")) {
            if (body.has(field)) {
                release.put(field, body.path(field).asText());
            }
        }
        if (body.has("draft")) {
            release.put("draft", body.path("draft").asBoolean());
        }
        becomeLatestIfAsked(release, body);
        return json(200, release);
    }

    /** make_latest defaults to true; drafts and prereleases never become latest. */
    private void becomeLatestIfAsked(ObjectNode release, JsonNode body) {
        String makeLatest = body.path("make_latest").asText("true");
        if (!release.path("draft").asBoolean() && !release.path("prerelease").asBoolean()
                && makeLatest.equals("true")) {
            latestId = release.path("id").asLong();
        }
    }

    private ObjectNode release(String tag, String name, String body, boolean draft) {
        long id = nextId++;
        ObjectNode release = Json.mapper().createObjectNode().put("id", id).put("tag_name", tag).put("name", name)
                .put("body", body).put("draft", draft).put("prerelease", false)
                .put("url", apiUrl() + REPO + "/releases/" + id)
                .put("html_url", "https://github.example/acme/acme-stack/releases/" + (draft ? "untagged-" + id
                        : "tag/" + tag));
        releases.put(id, release);
        return release;
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return Json.mapper().readTree(request.getBodyAsString());
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static ResponseDefinition invalid(String code, String field) {
        ObjectNode body = Json.mapper().createObjectNode().put("message", "Validation Failed");
        body.putArray("errors").addObject().put("resource", "Release").put("code", code).put("field", field);
        return json(422, body);
    }

    private static ResponseDefinition notFound() {
        return json(404, Json.mapper().createObjectNode().put("message", "Not Found"));
    }

    private static ResponseDefinition json(int status, JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body.toString()).build();
    }
}
