package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack as Portainer describes it. {@code status}: 1 active, 2 inactive, 3 deploying and 4 error (the last two
 * only from the asynchronous generation). {@code type}: 1 swarm, 2 compose.
 *
 * @param updateDate       when the record last changed (Unix seconds); 2.19 to 2.39 set it only after a deploy
 *                         that worked
 * @param deploymentError  the message of the last {@code DeploymentStatus} entry when that entry is an error
 */
public record Stack(int id, String name, int type, int endpointId, int status, List<EnvVar> env, Git git,
                    long updateDate, String deploymentError) {
    public static final int SWARM = 1;
    public static final int STATUS_DEPLOYING = 3;
    public static final int STATUS_ERROR = 4;

    /**
     * A git-based stack: Portainer deploys the repository's file, so deployflow cannot send a file (a file PUT
     * would detach the stack from git).
     *
     * @param username the stored git username when the stack authenticates to its repository, else null
     */
    public record Git(String url, String referenceName, String configFilePath, String username) {
    }

    static Stack from(JsonNode node) {
        List<EnvVar> env = new ArrayList<>();
        for (JsonNode pair : node.path("Env")) {
            env.add(new EnvVar(pair.path("name").asText(), pair.path("value").asText()));
        }
        JsonNode g = node.path("GitConfig");
        JsonNode auth = g.path("Authentication");
        Git git = g.isObject() && !g.path("URL").asText().isEmpty()
                ? new Git(g.path("URL").asText(), g.path("ReferenceName").asText(""),
                g.path("ConfigFilePath").asText(""), auth.isObject() ? auth.path("Username").asText("") : null)
                : null;
        String error = null;
        JsonNode history = node.path("DeploymentStatus");
        if (history.isArray() && !history.isEmpty()) {
            JsonNode lastEntry = history.get(history.size() - 1);
            if (lastEntry.path("Status").asInt() == STATUS_ERROR) {
                error = lastEntry.path("Message").asText("");
            }
        }
        return new Stack(node.path("Id").asInt(), node.path("Name").asText(), node.path("Type").asInt(2),
                node.path("EndpointId").asInt(), node.path("Status").asInt(1), List.copyOf(env), git,
                node.path("UpdateDate").asLong(0), error);
    }

    public boolean swarm() {
        return type == SWARM;
    }

    public boolean deploying() {
        return status == STATUS_DEPLOYING;
    }

    /** The label Docker puts on the stack's containers. */
    public String projectLabel() {
        return (swarm() ? "com.docker.stack.namespace=" : "com.docker.compose.project=") + name;
    }
}
