package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.TrafficSplit;
import io.deployflow.testpeers.KubernetesPeer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static io.deployflow.bluegreen.kubernetes.ClusterFixture.NEW_IMAGE;
import static io.deployflow.bluegreen.kubernetes.ClusterFixture.OLD_IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each router kind through the target operations a rollout uses, in the order the phases use them, against the
 * mock API server in CRUD mode; after every step the router object itself is read to see the traffic really is
 * where the target says.
 */
class KubernetesTargetTest {
    private KubernetesPeer peer;
    private ClusterFixture cluster;

    @BeforeEach
    void start() {
        peer = KubernetesPeer.start();
        cluster = new ClusterFixture(peer);
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    @ParameterizedTest
    @EnumSource(RouterKind.class)
    void deployShiftPromoteRollbackCleanup(RouterKind kind) {
        cluster.seed(kind);
        try (KubernetesTarget target = cluster.target(kind)) {
            assertEquals(List.of(), target.checkTopology());
            assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());

            target.deployColour(Colour.GREEN, Map.of(RolloutTarget.ANY_SERVICE, NEW_IMAGE), 3);
            Deployment green = cluster.deployment(Colour.GREEN);
            assertEquals(NEW_IMAGE, green.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertEquals("green", green.getSpec().getSelector().getMatchLabels().get(Labels.COLOUR));
            assertEquals("green", green.getSpec().getTemplate().getMetadata().getLabels().get(Labels.COLOUR));
            assertEquals(3, green.getSpec().getReplicas());
            assertEquals("green", cluster.selected("hms-preview"), "the preview Service reaches the new colour");
            assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic(), "deploy moves no traffic");
            ColourReadiness before = target.readiness(Colour.GREEN, Map.of(RolloutTarget.ANY_SERVICE, NEW_IMAGE));
            assertFalse(before.ready(), before.summary());

            cluster.settle(Colour.GREEN);
            ColourReadiness after = target.readiness(Colour.GREEN, Map.of(RolloutTarget.ANY_SERVICE, NEW_IMAGE));
            assertTrue(after.ready(), after.summary());
            assertEquals(Map.of("web", NEW_IMAGE), after.images());

            if (kind.weighted()) {
                for (int weight : new int[] {10, 50}) {
                    TrafficSplit applied = target.setTraffic(TrafficSplit.of(Colour.GREEN, weight));
                    assertEquals(applied, target.readTraffic());
                    int expected = kind == RouterKind.REPLICAS ? (weight == 10 ? 25 : 50) : weight;
                    assertEquals(expected, applied.green(), "weight on green after asking for " + weight);
                    assertRouterObject(kind, expected);
                }
            } else {
                assertThrows(IllegalArgumentException.class,
                        () -> target.setTraffic(TrafficSplit.of(Colour.GREEN, 10)));
                assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
            }

            // promote: everything on green, which becomes the active colour; blue kept at scaleDownReplicas
            assertEquals(TrafficSplit.allOn(Colour.GREEN), target.setTraffic(TrafficSplit.allOn(Colour.GREEN)));
            assertEquals("green", cluster.selected("hms"));
            assertRouterObject(kind, 0);
            target.scaleColour(Colour.BLUE, 1);
            assertEquals(1, cluster.deployment(Colour.BLUE).getSpec().getReplicas());
            assertEquals(TrafficSplit.allOn(Colour.GREEN), target.readTraffic());

            // rollback: back to the kept blue while it still runs
            assertEquals(TrafficSplit.allOn(Colour.BLUE), target.setTraffic(TrafficSplit.allOn(Colour.BLUE)));
            assertEquals("blue", cluster.selected("hms"));
            assertRouterObject(kind, 0);
            target.scaleColour(Colour.GREEN, 0);
            assertEquals(0, cluster.deployment(Colour.GREEN).getSpec().getReplicas());
            assertEquals(List.of(Colour.BLUE, Colour.BLUE, Colour.BLUE), target.probeActive(3));
        }
    }

    @ParameterizedTest
    @EnumSource(value = RouterKind.class, names = {"GATEWAY_API", "INGRESS_NGINX", "ISTIO", "REPLICAS"})
    void abortInTheMiddleOfTheStepsPutsEverythingBackOnTheOldColour(RouterKind kind) {
        cluster.seed(kind);
        try (KubernetesTarget target = cluster.target(kind)) {
            target.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            cluster.settle(Colour.GREEN);
            target.setTraffic(TrafficSplit.of(Colour.GREEN, 10));
            target.setTraffic(TrafficSplit.of(Colour.GREEN, 50));

            assertEquals(TrafficSplit.allOn(Colour.BLUE), target.setTraffic(TrafficSplit.allOn(Colour.BLUE)));
            target.scaleColour(Colour.GREEN, 0);
            assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
            assertEquals("blue", cluster.selected("hms"));
            assertRouterObject(kind, 0);
            assertEquals(0, cluster.deployment(Colour.GREEN).getSpec().getReplicas());
            assertEquals(3, cluster.deployment(Colour.BLUE).getSpec().getReplicas());
        }
    }

    @Test
    void replicaRatioAbortPastHalfScalesTheOldColourBackBeforeItTakesEverything() {
        cluster.seed(RouterKind.REPLICAS);
        try (KubernetesTarget target = cluster.target(RouterKind.REPLICAS)) {
            target.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            cluster.settle(Colour.GREEN);
            TrafficSplit applied = target.setTraffic(TrafficSplit.of(Colour.GREEN, 90));
            assertEquals(new TrafficSplit(25, 75), applied, "one blue pod beside three green ones");
            assertEquals(1, cluster.deployment(Colour.BLUE).getSpec().getReplicas());
            assertNull(cluster.selected("hms"), "the active Service selects both colours during the shift");

            assertEquals(TrafficSplit.allOn(Colour.BLUE), target.setTraffic(TrafficSplit.allOn(Colour.BLUE)));
            assertEquals(3, cluster.deployment(Colour.BLUE).getSpec().getReplicas());
            assertEquals("blue", cluster.selected("hms"));
        }
    }

    @Test
    void aSecondDeployOfTheSameImagesWritesNothing() {
        cluster.seed(RouterKind.GATEWAY_API);
        try (KubernetesTarget target = cluster.target(RouterKind.GATEWAY_API)) {
            target.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            peer.clearRequests();
            target.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            assertEquals(List.of(), writes(), "the second deploy changed something");
        }
    }

    @Test
    void anExistingColourIsPatchedInPlaceKeepingEverythingElse() {
        cluster.seed(RouterKind.SERVICE);
        try (KubernetesTarget target = cluster.target(RouterKind.SERVICE)) {
            target.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            String uid = cluster.deployment(Colour.GREEN).getMetadata().getUid();
            target.deployColour(Colour.GREEN, Map.of("web", "registry.example.org/acme/hms:2.1"), 2);
            Deployment green = cluster.deployment(Colour.GREEN);
            assertEquals(uid, green.getMetadata().getUid(), "patched, not re-created");
            assertEquals("registry.example.org/acme/hms:2.1",
                    green.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertEquals(8080, green.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0)
                    .getContainerPort());
            assertEquals(2, green.getSpec().getReplicas());
            assertEquals(OLD_IMAGE, cluster.deployment(Colour.BLUE).getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getImage(), "the live colour is untouched");
        }
    }

    @Test
    void readinessNeedsTheCurrentGenerationAndTheExpectedImageAndDropsInACrashLoop() {
        cluster.seed(RouterKind.SERVICE);
        try (KubernetesTarget target = cluster.target(RouterKind.SERVICE)) {
            Map<String, String> expected = Map.of("web", NEW_IMAGE);
            target.deployColour(Colour.GREEN, expected, 3);
            cluster.settle(Colour.GREEN);
            assertTrue(target.readiness(Colour.GREEN, expected).ready());

            // a new image: the spec's generation moves on and the controller has not caught up yet
            target.deployColour(Colour.GREEN, Map.of("web", "registry.example.org/acme/hms:2.1"), 3);
            ColourReadiness stale = target.readiness(Colour.GREEN,
                    Map.of("web", "registry.example.org/acme/hms:2.1"));
            assertFalse(stale.ready(), stale.summary());
            assertTrue(stale.summary().contains("has not seen generation"), stale.summary());

            cluster.settle(Colour.GREEN);
            ColourReadiness wrongImage = target.readiness(Colour.GREEN, expected);
            assertFalse(wrongImage.ready(), "ready with an image that is not the expected one");
            assertEquals(0, wrongImage.readyReplicas());

            cluster.crash(Colour.GREEN);
            ColourReadiness crashing = target.readiness(Colour.GREEN,
                    Map.of("web", "registry.example.org/acme/hms:2.1"));
            assertFalse(crashing.ready(), crashing.summary());
            assertEquals(0, crashing.readyReplicas());
        }
    }

    @Test
    void ingressNginxCanaryIsCreatedFromTheMainIngressForTheActiveServicesPathsOnly() {
        cluster.seed(RouterKind.INGRESS_NGINX);
        try (KubernetesTarget target = cluster.target(RouterKind.INGRESS_NGINX)) {
            target.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            target.setTraffic(TrafficSplit.of(Colour.GREEN, 10));
            GenericKubernetesResource canary = cluster.get(ObjectKind.INGRESS, "hms-canary");
            assertEquals("true", canary.getMetadata().getAnnotations().get(NginxCanaryWeights.CANARY));
            assertEquals("nginx", canary.get("spec", "ingressClassName"));
            List<Map<String, Object>> paths = canary.get("spec", "rules", 0, "http", "paths");
            assertEquals(1, paths.size(), "only the path that reaches the active Service: " + paths);
            assertEquals("hms-preview", canary.get("spec", "rules", 0, "http", "paths", 0, "backend", "service",
                    "name"));
            assertEquals("hms.example.org", canary.get("spec", "rules", 0, "host"));
            GenericKubernetesResource main = cluster.get(ObjectKind.INGRESS, "hms");
            assertFalse(main.getMetadata().getAnnotations().containsKey(NginxCanaryWeights.CANARY),
                    "the team's own Ingress is not touched");
        }
    }

    /** The router object says {@code previewPercent} goes to the preview Service (0 for kinds without one). */
    private void assertRouterObject(RouterKind kind, int previewPercent) {
        switch (kind) {
            case GATEWAY_API -> {
                GenericKubernetesResource route = cluster.get(ObjectKind.HTTP_ROUTE, "hms");
                assertEquals(100 - previewPercent, ((Number) route.get("spec", "rules", 0, "backendRefs", 0,
                        "weight")).intValue());
                assertEquals(previewPercent, ((Number) route.get("spec", "rules", 0, "backendRefs", 1, "weight"))
                        .intValue());
                assertEquals(2, ((List<?>) route.get("spec", "rules", 0, "backendRefs")).size());
            }
            case INGRESS_NGINX -> {
                GenericKubernetesResource canary = cluster.get(ObjectKind.INGRESS, "hms-canary");
                assertEquals(Integer.toString(previewPercent),
                        canary.getMetadata().getAnnotations().get(NginxCanaryWeights.WEIGHT));
            }
            case ISTIO -> {
                GenericKubernetesResource service = cluster.get(ObjectKind.VIRTUAL_SERVICE, "hms");
                assertEquals(100 - previewPercent, ((Number) service.get("spec", "http", 0, "route", 0, "weight"))
                        .intValue());
                assertEquals(previewPercent, ((Number) service.get("spec", "http", 0, "route", 1, "weight"))
                        .intValue());
            }
            case REPLICAS -> {
                if (previewPercent > 0) {
                    assertNull(cluster.selected("hms"), "both colours behind the active Service");
                }
            }
            case SERVICE -> {
            }
        }
    }

    private List<KubernetesPeer.Request> writes() {
        return peer.requests().stream().filter(r -> !r.method().equals("GET")).toList();
    }
}
