package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Pattern;

/** A container as the Docker API lists it, reached through Portainer's proxy for the endpoint. */
public record Container(String name, String service, String image, String state, String status, String health) {
    static Container from(JsonNode node) {
        JsonNode labels = node.path("Labels");
        // Swarm names a task's service "<stack>_<service>"; compose labels the bare service name.
        String namespace = labels.path("com.docker.stack.namespace").asText("");
        String service = labels.path("com.docker.compose.service").asText(labels
                .path("com.docker.swarm.service.name").asText("").replaceFirst("^" + Pattern.quote(namespace) + "_",
                        ""));
        String name = node.path("Names").path(0).asText(node.path("Id").asText()).replaceFirst("^/", "");
        // Engines before API 1.52 report health only inside the Status text, e.g. "Up 5 minutes (healthy)".
        String health = node.path("Health").path("Status").asText("");
        if (health.isEmpty()) {
            String text = node.path("Status").asText("");
            health = text.contains("(unhealthy)") ? "unhealthy" : text.contains("(healthy)") ? "healthy"
                    : text.contains("health: starting") ? "starting" : "none";
        }
        return new Container(name, service, node.path("Image").asText(), node.path("State").asText(),
                node.path("Status").asText(), health);
    }

    public boolean ready() {
        return state.equals("running") && (health.equals("healthy") || health.equals("none"))
                || state.equals("exited") && status.startsWith("Exited (0)");
    }

    public boolean unhealthy() {
        return health.equals("unhealthy");
    }

    @Override
    public String toString() {
        return name + " (" + image + "): " + state + (health.equals("none") ? "" : ", " + health);
    }
}
