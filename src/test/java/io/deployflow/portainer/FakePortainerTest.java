package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake must behave as Portainer does where it matters, or the deploy tests prove nothing. Raw HTTP here, so
 * the fake's rules are checked without deployflow's client in between.
 */
class FakePortainerTest {
    static final String OLD_FILE = PortainerDeployerTest.OLD_FILE;
    FakePortainer portainer;
    final HttpClient http = HttpClient.newHttpClient();

    void given(FakePortainer.Generation generation) {
        portainer = new FakePortainer(generation);
        portainer.deployPolls = 1;
        portainer.endpoints.put(1, "acme-prod");
        portainer.addStack(7, "acme", 1, OLD_FILE, PortainerDeployerTest.OLD_ENV);
    }

    @AfterEach
    void stop() {
        portainer.close();
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void theVersionIsPublic(FakePortainer.Generation generation) throws Exception {
        given(generation);

        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(portainer.url()
                + "/api/system/status")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, status.statusCode());
        assertEquals(generation.version, Json.mapper().readTree(status.body()).path("Version").asText());
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aPutWithoutEnvWipesTheVariables(FakePortainer.Generation generation) throws Exception {
        given(generation);
        HttpResponse<String> put = put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY,
                "{\"StackFileContent\":" + quote(OLD_FILE) + "}");
        get("/api/stacks/7");
        get("/api/stacks/7");

        assertEquals(200, put.statusCode());
        assertEquals(List.of(), portainer.stacks.get(7).env);
        String containers = get(containersOf("acme")).body();
        assertTrue(containers.contains("Exited (1)"), containers);
    }

    @Test
    void theNewestAnswersAtOnceAnd409sWhileDeploying() throws Exception {
        given(FakePortainer.Generation.ASYNCHRONOUS);
        String body = "{\"StackFileContent\":\"services: {a: {image: b}}\",\"Env\":[]}";
        HttpResponse<String> first = put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY, body);

        HttpResponse<String> second = put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY, body);

        assertEquals(3, Json.mapper().readTree(first.body()).path("Status").asInt(), "deploying");
        assertEquals(409, second.statusCode());
        assertTrue(second.body().contains("Stack deployment is already in progress"));
        assertEquals(1, portainer.deploys.size());
    }

    @Test
    void theNewestReportsAFailedDeployInDeploymentStatusKeepingTheSentEnvAndTheOldFile() throws Exception {
        given(FakePortainer.Generation.ASYNCHRONOUS);
        String file = PortainerDeployerTest.newFile("9.9.9-cannot-pull");

        put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY, "{\"StackFileContent\":" + quote(file)
                + ",\"Env\":[{\"name\":\"X\",\"value\":\"1\"}]}");
        get("/api/stacks/7");
        JsonNode stack = Json.mapper().readTree(get("/api/stacks/7").body());

        assertEquals(4, stack.path("Status").asInt());
        JsonNode last = stack.path("DeploymentStatus").get(stack.path("DeploymentStatus").size() - 1);
        assertTrue(last.path("Message").asText().startsWith("failed to deploy a stack: gateway Error manifest"),
                last.toString());
        assertEquals(OLD_FILE, portainer.stacks.get(7).file, "the file is put back on disk");
        assertEquals(List.of(new EnvVar("X", "1")), portainer.stacks.get(7).env, "the Env was saved as sent");
    }

    @Test
    void theSynchronousGenerationDeploysInTheRequestAnswers500AndKeepsTheOldRecord() throws Exception {
        given(FakePortainer.Generation.SYNCHRONOUS);
        String file = PortainerDeployerTest.newFile("9.9.9-cannot-pull");

        HttpResponse<String> put = put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY,
                "{\"StackFileContent\":" + quote(file) + ",\"Env\":[]}");
        HttpResponse<String> again = put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY,
                "{\"StackFileContent\":" + quote(file) + ",\"Env\":[]}");

        assertEquals(500, put.statusCode());
        assertTrue(put.body().contains("failed to deploy a stack: gateway Error manifest"), put.body());
        assertEquals(500, again.statusCode(), "no 409: every request runs a deploy");
        assertEquals(2, portainer.deploys.size());
        assertEquals(OLD_FILE, portainer.stacks.get(7).file);
        assertEquals(PortainerDeployerTest.OLD_ENV, portainer.stacks.get(7).env);
        assertFalse(get("/api/stacks/7").body().contains("DeploymentStatus"));
    }

    @Test
    void theSynchronousGenerationRunsTwoDeploysSideBySide() throws Exception {
        given(FakePortainer.Generation.SYNCHRONOUS);
        portainer.slowDeployMarker = "1.3.0";
        portainer.deployMillis = 500;
        String body = "{\"StackFileContent\":" + quote(PortainerDeployerTest.newFile("1.3.0")) + ",\"Env\":[]}";
        HttpClient impatient = HttpClient.newBuilder().build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(portainer.url() + "/api/stacks/7?endpointId=1"))
                .header("X-API-Key", FakePortainer.API_KEY).timeout(java.time.Duration.ofMillis(100))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            impatient.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException expected) {
            // the client gave up; Portainer did not
        }

        String onDisk = get("/api/stacks/7/file").body();
        String record = get("/api/stacks/7").body();
        put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY, body);

        assertTrue(onDisk.contains("fhir-gateway:1.3.0"), "the new file is on disk while compose runs: " + onDisk);
        assertTrue(record.contains("s3cr3t-db-value"), "the record keeps its Env until the deploy worked");
        assertEquals(1, portainer.overlappingDeploys, "nothing stops a second deploy beside the first");
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void endpointIdIsRequiredAndAnUnknownOneIs404(FakePortainer.Generation generation) throws Exception {
        given(generation);
        String body = "{\"StackFileContent\":\"services: {a: {image: b}}\",\"Env\":[]}";

        HttpResponse<String> missing = put("/api/stacks/7", FakePortainer.API_KEY, body);
        HttpResponse<String> unknown = put("/api/stacks/7?endpointId=42", FakePortainer.API_KEY, body);

        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("Invalid query parameter: endpointId"));
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("Unable to find the environment associated to the stack"));
        assertEquals(OLD_FILE, portainer.stacks.get(7).file);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aBadApiKeyIs401AndAMissingRightIs403(FakePortainer.Generation generation) throws Exception {
        given(generation);
        HttpResponse<String> put = put("/api/stacks/7?endpointId=1", "ptr_bad", "{}");
        portainer.deniedMessage = "Stack editing is disabled for non-admin users";
        HttpResponse<String> denied = put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY,
                "{\"StackFileContent\":\"services: {a: {image: b}}\",\"Env\":[]}");

        assertEquals(401, put.statusCode());
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("Stack editing is disabled for non-admin users"));
        assertEquals(OLD_FILE, portainer.stacks.get(7).file);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void namesAreNormalisedAtCreationAndATakenOneIs409(FakePortainer.Generation generation) throws Exception {
        given(generation);
        String body = "{\"Name\":\"Acme.Prod\",\"StackFileContent\":\"services: {a: {image: b}}\",\"Env\":[]}";

        HttpResponse<String> created = post("/api/stacks/create/standalone/string?endpointId=1", body);
        HttpResponse<String> again = post("/api/stacks/create/standalone/string?endpointId=1", body);

        assertEquals(200, created.statusCode(), created.body());
        assertEquals("acmeprod", Json.mapper().readTree(created.body()).path("Name").asText());
        assertEquals(409, again.statusCode());
        assertTrue(again.body().contains("A stack with the normalized name 'acmeprod' already exists"));
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aCreateThatFailsIsSavedOnlyByTheNewest(FakePortainer.Generation generation) throws Exception {
        given(generation);
        String body = "{\"Name\":\"new\",\"StackFileContent\":" + quote(PortainerDeployerTest.newFile("1-cannot-pull"))
                + ",\"Env\":[]}";

        HttpResponse<String> created = post("/api/stacks/create/standalone/string?endpointId=1", body);

        boolean newest = generation == FakePortainer.Generation.ASYNCHRONOUS;
        assertEquals(newest ? 200 : 500, created.statusCode());
        assertEquals(newest ? 2 : 1, portainer.stacks.size());
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void swarmStacksRunDigestPinnedImages(FakePortainer.Generation generation) throws Exception {
        given(generation);
        portainer.addStack(9, "fhir", FakePortainer.SWARM, 1, "services: {api: {image: 'reg.example/api:1.0'}}\n",
                List.of());

        String containers = get("/api/endpoints/1/docker/containers/json?all=1&filters="
                + URLEncoder.encode("{\"label\":[\"com.docker.stack.namespace=fhir\"]}", StandardCharsets.UTF_8))
                .body();

        assertTrue(containers.contains("\"Image\":\"reg.example/api:1.0@sha256:" + FakePortainer.digest(
                "reg.example/api:1.0") + "\""), containers);
        assertTrue(containers.contains("\"com.docker.swarm.service.name\":\"fhir_api\""), containers);
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void aGitStackWithAuthenticationClonesOnlyWithItsStoredCredentials(FakePortainer.Generation generation)
            throws Exception {
        given(generation);
        FakePortainer.FakeStack stack = portainer.stacks.get(7);
        stack.gitUrl = "https://git.example.org/acme.git";
        stack.gitReference = "refs/heads/main";
        stack.gitUsername = "deploy-bot";
        stack.gitRepositoryFile = OLD_FILE;

        HttpResponse<String> anonymous = put("/api/stacks/7/git/redeploy?endpointId=1", FakePortainer.API_KEY,
                "{\"RepositoryReferenceName\":\"refs/heads/main\",\"Env\":[]}");
        HttpResponse<String> stored = put("/api/stacks/7/git/redeploy?endpointId=1", FakePortainer.API_KEY,
                "{\"RepositoryReferenceName\":\"refs/heads/main\",\"RepositoryAuthentication\":true,"
                        + "\"RepositoryUsername\":\"deploy-bot\",\"RepositoryPassword\":\"\",\"Env\":[]}");

        assertEquals(500, anonymous.statusCode());
        assertTrue(anonymous.body().contains("authentication failed"), anonymous.body());
        assertEquals(200, stored.statusCode(), stored.body());
        JsonNode auth = Json.mapper().readTree(stored.body()).path("GitConfig").path("Authentication");
        assertEquals("deploy-bot", auth.path("Username").asText());
        assertEquals("", auth.path("Password").asText(), "the password is never answered");
    }

    @ParameterizedTest
    @EnumSource(FakePortainer.Generation.class)
    void onlyTheNewestLeavesGitConfigOutOfTheList(FakePortainer.Generation generation) throws Exception {
        given(generation);
        portainer.stacks.get(7).gitUrl = "https://git.example.org/acme.git";
        portainer.stacks.get(7).gitReference = "refs/heads/main";

        JsonNode listed = Json.mapper().readTree(get("/api/stacks").body()).get(0);
        JsonNode single = Json.mapper().readTree(get("/api/stacks/7").body());

        assertEquals(generation == FakePortainer.Generation.SYNCHRONOUS, listed.path("GitConfig").isObject());
        assertTrue(single.path("GitConfig").isObject());
    }

    private static String containersOf(String project) {
        return "/api/endpoints/1/docker/containers/json?all=1&filters=" + URLEncoder.encode(
                "{\"label\":[\"com.docker.compose.project=" + project + "\"]}", StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(portainer.url() + path))
                .header("X-API-Key", FakePortainer.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String key, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(portainer.url() + path)).header("X-API-Key", key)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(portainer.url() + path))
                .header("X-API-Key", FakePortainer.API_KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
