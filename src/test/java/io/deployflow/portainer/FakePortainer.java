package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.deployflow.core.Json;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A stateful stand-in for Portainer's API, behaving as the real handlers do (portainer/portainer
 * api/http/handler/stacks): a PUT replaces the stack's whole Env (leaving it out wipes the variables), answers 409
 * while a deploy runs, needs {@code endpointId}; a bad {@code X-API-Key} gets 401; git stacks redeploy through
 * {@code /git/redeploy}; deploys finish in the background (status 3 until a few polls later). Containers, seen
 * through the Docker proxy, follow the running file: an image containing "sick" is unhealthy, an image with an
 * unresolved ${VAR} exits with code 1 (which is what a wiped Env does to a real stack), one containing "flaky"
 * crash-loops.
 */
final class FakePortainer implements AutoCloseable {
    static final String API_KEY = "ptr_FAKEKEY0123456789abcdefSECRET=";
    static final String USERNAME = "deployer";
    static final String PASSWORD = "pa55-FAKE-word";
    /** The session token a password login gets; as secret as the password (the leak checks look for it). */
    static final String JWT = "eyJfake.jwt.token";
    private static final Pattern STACK = Pattern.compile("/api/stacks/(\\d+)(/file|/git/redeploy)?");
    private static final Pattern CONTAINERS = Pattern.compile("/api/endpoints/(\\d+)/docker/containers/json");

    static final class FakeStack {
        final int id;
        final String name;
        final int endpointId;
        volatile List<EnvVar> env;
        volatile String file;
        volatile String runningFile;
        volatile String gitUrl;
        volatile String gitReference;
        volatile String gitRepositoryFile;
        volatile int status = 1;
        volatile int deployingPolls;

        FakeStack(int id, String name, int endpointId, String file, List<EnvVar> env) {
            this.id = id;
            this.name = name;
            this.endpointId = endpointId;
            this.file = file;
            this.runningFile = file;
            this.env = List.copyOf(env);
        }
    }

    /** The next {@code times} requests whose "METHOD path" starts with {@code prefix} get {@code status}. */
    private record Fault(String prefix, int status, int[] times) {
    }

    final Map<Integer, String> endpoints = new ConcurrentHashMap<>();
    final Map<Integer, FakeStack> stacks = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final WireMockServer server;
    /** How many stack polls a deploy stays in status 3 (deploying) after a PUT. */
    volatile int deployPolls = 2;
    /** PUT bodies containing this text are applied, but answered only after {@link #putDelayMillis}. */
    volatile String slowPutMarker;
    volatile int putDelayMillis;
    private int flakyLooks;
    /** When set, deploys "succeed" but the old containers keep running, as when compose did not recreate them. */
    volatile boolean containersNeverRecreated;

    FakePortainer() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new Behaviour()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    FakeStack addStack(int id, String name, int endpointId, String file, List<EnvVar> env) {
        FakeStack stack = new FakeStack(id, name, endpointId, file, env);
        stacks.put(id, stack);
        return stack;
    }

    void failNext(String methodAndPathPrefix, int status, int times) {
        faults.add(new Fault(methodAndPathPrefix, status, new int[] {times}));
    }

    /** Every write the fake received, as "METHOD url". */
    List<String> writes() {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> !r.getMethod().getName().equals("GET"))
                .filter(r -> !r.getUrl().equals("/api/auth"))
                .map(r -> r.getMethod().getName() + " " + r.getUrl()).sorted().toList();
    }

    /** Every request's headers and body, to check that no secret of ours was sent where it does not belong. */
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
            return "fake-portainer";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            synchronized (FakePortainer.this) {
                return handle(event.getRequest());
            }
        }
    }

    private ResponseDefinition handle(LoggedRequest request) {
        String method = request.getMethod().getName();
        String path = request.getUrl().replaceFirst("\\?.*", "");
        if (path.equals("/api/auth") && method.equals("POST")) {
            JsonNode body = body(request);
            return USERNAME.equals(body.path("Username").asText()) && PASSWORD.equals(body.path("Password").asText())
                    ? json(200, Json.mapper().createObjectNode().put("jwt", JWT))
                    : error(422, "Invalid credentials", "Unauthorized");
        }
        if (!API_KEY.equals(request.getHeader("X-API-Key"))
                && !("Bearer " + JWT).equals(request.getHeader("Authorization"))) {
            return error(401, "Unauthorized", "A valid authorisation token is missing");
        }
        for (Fault fault : faults) {
            if ((method + " " + path).startsWith(fault.prefix()) && fault.times()[0] > 0) {
                fault.times()[0]--;
                return error(fault.status(), "Injected failure " + fault.status(), "fault for " + fault.prefix());
            }
        }
        if (method.equals("GET") && path.equals("/api/endpoints")) {
            ArrayNode list = Json.mapper().createArrayNode();
            endpoints.forEach((id, name) -> list.addObject().put("Id", id).put("Name", name).put("Type", 1));
            return json(200, list);
        }
        if (method.equals("GET") && path.equals("/api/stacks")) {
            ArrayNode list = Json.mapper().createArrayNode();
            stacks.values().forEach(s -> list.add(stackJson(s)));
            return json(200, list);
        }
        if (method.equals("POST") && path.equals("/api/stacks/create/standalone/string")) {
            return create(request);
        }
        Matcher containers = CONTAINERS.matcher(path);
        if (method.equals("GET") && containers.matches()) {
            return containers(Integer.parseInt(containers.group(1)), request);
        }
        Matcher m = STACK.matcher(path);
        if (!m.matches()) {
            return error(404, "Not found", path);
        }
        FakeStack stack = stacks.get(Integer.parseInt(m.group(1)));
        if (stack == null) {
            return error(404, "Unable to find a stack with the specified identifier inside the database",
                    "Object not found inside the database");
        }
        // A background deploy moves on with time; here every request about the stack is one tick of it.
        advanceDeploy(stack);
        String sub = m.group(2) == null ? "" : m.group(2);
        return switch (method + " " + sub) {
            case "GET " -> json(200, stackJson(stack));
            case "GET /file" -> json(200, Json.mapper().createObjectNode().put("StackFileContent", stack.file));
            case "PUT " -> update(stack, request);
            case "PUT /git/redeploy" -> gitRedeploy(stack, request);
            default -> error(405, "Method not allowed", method + " " + path);
        };
    }

    private ResponseDefinition update(FakeStack stack, LoggedRequest request) {
        QueryParameter endpoint = request.queryParameter("endpointId");
        if (!endpoint.isPresent()) {
            return error(400, "Invalid query parameter: endpointId", "missing mandatory query parameter");
        }
        if (stack.status == 3) {
            return error(409, "Unable to update stack", "Stack deployment is already in progress");
        }
        JsonNode body = body(request);
        String content = body.path("StackFileContent").asText("");
        if (content.isEmpty()) {
            return error(400, "Invalid request payload", "Invalid stack file content");
        }
        stack.file = content;
        stack.env = env(body.path("Env"));
        stack.gitUrl = null;
        startDeploy(stack);
        ResponseDefinitionBuilder answer = jsonBuilder(200, stackJson(stack));
        if (slowPutMarker != null && content.contains(slowPutMarker)) {
            answer.withFixedDelay(putDelayMillis);
        }
        return answer.build();
    }

    private ResponseDefinition gitRedeploy(FakeStack stack, LoggedRequest request) {
        if (stack.gitUrl == null) {
            return error(400, "Stack is not created from git", "stack has no git workflow");
        }
        if (stack.status == 3) {
            return error(409, "Unable to update stack", "Stack deployment is already in progress");
        }
        JsonNode body = body(request);
        stack.gitReference = body.path("RepositoryReferenceName").asText("refs/heads/master");
        stack.env = env(body.path("Env"));
        stack.file = stack.gitRepositoryFile;
        startDeploy(stack);
        return json(200, stackJson(stack));
    }

    private ResponseDefinition create(LoggedRequest request) {
        QueryParameter endpoint = request.queryParameter("endpointId");
        if (!endpoint.isPresent()) {
            return error(400, "Invalid query parameter: endpointId", "missing mandatory query parameter");
        }
        int endpointId = Integer.parseInt(endpoint.firstValue());
        JsonNode body = body(request);
        String name = body.path("Name").asText().toLowerCase();
        if (stacks.values().stream().anyMatch(s -> s.endpointId == endpointId && s.name.equalsIgnoreCase(name))) {
            return error(409, "A stack with the normalized name '" + name + "' already exists", "conflict");
        }
        int id = stacks.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        FakeStack stack = addStack(id, name, endpointId, body.path("StackFileContent").asText(),
                env(body.path("Env")));
        stack.runningFile = null;
        startDeploy(stack);
        return json(200, stackJson(stack));
    }

    private void startDeploy(FakeStack stack) {
        stack.status = 3;
        stack.deployingPolls = deployPolls;
        if (deployPolls == 0) {
            advanceDeploy(stack);
        }
    }

    private void advanceDeploy(FakeStack stack) {
        if (stack.status != 3) {
            return;
        }
        if (stack.deployingPolls-- > 0) {
            return;
        }
        if (!containersNeverRecreated) {
            stack.runningFile = stack.file;
        }
        stack.status = stack.file.contains("portainer-cannot-deploy") ? 4 : 1;
    }

    private ResponseDefinition containers(int endpointId, LoggedRequest request) {
        String filters = request.queryParameter("filters").isPresent()
                ? request.queryParameter("filters").firstValue() : "{}";
        String label = body(filters).path("label").path(0).asText();
        String project = label.replaceFirst("^com\\.docker\\.compose\\.project=", "");
        ArrayNode list = Json.mapper().createArrayNode();
        for (FakeStack stack : stacks.values()) {
            if (stack.endpointId == endpointId && stack.name.equals(project) && stack.runningFile != null) {
                services(stack.runningFile).forEach((service, image) -> {
                    String resolved = interpolate(image, stack.env);
                    boolean broken = resolved.contains("${");
                    ObjectNode c = list.addObject();
                    c.put("Id", stack.name + "-" + service);
                    c.putArray("Names").add("/" + stack.name + "-" + service + "-1");
                    c.put("Image", resolved);
                    // "flaky" crash-loops: every other look at it finds it restarting.
                    boolean restarting = resolved.contains("flaky") && flakyLooks++ % 2 == 1;
                    c.put("State", broken ? "exited" : restarting ? "restarting" : "running");
                    c.put("Status", broken ? "Exited (1) 2 seconds ago"
                            : resolved.contains("sick") ? "Up 9 seconds (unhealthy)" : "Up 9 seconds (healthy)");
                    c.putObject("Labels").put("com.docker.compose.project", stack.name)
                            .put("com.docker.compose.service", service);
                });
            }
        }
        return json(200, list);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> services(String file) {
        Map<String, String> out = new LinkedHashMap<>();
        Object root = new Load(LoadSettings.builder().build()).loadFromString(file);
        if (root instanceof Map<?, ?> map && map.get("services") instanceof Map<?, ?> services) {
            ((Map<String, Object>) services).forEach((name, def) -> out.put(name,
                    def instanceof Map<?, ?> d ? String.valueOf(d.get("image")) : "none"));
        }
        return out;
    }

    private static String interpolate(String image, List<EnvVar> env) {
        String out = image;
        for (EnvVar v : env) {
            out = out.replace("${" + v.name() + "}", v.value());
        }
        return out;
    }

    private static ObjectNode stackJson(FakeStack s) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("Id", s.id).put("Name", s.name).put("Type", 2).put("EndpointId", s.endpointId)
                .put("Status", s.status).put("EntryPoint", "docker-compose.yml");
        ArrayNode env = node.putArray("Env");
        s.env.forEach(v -> env.addObject().put("name", v.name()).put("value", v.value()));
        if (s.gitUrl != null) {
            node.putObject("GitConfig").put("URL", s.gitUrl).put("ReferenceName", s.gitReference)
                    .put("ConfigFilePath", "docker-compose.yml");
        } else {
            node.putNull("GitConfig");
        }
        return node;
    }

    private static List<EnvVar> env(JsonNode array) {
        List<EnvVar> out = new ArrayList<>();
        for (JsonNode pair : array) {
            out.add(new EnvVar(pair.path("name").asText(), pair.path("value").asText()));
        }
        return List.copyOf(out);
    }

    private static JsonNode body(LoggedRequest request) {
        return body(request.getBodyAsString());
    }

    private static JsonNode body(String text) {
        try {
            return text == null || text.isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(text);
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static ResponseDefinition error(int status, String message, String details) {
        return json(status, Json.mapper().createObjectNode().put("message", message).put("details", details));
    }

    private static ResponseDefinition json(int status, JsonNode body) {
        return jsonBuilder(status, body).build();
    }

    private static ResponseDefinitionBuilder jsonBuilder(int status, JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body.toString());
    }
}
