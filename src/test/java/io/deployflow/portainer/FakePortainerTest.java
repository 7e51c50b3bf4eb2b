package io.deployflow.portainer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake must behave as Portainer does where it matters, or the deploy tests prove nothing. Raw HTTP here, so
 * the fake's rules are checked without deployflow's client in between.
 */
class FakePortainerTest {
    FakePortainer portainer;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        portainer = new FakePortainer();
        portainer.deployPolls = 1;
        portainer.endpoints.put(1, "acme-prod");
        portainer.addStack(7, "acme", 1, PortainerDeployerTest.OLD_FILE, PortainerDeployerTest.OLD_ENV);
    }

    @AfterEach
    void stop() {
        portainer.close();
    }

    @Test
    void aPutWithoutEnvWipesTheVariablesAndTheStackBreaks() throws Exception {
        HttpResponse<String> put = put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY,
                "{\"StackFileContent\":" + quote(PortainerDeployerTest.OLD_FILE) + "}");
        get("/api/stacks/7");
        get("/api/stacks/7");

        assertEquals(200, put.statusCode());
        assertEquals(List.of(), portainer.stacks.get(7).env);
        String containers = get("/api/endpoints/1/docker/containers/json?all=1&filters=%7B%22label%22%3A%5B%22com"
                + ".docker.compose.project%3Dacme%22%5D%7D").body();
        assertTrue(containers.contains("Exited (1)"), containers);
    }

    @Test
    void aPutWhileADeployRunsIs409() throws Exception {
        String body = "{\"StackFileContent\":\"services: {a: {image: b}}\",\"Env\":[]}";
        assertEquals(200, put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY, body).statusCode());

        HttpResponse<String> second = put("/api/stacks/7?endpointId=1", FakePortainer.API_KEY, body);

        assertEquals(409, second.statusCode());
        assertTrue(second.body().contains("Stack deployment is already in progress"));
    }

    @Test
    void endpointIdIsRequired() throws Exception {
        HttpResponse<String> put = put("/api/stacks/7", FakePortainer.API_KEY,
                "{\"StackFileContent\":\"services: {a: {image: b}}\",\"Env\":[]}");

        assertEquals(400, put.statusCode());
        assertTrue(put.body().contains("Invalid query parameter: endpointId"));
        assertEquals(PortainerDeployerTest.OLD_FILE, portainer.stacks.get(7).file);
    }

    @Test
    void aBadApiKeyIs401() throws Exception {
        HttpResponse<String> put = put("/api/stacks/7?endpointId=1", "ptr_bad", "{}");

        assertEquals(401, put.statusCode());
        assertEquals(PortainerDeployerTest.OLD_FILE, portainer.stacks.get(7).file);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(portainer.url() + path))
                .header("X-API-Key", FakePortainer.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String key, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(portainer.url() + path)).header("X-API-Key", key)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
