package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.TrafficSplit;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.testpeers.KubernetesPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static io.deployflow.bluegreen.kubernetes.ClusterFixture.NEW_IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API server fails in the middle of a shift (5xx on the write that moves the traffic, for longer than the
 * client's retries): the target reports the outside system failing, leaves the router object whole, and the abort
 * that follows, in a new process, puts all traffic back on the old colour.
 */
class ApiFaultTest {
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
    @EnumSource(value = RouterKind.class, names = {"GATEWAY_API", "INGRESS_NGINX", "ISTIO"})
    void theWeightWriteFailsAndTheAbortPutsEverythingBack(RouterKind kind) {
        cluster.seed(kind);
        String plural = switch (kind) {
            case GATEWAY_API -> "/httproutes/";
            case INGRESS_NGINX -> "/ingresses/";
            default -> "/virtualservices/";
        };
        try (KubernetesTarget target = cluster.target(kind)) {
            target.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            cluster.settle(Colour.GREEN);
            target.setTraffic(TrafficSplit.of(Colour.GREEN, 10));

            // the test client makes 3 attempts per call: all three fail
            peer.fail(r -> r.method().equals("PATCH") && r.path().contains(plural), 3, 503);
            OutsideSystemException e = assertThrows(OutsideSystemException.class,
                    () -> target.setTraffic(TrafficSplit.of(Colour.GREEN, 50)));
            assertTrue(e.getMessage().contains("503"), e.getMessage());
            assertEquals(3, peer.faultsServed(), "the client retried the 5xx");
            assertEquals(TrafficSplit.of(Colour.GREEN, 10), target.readTraffic(), "the failed write changed nothing");
        }
        try (KubernetesTarget abort = cluster.target(kind)) {
            assertEquals(TrafficSplit.allOn(Colour.BLUE), abort.setTraffic(TrafficSplit.allOn(Colour.BLUE)));
            abort.scaleColour(Colour.GREEN, 0);
            assertEquals(TrafficSplit.allOn(Colour.BLUE), abort.readTraffic());
        }
    }

    @Test
    void aShiftCutOffBetweenItsWritesLeavesAConsistentRouterThatAbortRestores() {
        cluster.seed(RouterKind.REPLICAS);
        try (KubernetesTarget target = cluster.target(RouterKind.REPLICAS)) {
            target.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            cluster.settle(Colour.GREEN);
            // the shift scales green down to its share, then opens the selector: the second write never lands
            peer.fail(r -> r.method().equals("PATCH") && r.path().endsWith("/services/hms"), 3, 500);
            assertThrows(OutsideSystemException.class, () -> target.setTraffic(TrafficSplit.of(Colour.GREEN, 10)));
            assertEquals(1, cluster.deployment(Colour.GREEN).getSpec().getReplicas(), "the first write landed");
        }
        try (KubernetesTarget next = cluster.target(RouterKind.REPLICAS)) {
            assertEquals(TrafficSplit.allOn(Colour.BLUE), next.readTraffic(), "the selector still names blue");
            assertEquals(TrafficSplit.allOn(Colour.BLUE), next.setTraffic(TrafficSplit.allOn(Colour.BLUE)));
            next.scaleColour(Colour.GREEN, 0);
            assertEquals(0, cluster.deployment(Colour.GREEN).getSpec().getReplicas());
            assertEquals("blue", cluster.selected("hms"));
        }
    }

    @Test
    void anUnreachableApiServerIsTheOutsideSystemFailing() {
        cluster.seed(RouterKind.SERVICE);
        try (KubernetesTarget target = cluster.target(RouterKind.SERVICE)) {
            target.readTraffic();
            peer.close();
            OutsideSystemException e = assertThrows(OutsideSystemException.class, target::readTraffic);
            assertTrue(e.system().startsWith("Kubernetes API http"), e.system());
        }
    }
}
