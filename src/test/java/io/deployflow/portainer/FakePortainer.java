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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * A stateful stand-in for Portainer's API that behaves as the real handlers do, in either generation, chosen per
 * test. Each behaviour names where in Portainer's source (github.com/portainer/portainer) it comes from; "2.23"
 * means the handlers as tagged 2.19.0 to 2.23.0 (read there), "newest" the newest stored handlers (2.45 and later,
 * whose comments mark 2.36 deprecations).
 * <p>
 * <b>Synchronous</b> (2.19 to 2.39): stack_update.go updateComposeStack/updateSwarmStack (2.23) write the new file
 * to disk, run compose inside the request, and on failure put the old file back on disk
 * (FileService.RollbackStackFile) and answer 500 with compose's error; the stack record (Env, Status,
 * UpdateDate) is saved only after a deploy that worked (stackUpdate). No 409, no "deploying" status: two requests
 * run two deploys side by side (counted in {@link #overlappingDeploys}). The compose payload has no Prune field,
 * so orphaned services keep running. A create that fails is not saved (stackbuilders/stack_builder.go SaveStack
 * after FileContentMethodStackBuilder.Deploy, 2.23).
 * <p>
 * <b>Asynchronous</b> (newest): stack_update.go updateStackInTx answers 409 "Unable to update stack" / "Stack
 * deployment is already in progress" while Status is 3, else saves the file and Env, marks the stack deploying
 * (stackutils/stack_status.go PrepareStackStatusForDeployment) and answers at once; stackDeploy runs compose in
 * the background and UpdateStackStatusFromDeploymentResult ends in Status 1, or 4 with the error appended to
 * DeploymentStatus; a failed deploy's postDeploy puts the old file back on disk while Env stays as sent. Prune is
 * passed to compose. A create is saved and deployed the same way (assumed from the update path; the newest create
 * handler was not readable here, and portainer/terraform-provider-portainer#145 reports a create answering before
 * the stack left "deploying"). {@code GET /api/stacks} leaves GitConfig out (git settings moved to a separate
 * record, filled by fillStackGitConfig for single-stack answers).
 * <p>
 * Both: a PUT replaces the stack's whole Env (leaving it out wipes the variables); {@code endpointId} is required
 * (400 "Invalid query parameter: endpointId", libhttp RetrieveNumericQueryParameter with optional=false) and an
 * unknown one is 404 "Unable to find the environment associated to the stack inside the database" (stackUpdate,
 * 2.23); names are normalised (api/exec/common.go stackNameNormalizeRegex via ComposeStackManager.
 * NormalizeStackName, in createComposeStackFromFileContent and updateAndDeployStack); a taken name is 409 "A stack
 * with the normalized name '...' already exists" (handler.go stackExistsError); a bad {@code X-API-Key} is 401;
 * {@code /api/system/status} is public and tells the version (system/handler.go NewHandler, status.go
 * systemStatus, 2.19 to 2.23). Swarm stacks deployed with image resolution run {@code repo:tag@sha256:...}
 * (exec/swarm_stack.go Deploy adds --resolve-image=never only without PullImage). Git stacks redeploy through
 * {@code /git/redeploy}; a stack with {@code Authentication} clones with the stored password only when the request
 * asks for authentication with an empty password (stack_update_git_redeploy.go stackGitRedeploy, 2.23 and newest).
 * <p>
 * Containers, seen through the Docker proxy, follow the file and variables of the last deploy that worked: an
 * image containing "sick" is unhealthy, one with an unresolved ${VAR} exits with code 1 (what a wiped Env does to
 * a real stack), one containing "flaky" crash-loops. An image containing "cannot-pull" fails the deploy as a pull
 * of a missing tag does.
 */
final class FakePortainer implements AutoCloseable {
    static final String API_KEY = "ptr_FAKEKEY0123456789abcdefSECRET=";
    static final String USERNAME = "deployer";
    static final String PASSWORD = "pa55-FAKE-word";
    static final String GIT_PASSWORD = "git-FAKE-pass-7731";
    /** The session token a password login gets; as secret as the password (the leak checks look for it). */
    static final String JWT = "eyJfake.jwt.token";
    private static final Pattern STACK = Pattern.compile("/api/stacks/(\\d+)(/file|/git/redeploy)?");
    private static final Pattern CONTAINERS = Pattern.compile("/api/endpoints/(\\d+)/docker/containers/json");
    private static final Pattern NOT_KEPT_IN_NAMES = Pattern.compile("[^-_a-z0-9]+");
    static final int SWARM = 1;
    static final int COMPOSE = 2;

    enum Generation {
        SYNCHRONOUS("2.23.0"), ASYNCHRONOUS("2.45.0");

        final String version;

        Generation(String version) {
            this.version = version;
        }
    }

    static final class FakeStack {
        final int id;
        volatile String name;
        volatile int endpointId;
        final int type;
        /** The record's variables. */
        volatile List<EnvVar> env;
        /** The stack file on disk, which {@code GET /file} reads. */
        volatile String file;
        /** What the containers run: the file and variables of the last deploy that worked. */
        volatile String runningFile;
        volatile List<EnvVar> runningEnv;
        volatile boolean resolveImages = true;
        /** Services a later file dropped but compose was not told to prune: their containers stay. */
        final Map<String, String> orphans = new LinkedHashMap<>();
        volatile String gitUrl;
        volatile String gitReference;
        volatile String gitRepositoryFile;
        volatile String gitUsername;
        volatile int status = 1;
        volatile long updateDate = 1_700_000_000L;
        final List<ObjectNode> deploymentStatus = new ArrayList<>();
        volatile int deployingPolls;
        /** A deploy running (asynchronous ticks, or synchronous until a time): what it does when it ends. */
        volatile Runnable pending;
        volatile long pendingUntilNanos;

        FakeStack(int id, String name, int type, int endpointId, String file, List<EnvVar> env) {
            this.id = id;
            this.name = name;
            this.type = type;
            this.endpointId = endpointId;
            this.file = file;
            this.runningFile = file;
            this.env = List.copyOf(env);
            this.runningEnv = this.env;
        }
    }

    /** The next {@code times} requests whose "METHOD path" starts with {@code prefix} get {@code status}. */
    private record Fault(String prefix, int status, String message, int[] times) {
    }

    final Generation generation;
    final Map<Integer, String> endpoints = new ConcurrentHashMap<>();
    final Map<Integer, FakeStack> stacks = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    /** Every deploy Portainer started: "stackId: file" (the file as deployed). */
    final List<String> deploys = new CopyOnWriteArrayList<>();
    private final WireMockServer server;
    /** How many stack polls an asynchronous deploy stays in status 3 (deploying). */
    volatile int deployPolls = 2;
    /** Deploys whose file contains this text take {@link #deployMillis} (the answer, synchronous; the work, both). */
    volatile String slowDeployMarker;
    volatile int deployMillis;
    /** Synchronous deploys that started while another deploy of the same stack was still running. */
    volatile int overlappingDeploys;
    /** When set, the status routes answer 404, as behind a proxy that passes only part of the API. */
    volatile boolean versionHidden;
    /** When set, writes answer 403 with this message, as for a user without the right to edit stacks. */
    volatile String deniedMessage;
    private int flakyLooks;
    /** When set, deploys "succeed" but the old containers keep running, as when compose did not recreate them. */
    volatile boolean containersNeverRecreated;

    /** The asynchronous (newest) generation, which older tests were written against. */
    FakePortainer() {
        this(Generation.ASYNCHRONOUS);
    }

    FakePortainer(Generation generation) {
        this.generation = generation;
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new Behaviour()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    FakeStack addStack(int id, String name, int endpointId, String file, List<EnvVar> env) {
        return addStack(id, name, COMPOSE, endpointId, file, env);
    }

    FakeStack addStack(int id, String name, int type, int endpointId, String file, List<EnvVar> env) {
        FakeStack stack = new FakeStack(id, name, type, endpointId, file, env);
        stacks.put(id, stack);
        return stack;
    }

    void failNext(String methodAndPathPrefix, int status, int times) {
        failNext(methodAndPathPrefix, status, times, "Injected failure " + status);
    }

    /** Like {@link #failNext(String, int, int)}, answering with Portainer's {@code message}. */
    void failNext(String methodAndPathPrefix, int status, int times, String message) {
        faults.add(new Fault(methodAndPathPrefix, status, message, new int[] {times}));
    }

    /** Every write the fake received, as "METHOD url". */
    List<String> writes() {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> !r.getMethod().getName().equals("GET"))
                .filter(r -> !r.getUrl().equals("/api/auth"))
                .map(r -> r.getMethod().getName() + " " + r.getUrl()).sorted().toList();
    }

    /** How many deploys Portainer started for this stack with a file containing {@code text}. */
    long deploysOf(int stackId, String text) {
        return deploys.stream().filter(d -> d.startsWith(stackId + ": ") && d.contains(text)).count();
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
        stacks.values().forEach(this::finishTimedDeploy);
        if (method.equals("GET") && (path.equals("/api/system/status") || path.equals("/api/status"))
                && !versionHidden) {
            return json(200, Json.mapper().createObjectNode().put("Version", generation.version)
                    .put("InstanceID", "fake-instance"));
        }
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
                return error(fault.status(), fault.message(), "fault for " + fault.prefix());
            }
        }
        if (method.equals("GET") && path.equals("/api/endpoints")) {
            ArrayNode list = Json.mapper().createArrayNode();
            endpoints.forEach((id, name) -> list.addObject().put("Id", id).put("Name", name).put("Type", 1));
            return json(200, list);
        }
        if (method.equals("GET") && path.equals("/api/stacks")) {
            ArrayNode list = Json.mapper().createArrayNode();
            stacks.values().forEach(s -> list.add(stackJson(s, generation == Generation.SYNCHRONOUS)));
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
        tick(stack);
        String sub = m.group(2) == null ? "" : m.group(2);
        return switch (method + " " + sub) {
            case "GET " -> json(200, stackJson(stack, true));
            case "GET /file" -> json(200, Json.mapper().createObjectNode().put("StackFileContent", stack.file));
            case "PUT " -> update(stack, request);
            case "PUT /git/redeploy" -> gitRedeploy(stack, request);
            default -> error(405, "Method not allowed", method + " " + path);
        };
    }

    /** stack_update.go stackUpdate (2.23) / updateStackInTx (newest). */
    private ResponseDefinition update(FakeStack stack, LoggedRequest request) {
        QueryParameter endpoint = request.queryParameter("endpointId");
        if (!endpoint.isPresent()) {
            return error(400, "Invalid query parameter: endpointId", "missing mandatory query parameter");
        }
        if (generation == Generation.ASYNCHRONOUS && stack.status == 3) {
            return error(409, "Unable to update stack", "Stack deployment is already in progress");
        }
        int endpointId = Integer.parseInt(endpoint.firstValue());
        if (!endpoints.containsKey(endpointId)) {
            return error(404, "Unable to find the environment associated to the stack inside the database",
                    "Object not found inside the database");
        }
        if (deniedMessage != null) {
            return error(403, deniedMessage, deniedMessage);
        }
        JsonNode body = body(request);
        String content = body.path("StackFileContent").asText("");
        if (content.isEmpty()) {
            return error(400, "Invalid request payload", "Invalid stack file content");
        }
        stack.endpointId = endpointId;
        stack.name = normalised(stack.name);
        stack.gitUrl = null;
        boolean pull = body.path("PullImage").asBoolean(false) || body.path("RepullImageAndRedeploy").asBoolean(false);
        boolean prune = body.path("Prune").asBoolean(false)
                && (stack.type == SWARM || generation == Generation.ASYNCHRONOUS);
        return deploy(stack, content, env(body.path("Env")), pull, prune);
    }

    /** stack_update_git_redeploy.go stackGitRedeploy (2.23 and newest). */
    private ResponseDefinition gitRedeploy(FakeStack stack, LoggedRequest request) {
        if (stack.gitUrl == null) {
            return error(400, "Stack is not created from git", "stack has no git workflow");
        }
        if (generation == Generation.ASYNCHRONOUS && stack.status == 3) {
            return error(409, "Unable to update stack", "Stack deployment is already in progress");
        }
        if (deniedMessage != null) {
            return error(403, deniedMessage, deniedMessage);
        }
        JsonNode body = body(request);
        String reference = body.path("RepositoryReferenceName").asText("");
        if (stack.gitUsername != null) {
            // Only "authenticate with the stored password" (empty password) or the right one clones.
            String password = body.path("RepositoryPassword").asText("");
            boolean authenticated = body.path("RepositoryAuthentication").asBoolean(false)
                    && stack.gitUsername.equals(body.path("RepositoryUsername").asText())
                    && (password.isEmpty() || password.equals(GIT_PASSWORD));
            if (!authenticated) {
                return error(500, "Unable to clone git repository directory",
                        "authentication failed, please ensure that the git credentials are correct");
            }
        }
        stack.gitReference = generation == Generation.ASYNCHRONOUS && reference.isEmpty() ? stack.gitReference
                : reference;
        List<EnvVar> env = body.has("Env") || generation == Generation.SYNCHRONOUS ? env(body.path("Env"))
                : stack.env;
        boolean pull = body.path("PullImage").asBoolean(false) || body.path("RepullImageAndRedeploy").asBoolean(false);
        boolean prune = body.path("Prune").asBoolean(false)
                && (stack.type == SWARM || generation == Generation.ASYNCHRONOUS);
        return deploy(stack, stack.gitRepositoryFile, env, pull, prune);
    }

    /**
     * The deploy itself, both generations. Synchronous: done before answering, the record saved only on success.
     * Asynchronous: file and Env saved, status 3, the outcome decided after {@link #deployPolls} ticks.
     */
    private ResponseDefinition deploy(FakeStack stack, String content, List<EnvVar> env, boolean pull,
                                      boolean prune) {
        if (stack.pending != null) {
            overlappingDeploys++;
        }
        deploys.add(stack.id + ": " + content);
        String previousFile = stack.file;
        String failure = composeUp(content, env);
        int millis = slowDeployMarker != null && content.contains(slowDeployMarker) ? deployMillis : 0;
        stack.file = content;
        Runnable outcome = () -> {
            stack.pending = null;
            if (failure != null) {
                stack.file = previousFile;
                if (generation == Generation.ASYNCHRONOUS) {
                    stack.status = 4;
                    stack.deploymentStatus.add(statusEntry(4, "failed to deploy a stack: " + failure));
                }
                return;
            }
            apply(stack, content, env, pull, prune);
            stack.env = List.copyOf(env);
            stack.status = 1;
            stack.updateDate++;
            if (generation == Generation.ASYNCHRONOUS) {
                stack.deploymentStatus.add(statusEntry(1, null));
            }
        };
        if (generation == Generation.ASYNCHRONOUS) {
            stack.env = List.copyOf(env);
            stack.status = 3;
            stack.updateDate++;
            stack.deploymentStatus.clear();
            stack.deploymentStatus.add(statusEntry(3, null));
            stack.pending = outcome;
            stack.deployingPolls = deployPolls;
            stack.pendingUntilNanos = System.nanoTime() + millis * 1_000_000L;
            if (deployPolls == 0 && millis == 0) {
                outcome.run();
            }
            return json(200, stackJson(stack, true));
        }
        if (millis > 0) {
            // Still deploying when the client may give up: the work ends later, whatever the client does.
            stack.pending = outcome;
            stack.pendingUntilNanos = System.nanoTime() + millis * 1_000_000L;
            ResponseDefinitionBuilder answer = failure == null ? jsonBuilder(200, stackJson(stack, true))
                    : errorBuilder(500, "failed to deploy a stack: " + failure);
            return answer.withFixedDelay(millis).build();
        }
        outcome.run();
        return failure == null ? json(200, stackJson(stack, true)) : errorBuilder(500, "failed to deploy a stack: "
                + failure).build();
    }

    private void tick(FakeStack stack) {
        if (generation != Generation.ASYNCHRONOUS || stack.pending == null) {
            return;
        }
        if (stack.deployingPolls-- > 0 || System.nanoTime() < stack.pendingUntilNanos) {
            return;
        }
        stack.pending.run();
    }

    private void finishTimedDeploy(FakeStack stack) {
        if (generation == Generation.SYNCHRONOUS && stack.pending != null
                && System.nanoTime() >= stack.pendingUntilNanos) {
            stack.pending.run();
        }
    }

    private void apply(FakeStack stack, String content, List<EnvVar> env, boolean pull, boolean prune) {
        if (containersNeverRecreated) {
            return;
        }
        Map<String, String> before = services(stack.runningFile == null ? "services: {}" : stack.runningFile);
        Map<String, String> after = services(content);
        if (prune) {
            stack.orphans.clear();
        } else {
            before.forEach((service, image) -> {
                if (!after.containsKey(service)) {
                    stack.orphans.put(service, interpolate(image, stack.runningEnv));
                }
            });
            after.keySet().forEach(stack.orphans::remove);
        }
        stack.runningFile = content;
        stack.runningEnv = List.copyOf(env);
        stack.resolveImages = pull;
    }

    /** What compose says when a deploy of this file fails, or null when it works. */
    private static String composeUp(String content, List<EnvVar> env) {
        if (content.contains("portainer-cannot-deploy")) {
            return "compose up failed: invalid configuration";
        }
        for (Map.Entry<String, String> service : services(content).entrySet()) {
            String image = interpolate(service.getValue(), env);
            if (image.contains("cannot-pull")) {
                // compose's stderr, as composeplugin.go (2.23) passes it on
                return service.getKey() + " Error manifest for " + image + " not found: manifest unknown:"
                        + " manifest unknown";
            }
        }
        return null;
    }

    /** stack_create.go + create_compose_stack.go createComposeStackFromFileContent. */
    private ResponseDefinition create(LoggedRequest request) {
        QueryParameter endpoint = request.queryParameter("endpointId");
        if (!endpoint.isPresent()) {
            return error(400, "Invalid query parameter: endpointId", "missing mandatory query parameter");
        }
        int endpointId = Integer.parseInt(endpoint.firstValue());
        if (!endpoints.containsKey(endpointId)) {
            return error(404, "Unable to find an environment with the specified identifier inside the database",
                    "Object not found inside the database");
        }
        JsonNode body = body(request);
        String name = normalised(body.path("Name").asText());
        if (stacks.values().stream().anyMatch(s -> s.endpointId == endpointId && s.name.equals(name))) {
            String message = "A stack with the normalized name '" + name + "' already exists";
            return error(409, message, message);
        }
        String content = body.path("StackFileContent").asText();
        List<EnvVar> env = env(body.path("Env"));
        int id = stacks.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        if (generation == Generation.SYNCHRONOUS) {
            deploys.add(id + ": " + content);
            String failure = composeUp(content, env);
            if (failure != null) {
                return errorBuilder(500, "failed to deploy a stack: " + failure).build();
            }
            FakeStack stack = addStack(id, name, endpointId, content, env);
            return json(200, stackJson(stack, true));
        }
        FakeStack stack = addStack(id, name, endpointId, content, List.of());
        stack.runningFile = null;
        stack.orphans.clear();
        return deploy(stack, content, env, true, true);
    }

    private ResponseDefinition containers(int endpointId, LoggedRequest request) {
        String filters = request.queryParameter("filters").isPresent()
                ? request.queryParameter("filters").firstValue() : "{}";
        String label = body(filters).path("label").path(0).asText();
        ArrayNode list = Json.mapper().createArrayNode();
        for (FakeStack stack : stacks.values()) {
            String wanted = (stack.type == SWARM ? "com.docker.stack.namespace=" : "com.docker.compose.project=")
                    + stack.name;
            if (stack.endpointId != endpointId || !wanted.equals(label) || stack.runningFile == null) {
                continue;
            }
            Map<String, String> images = new LinkedHashMap<>(stack.orphans);
            services(stack.runningFile).forEach((service, image) -> images.put(service,
                    interpolate(image, stack.runningEnv)));
            images.forEach((service, resolved) -> list.add(container(stack, service, resolved)));
        }
        return json(200, list);
    }

    private ObjectNode container(FakeStack stack, String service, String resolved) {
        boolean broken = resolved.contains("${");
        ObjectNode c = Json.mapper().createObjectNode();
        boolean swarm = stack.type == SWARM;
        c.put("Id", stack.name + "-" + service);
        c.putArray("Names").add(swarm ? "/" + stack.name + "_" + service + ".1.x7task" + stack.id
                : "/" + stack.name + "-" + service + "-1");
        c.put("Image", swarm && stack.resolveImages && !broken && !resolved.contains("@")
                ? resolved + "@sha256:" + digest(resolved) : resolved);
        // "flaky" crash-loops: every other look at it finds it restarting.
        boolean restarting = resolved.contains("flaky") && flakyLooks++ % 2 == 1;
        c.put("State", broken ? "exited" : restarting ? "restarting" : "running");
        c.put("Status", broken ? "Exited (1) 2 seconds ago"
                : resolved.contains("sick") ? "Up 9 seconds (unhealthy)" : "Up 9 seconds (healthy)");
        ObjectNode labels = c.putObject("Labels");
        if (swarm) {
            labels.put("com.docker.stack.namespace", stack.name)
                    .put("com.docker.swarm.service.name", stack.name + "_" + service);
        } else {
            labels.put("com.docker.compose.project", stack.name).put("com.docker.compose.service", service);
        }
        return c;
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

    static String normalised(String name) {
        return NOT_KEPT_IN_NAMES.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("");
    }

    static String digest(String image) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(image.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String interpolate(String image, List<EnvVar> env) {
        String out = image;
        for (EnvVar v : env) {
            out = out.replace("${" + v.name() + "}", v.value());
        }
        return out;
    }

    private static ObjectNode statusEntry(int status, String message) {
        ObjectNode entry = Json.mapper().createObjectNode().put("Status", status).put("Time", (long) 1_700_000_000);
        if (message != null) {
            entry.put("Message", message);
        }
        return entry;
    }

    /** @param withGit false for the newest generation's list, which leaves GitConfig out */
    private ObjectNode stackJson(FakeStack s, boolean withGit) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("Id", s.id).put("Name", s.name).put("Type", s.type).put("EndpointId", s.endpointId)
                .put("Status", s.status).put("EntryPoint", "docker-compose.yml").put("UpdateDate", s.updateDate);
        ArrayNode env = node.putArray("Env");
        s.env.forEach(v -> env.addObject().put("name", v.name()).put("value", v.value()));
        if (s.gitUrl != null && withGit) {
            ObjectNode git = node.putObject("GitConfig").put("URL", s.gitUrl).put("ReferenceName", s.gitReference)
                    .put("ConfigFilePath", "docker-compose.yml").put("ConfigHash", "4c1b2a");
            if (s.gitUsername != null) {
                // The password is blanked in every answer (stackUpdate, stackInspect: "sanitize password").
                git.putObject("Authentication").put("Username", s.gitUsername).put("Password", "")
                        .put("GitCredentialID", 0);
            } else {
                git.putNull("Authentication");
            }
        } else {
            node.putNull("GitConfig");
        }
        if (generation == Generation.ASYNCHRONOUS) {
            ArrayNode history = node.putArray("DeploymentStatus");
            s.deploymentStatus.forEach(history::add);
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

    /** httperror.InternalServerError(err.Error(), err): message and details are the same text. */
    private static ResponseDefinitionBuilder errorBuilder(int status, String message) {
        return jsonBuilder(status, Json.mapper().createObjectNode().put("message", message).put("details", message));
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
