package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.LockHolder;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.TrafficSplit;
import io.deployflow.config.YamlNode;
import io.deployflow.testpeers.KubernetesPeer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Role in the README is exactly what the CLI uses: every request any router kind sends during a whole rollout
 * (recorded by the API server) is allowed by one of its rules, and every verb it grants is used by some router.
 */
class RbacTest {
    private static final Path PROJECT = Path.of(System.getProperty("deployflow.projectDir", "."));
    private static final Path ROLE = PROJECT.resolve("examples/kubernetes/deployflow-role.yaml");

    @Test
    void everyRequestOfEveryRouterIsAllowedByTheRoleAndTheRoleGrantsNothingUnused() throws IOException {
        Set<String> granted = granted();
        Set<String> used = new TreeSet<>();
        for (RouterKind kind : RouterKind.values()) {
            try (KubernetesPeer peer = KubernetesPeer.start()) {
                ClusterFixture cluster = new ClusterFixture(peer);
                cluster.seed(kind);
                peer.clearRequests();
                rollout(cluster, kind);
                for (KubernetesPeer.Request request : peer.requests()) {
                    if (request.path().endsWith("/status")) {
                        continue; // the test's stand-in for the Deployment controller, not deployflow
                    }
                    String permission = permission(request);
                    assertTrue(granted.contains(permission), kind + ": " + request + " needs " + permission
                            + ", which the Role does not grant: " + granted);
                    used.add(permission);
                }
            }
        }
        assertEquals(granted, used, "the Role grants more than the routers use");
    }

    @Test
    void theReadmeShowsTheRoleFileAsItIs() throws IOException {
        String role = Files.readString(ROLE);
        String rules = role.substring(role.indexOf("rules:"), role.indexOf("---"));
        assertTrue(Files.readString(PROJECT.resolve("README.md")).contains(rules),
                "README.md does not contain the rules of " + ROLE);
    }

    /** Everything a rollout does to the cluster, and the abort and rollback ways back. */
    private static void rollout(ClusterFixture cluster, RouterKind kind) {
        try (KubernetesTarget target = cluster.target(kind)) {
            target.checkTopology();
            LockHolder holder = new LockHolder("hms-7", "dev1", "", "2026-12-02T10:00:00Z");
            target.acquireLock(holder);
            target.writeState(RolloutState.initial("hms", Colour.BLUE));
            target.readState();
            target.deployColour(Colour.GREEN, Map.of("web", ClusterFixture.NEW_IMAGE), 3);
            cluster.settle(Colour.GREEN);
            target.readiness(Colour.GREEN, Map.of("web", ClusterFixture.NEW_IMAGE));
            target.previewUrl(Colour.GREEN);
            target.activeUrl();
            if (kind.weighted()) {
                target.setTraffic(TrafficSplit.of(Colour.GREEN, 10));
                target.setTraffic(TrafficSplit.of(Colour.GREEN, 60));
            }
            target.setTraffic(TrafficSplit.allOn(Colour.GREEN));
            target.scaleColour(Colour.BLUE, 1);
            target.setTraffic(TrafficSplit.allOn(Colour.BLUE));
            target.scaleColour(Colour.GREEN, 0);
            target.readTraffic();
            target.releaseLock("hms-7");
        }
    }

    /** "group/resource:verb" for one request, as the API server's authorizer sees it. */
    static String permission(KubernetesPeer.Request request) {
        String path = request.path().replaceFirst("\\?.*", "");
        String[] parts = path.substring(1).split("/");
        // /api/v1/namespaces/NS/RESOURCE[/NAME]  or  /apis/GROUP/VERSION/namespaces/NS/RESOURCE[/NAME]
        int at = parts[0].equals("api") ? 2 : 3;
        String group = parts[0].equals("api") ? "" : parts[1];
        assertEquals("namespaces", parts[at], "a request outside the namespace: " + request);
        String resource = parts[at + 2];
        boolean named = parts.length > at + 3;
        String verb = switch (request.method()) {
            case "GET" -> named ? "get" : request.path().contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PATCH" -> "patch";
            case "PUT" -> "update";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> request.method();
        };
        return group + "/" + resource + ":" + verb;
    }

    private static Set<String> granted() throws IOException {
        String text = Files.readString(ROLE);
        YamlNode role = YamlNode.parse(ROLE.toString(), text.substring(0, text.indexOf("\n---")));
        Set<String> out = new TreeSet<>();
        for (YamlNode rule : role.require("rules").items()) {
            for (String group : rule.strings("apiGroups")) {
                for (String resource : rule.strings("resources")) {
                    for (String verb : rule.strings("verbs")) {
                        out.add(group + "/" + resource + ":" + verb);
                    }
                }
            }
        }
        return out;
    }
}
