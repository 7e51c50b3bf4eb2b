package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import io.deployflow.core.Progress;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Portainer HTTP API, only the calls a deploy needs. Every failure names the call and Portainer's own message
 * ({@code {"message": ..., "details": ...}}).
 * <p>
 * Retries follow what a failure means. A read is retried on 5xx, a refused or dropped connection and a timeout.
 * A write is retried only when it cannot have reached Portainer (connection refused, connect timeout, 503 from a
 * proxy with no Portainer behind it): on Portainer 2.19 to 2.39 a write that deploys runs compose inside the
 * request, so its 500 is the deploy's own failure and a repeat after a timeout would start a second deploy beside
 * the first. What to do then is the deployer's decision ({@link DeploySender}).
 * <p>
 * 401 and 403 are bad input (exit 2): retrying cannot fix them, the fix is in the job's credentials or in the
 * user's rights in Portainer, and the error names the config line of the credentials.
 */
public final class PortainerClient {
    /** A Portainer environment: a Docker host or swarm that stacks run on. */
    public record Endpoint(int id, String name) {
    }

    private final String api;
    private final Credentials credentials;
    private final Timings timings;
    private final HttpClient http;
    private String jwt;
    private PortainerGeneration generation;
    private String version;

    public PortainerClient(String url, Credentials credentials, Timings timings) {
        this.api = url.replaceAll("/+$", "") + "/api";
        this.credentials = credentials;
        this.timings = timings;
        this.http = HttpClient.newBuilder().connectTimeout(timings.readTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * Which generation this Portainer is, asked once per run: {@code GET /api/system/status} (public since 2.18;
     * api/http/handler/system/status.go, systemStatus), else the older {@code GET /api/status}.
     */
    public PortainerGeneration generation() {
        if (generation == null) {
            version = readVersion();
            generation = PortainerGeneration.of(version);
            Progress.line("Portainer " + (version == null ? "(version not readable)" : version) + ": "
                    + generation.label() + " generation, " + generation.behaviour());
            if (PortainerGeneration.olderThanSupported(version)) {
                Progress.line("Portainer " + version + " is older than " + PortainerGeneration.OLDEST_SUPPORTED
                        + ", the oldest version deployflow is tested against; handled as the synchronous generation");
            }
        }
        return generation;
    }

    /** The version {@link #generation()} read, or null when Portainer did not say. */
    public String version() {
        generation();
        return version;
    }

    private String readVersion() {
        for (String path : List.of("/system/status", "/status")) {
            try {
                String text = read(path).path("Version").asText("");
                if (!text.isBlank()) {
                    return text;
                }
            } catch (PortainerCallException e) {
                if (e.status() == 0 || e.status() / 100 == 5) {
                    throw e;
                }
            } catch (BadInputException e) {
                // a proxy that guards the status route; the version stays unknown and the deploy goes on
            }
        }
        return null;
    }

    public List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (JsonNode node : read("/endpoints")) {
            out.add(new Endpoint(node.path("Id").asInt(), node.path("Name").asText()));
        }
        return out;
    }

    public List<Stack> stacks() {
        List<Stack> out = new ArrayList<>();
        for (JsonNode node : read("/stacks")) {
            out.add(Stack.from(node));
        }
        return out;
    }

    /**
     * One stack, read on its own: the newest Portainer keeps git settings in a separate record and fills
     * {@code GitConfig} only here, not in the list, so git or file is decided on this answer.
     */
    public Stack stack(int id) {
        return Stack.from(read("/stacks/" + id));
    }

    public String stackFile(int id) {
        return read("/stacks/" + id + "/file").path("StackFileContent").asText();
    }

    /**
     * Replaces the stack's file and all its variables, and deploys. {@code PullImage} is the name before
     * Portainer 2.36, {@code RepullImageAndRedeploy} after; Portainer ignores the one it does not know.
     */
    public Stack update(Stack stack, int endpointId, String file, List<EnvVar> env, boolean prune, boolean pull) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("StackFileContent", file);
        body.set("Env", envJson(env));
        body.put("Prune", prune);
        body.put("PullImage", pull);
        body.put("RepullImageAndRedeploy", pull);
        return Stack.from(write("PUT", "/stacks/" + stack.id() + "?endpointId=" + endpointId, body));
    }

    /**
     * Pulls the stack's repository again and redeploys it with these variables. The reference is sent explicitly
     * (2.19 to 2.39 store whatever comes, an empty one included), and stored git credentials are kept by asking
     * for authentication with the stored username and an empty password, which Portainer replaces with the
     * stored one (stack_update_git_redeploy.go, stackGitRedeploy).
     */
    public Stack gitRedeploy(Stack stack, int endpointId, String referenceName, List<EnvVar> env, boolean prune,
                             boolean pull) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("RepositoryReferenceName", referenceName);
        if (stack.git() != null && stack.git().username() != null) {
            body.put("RepositoryAuthentication", true);
            body.put("RepositoryUsername", stack.git().username());
            body.put("RepositoryPassword", "");
        }
        body.set("Env", envJson(env));
        body.put("Prune", prune);
        body.put("PullImage", pull);
        body.put("RepullImageAndRedeploy", pull);
        return Stack.from(write("PUT", "/stacks/" + stack.id() + "/git/redeploy?endpointId=" + endpointId, body));
    }

    /** Creates a compose (standalone) stack from text; the route of Portainer 2.19 and later. */
    public Stack createStandalone(int endpointId, String name, String file, List<EnvVar> env) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("Name", name);
        body.put("StackFileContent", file);
        body.set("Env", envJson(env));
        return Stack.from(write("POST", "/stacks/create/standalone/string?endpointId=" + endpointId, body));
    }

    /** The stack's containers, through Portainer's Docker proxy for the endpoint. */
    public List<Container> containers(int endpointId, String label) {
        String filters = "{\"label\":[\"" + label.replace("\"", "\\\"") + "\"]}";
        List<Container> out = new ArrayList<>();
        for (JsonNode node : read("/endpoints/" + endpointId + "/docker/containers/json?all=1&filters="
                + URLEncoder.encode(filters, StandardCharsets.UTF_8))) {
            out.add(Container.from(node));
        }
        return out;
    }

    private static ArrayNode envJson(List<EnvVar> env) {
        ArrayNode array = Json.mapper().createArrayNode();
        env.forEach(v -> array.addObject().put("name", v.name()).put("value", v.value()));
        return array;
    }

    /** A GET, retried on 5xx, connection failures and timeouts, with backoff. */
    private JsonNode read(String path) {
        return call("GET", path, null, true);
    }

    /** A write, repeated only while it cannot have reached Portainer. */
    private JsonNode write(String method, String path, JsonNode body) {
        return call(method, path, body, false);
    }

    private JsonNode call(String method, String path, JsonNode body, boolean idempotent) {
        String call = method + " /api" + path;
        PortainerCallException last = null;
        List<String> attempts = new ArrayList<>();
        for (int attempt = 1; attempt <= timings.attempts(); attempt++) {
            if (attempt > 1) {
                sleep(timings.delayBefore(attempt - 1));
            }
            try {
                return once(method, path, body, call);
            } catch (PortainerCallException e) {
                boolean again = idempotent ? e.status() == 0 || e.status() / 100 == 5 : !e.outcomeUnknown()
                        && (e.status() == 0 || e.status() == 503);
                if (!again) {
                    if (attempts.isEmpty()) {
                        throw e;
                    }
                    attempts.add(e.status() == 0 ? "no answer" : String.valueOf(e.status()));
                    throw PortainerCallException.afterRetries(call, e, attempts);
                }
                last = e;
                attempts.add(e.status() == 0 ? (e.reason().startsWith("no answer") ? "timeout" : "unreachable")
                        : String.valueOf(e.status()));
                Progress.line("Portainer: " + call + " " + (e.status() == 0 ? "failed: " + e.reason()
                        : "answered " + e.status() + " " + e.reason()) + " (attempt " + attempt + "/"
                        + timings.attempts() + ")");
            }
        }
        throw PortainerCallException.afterRetries(call, last, attempts);
    }

    private JsonNode once(String method, String path, JsonNode body, String call) {
        boolean write = !method.equals("GET");
        HttpResponse<String> response;
        try {
            response = http.send(request(method, path, body, write), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new PortainerCallException(call, 0, "unreachable: " + e, false, e);
        } catch (HttpTimeoutException e) {
            Duration limit = write ? timings.writeTimeout() : timings.readTimeout();
            throw new PortainerCallException(call, 0, "no answer within " + limit.toMillis() + "ms", true, e);
        } catch (IOException e) {
            throw new PortainerCallException(call, 0, "connection failed: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortainerCallException(call, 0, "interrupted", true, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return parse(call, response.body());
        }
        String message = portainerMessage(response.body());
        if (status == 401 || status == 422 && path.equals("/auth")) {
            throw credentials.refused(status + " on " + call + ": " + message);
        }
        if (status == 403) {
            throw credentials.denied(call, message);
        }
        throw new PortainerCallException(call, status, message, status != 503, null);
    }

    private HttpRequest request(String method, String path, JsonNode body, boolean write) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(write ? timings.writeTimeout() : timings.readTimeout())
                .header("Accept", "application/json");
        if (!path.equals("/auth")) {
            if (credentials.isApiKey()) {
                builder.header("X-API-Key", credentials.apiKey());
            } else {
                builder.header("Authorization", "Bearer " + jwt());
            }
        }
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.method(method, publisher).build();
    }

    private String jwt() {
        if (jwt == null) {
            ObjectNode login = Json.mapper().createObjectNode();
            login.put("Username", credentials.username());
            login.put("Password", credentials.password());
            // Logging in changes nothing, so it is retried like a read.
            jwt = call("POST", "/auth", login, true).path("jwt").asText();
            if (jwt.isEmpty()) {
                throw new PortainerCallException("POST /api/auth", 200, "answered without a jwt", true, null);
            }
        }
        return jwt;
    }

    private static JsonNode parse(String call, String body) {
        if (body == null || body.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new PortainerCallException(call, 200, "answered with something that is not JSON: "
                    + abbreviate(body), true, e);
        }
    }

    /** Portainer answers errors as {"message": ..., "details": ...}; anything else is shown shortened. */
    private static String portainerMessage(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            String message = node.path("message").asText("");
            String details = node.path("details").asText("");
            if (!message.isEmpty()) {
                return details.isEmpty() || details.equals(message) ? message : message + ": " + details;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: a proxy's HTML page, for instance; shown as text below
        }
        return abbreviate(body);
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
