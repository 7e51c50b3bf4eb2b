package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack as Portainer describes it. {@code status}: 1 active, 2 inactive, 3 deploying (Portainer 2.3x deploys in
 * the background after answering the PUT), 4 error. {@code type}: 1 swarm, 2 compose.
 */
public record Stack(int id, String name, int type, int endpointId, int status, List<EnvVar> env, Git git) {
    public static final int SWARM = 1;
    public static final int STATUS_DEPLOYING = 3;
    public static final int STATUS_ERROR = 4;

    /** A git-based stack: Portainer deploys the repository's file, so deployflow cannot send a file. */
    public record Git(String url, String referenceName, String configFilePath, String username) {
    }

    static Stack from(JsonNode node) {
        List<EnvVar> env = new ArrayList<>();
        for (JsonNode pair : node.path("Env")) {
            env.add(new EnvVar(pair.path("name").asText(), pair.path("value").asText()));
        }
        JsonNode g = node.path("GitConfig");
        Git git = g.isObject() && !g.path("URL").asText().isEmpty()
                ? new Git(g.path("URL").asText(), g.path("ReferenceName").asText(""),
                g.path("ConfigFilePath").asText(""), g.path("Authentication").isObject()
                ? g.path("Authentication").path("Username").asText("") : null)
                : null;
        return new Stack(node.path("Id").asInt(), node.path("Name").asText(), node.path("Type").asInt(2),
                node.path("EndpointId").asInt(), node.path("Status").asInt(1), List.copyOf(env), git);
    }

    /** The label Docker puts on the stack's containers. */
    public String projectLabel() {
        return (type == SWARM ? "com.docker.stack.namespace=" : "com.docker.compose.project=") + name;
    }
}
