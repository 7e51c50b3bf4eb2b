package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import io.deployflow.core.Progress;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Portainer HTTP API, only the calls a deploy needs. Every failure names the call and Portainer's own message
 * ({@code {"message": ..., "details": ...}}). 5xx, 409 and timeouts are retried with backoff; a refused credential
 * is bad input (exit 2), because retrying cannot fix it and the fix is in the job's credentials.
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

    public PortainerClient(String url, Credentials credentials, Timings timings) {
        this.api = url.replaceAll("/+$", "") + "/api";
        this.credentials = credentials;
        this.timings = timings;
        this.http = HttpClient.newBuilder().connectTimeout(timings.readTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (JsonNode node : call("GET", "/endpoints", null)) {
            out.add(new Endpoint(node.path("Id").asInt(), node.path("Name").asText()));
        }
        return out;
    }

    public List<Stack> stacks() {
        List<Stack> out = new ArrayList<>();
        for (JsonNode node : call("GET", "/stacks", null)) {
            out.add(Stack.from(node));
        }
        return out;
    }

    public Stack stack(int id) {
        return Stack.from(call("GET", "/stacks/" + id, null));
    }

    public String stackFile(int id) {
        return call("GET", "/stacks/" + id + "/file", null).path("StackFileContent").asText();
    }

    /**
     * Replaces the stack's file and all its variables. {@code PullImage} is the name before Portainer 2.36,
     * {@code RepullImageAndRedeploy} after; Portainer ignores the one it does not know.
     */
    public Stack update(Stack stack, int endpointId, String file, List<EnvVar> env, boolean prune, boolean pull) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("StackFileContent", file);
        body.set("Env", envJson(env));
        body.put("Prune", prune);
        body.put("PullImage", pull);
        body.put("RepullImageAndRedeploy", pull);
        return Stack.from(call("PUT", "/stacks/" + stack.id() + "?endpointId=" + endpointId, body));
    }

    /**
     * Pulls the stack's repository again and redeploys it with these variables. The reference is sent explicitly
     * (older Portainer falls back to refs/heads/master when it is empty), and stored git credentials are kept by
     * asking for authentication with an empty password.
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
        return Stack.from(call("PUT", "/stacks/" + stack.id() + "/git/redeploy?endpointId=" + endpointId, body));
    }

    /** Creates a compose (standalone) stack from text; the route of Portainer 2.19 and later. */
    public Stack createStandalone(int endpointId, String name, String file, List<EnvVar> env) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("Name", name);
        body.put("StackFileContent", file);
        body.set("Env", envJson(env));
        return Stack.from(call("POST", "/stacks/create/standalone/string?endpointId=" + endpointId, body));
    }

    /** The stack's containers, through Portainer's Docker proxy for the endpoint. */
    public List<Container> containers(int endpointId, String label) {
        String filters = "{\"label\":[\"" + label.replace("\"", "\\\"") + "\"]}";
        List<Container> out = new ArrayList<>();
        for (JsonNode node : call("GET", "/endpoints/" + endpointId + "/docker/containers/json?all=1&filters="
                + URLEncoder.encode(filters, StandardCharsets.UTF_8), null)) {
            out.add(Container.from(node));
        }
        return out;
    }

    private static ArrayNode envJson(List<EnvVar> env) {
        ArrayNode array = Json.mapper().createArrayNode();
        env.forEach(v -> array.addObject().put("name", v.name()).put("value", v.value()));
        return array;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        String call = method + " /api" + path;
        boolean write = !method.equals("GET");
        PortainerCallException last = null;
        List<String> attempts = new ArrayList<>();
        for (int attempt = 1; attempt <= timings.attempts(); attempt++) {
            if (attempt > 1) {
                sleep(timings.delayBefore(attempt - 1));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request(method, path, body, write), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                Duration limit = write ? timings.writeTimeout() : timings.readTimeout();
                last = new PortainerCallException(call, 0, "no answer within " + limit.toMillis() + "ms", e);
                attempts.add("timeout");
                Progress.line("Portainer: " + call + " timed out (attempt " + attempt + "/" + timings.attempts()
                        + ")");
                continue;
            } catch (IOException e) {
                last = new PortainerCallException(call, 0, "unreachable: " + e, e);
                attempts.add("unreachable");
                Progress.line("Portainer: " + call + " failed: " + e.getMessage() + " (attempt " + attempt + "/"
                        + timings.attempts() + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PortainerCallException(call, 0, "interrupted", e);
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return parse(call, response.body());
            }
            String message = portainerMessage(response.body());
            if (status == 401 || status == 403 || status == 422 && path.equals("/auth")) {
                throw new BadInputException(null, 0, "portainer", "Portainer refused the credentials from "
                        + credentials.source() + " (" + status + " on " + call + ": " + message + ")");
            }
            last = new PortainerCallException(call, status, status + " " + message, null);
            attempts.add(String.valueOf(status));
            // 409 on a PUT means a deploy is running; on a create it means the name is taken, for good.
            boolean busy = status == 409 && method.equals("PUT");
            if (status / 100 != 5 && !busy && status != 429) {
                throw last;
            }
            Progress.line("Portainer: " + call + " answered " + status + " " + message + " (attempt " + attempt
                    + "/" + timings.attempts() + ")");
        }
        throw new PortainerCallException(call, last.status(), "failed after " + timings.attempts() + " attempts ("
                + String.join(", ", attempts) + "); last: " + last.getMessage().substring(last.system().length() + 2),
                last);
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
            jwt = call("POST", "/auth", login).path("jwt").asText();
            if (jwt.isEmpty()) {
                throw new PortainerCallException("POST /api/auth", 200, "answered without a jwt", null);
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
                    + abbreviate(body), e);
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
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
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
