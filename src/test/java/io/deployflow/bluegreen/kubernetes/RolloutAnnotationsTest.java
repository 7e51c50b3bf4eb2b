package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.LockHolder;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.TrafficSplit;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.testpeers.KubernetesPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.deployflow.bluegreen.kubernetes.ClusterFixture.NEW_IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State and lock in the active Service's annotations, seen from separate processes (separate clients). */
class RolloutAnnotationsTest {
    private KubernetesPeer peer;
    private ClusterFixture cluster;

    @BeforeEach
    void start() {
        peer = KubernetesPeer.start();
        cluster = new ClusterFixture(peer);
        cluster.seed(RouterKind.GATEWAY_API);
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    @Test
    void aSecondRolloutIsRefusedNamingTheOneThatHoldsTheTarget() {
        LockHolder first = holder("hms-41");
        try (KubernetesTarget one = cluster.target(RouterKind.GATEWAY_API);
             KubernetesTarget two = cluster.target(RouterKind.GATEWAY_API)) {
            assertEquals(Optional.empty(), one.acquireLock(first));
            assertEquals(Optional.of(first), two.acquireLock(holder("hms-42")));
            assertEquals(Optional.empty(), two.acquireLock(first), "the same rollout carries on under its lock");

            two.releaseLock("hms-42");
            assertEquals(Optional.of(first), one.readLock(), "another rollout's release leaves the lock alone");
            one.releaseLock("hms-41");
            assertEquals(Optional.empty(), two.readLock());
            assertEquals(Optional.empty(), two.acquireLock(holder("hms-42")));
        }
    }

    @Test
    void aWriterWhoseReadWentStaleDoesNotOverwriteTheLockTakenMeanwhile() {
        LockHolder other = holder("hms-other");
        // between our read of the free lock and our write, another rollout writes its lock on the Service
        peer.beforeNext(r -> r.method().equals("PATCH") && r.path().startsWith("/api/v1/namespaces/hms/services/hms")
                && r.body().contains(Labels.LOCK), () -> peer.writeDirect("PATCH",
                "/api/v1/namespaces/hms/services/hms", "application/merge-patch+json",
                "{\"metadata\":{\"annotations\":{\"deployflow.io/lock\":"
                        + quoted(io.deployflow.bluegreen.RolloutStateJson.write(other)) + "}}}"));
        try (KubernetesTarget target = cluster.target(RouterKind.GATEWAY_API)) {
            assertEquals(Optional.of(other), target.acquireLock(holder("hms-41")));
            assertEquals(Optional.of(other), target.readLock());
        }
    }

    @Test
    void ofRolloutsRacingForAFreeTargetExactlyOneWinsEachTime() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 8; round++) {
                CyclicBarrier start = new CyclicBarrier(3);
                List<Future<Optional<LockHolder>>> results = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    LockHolder me = holder("r" + round + "-" + i);
                    Callable<Optional<LockHolder>> attempt = () -> {
                        try (KubernetesTarget target = cluster.target(RouterKind.GATEWAY_API)) {
                            target.readLock();
                            start.await();
                            return target.acquireLock(me);
                        }
                    };
                    results.add(pool.submit(attempt));
                }
                List<Optional<LockHolder>> outcomes = new ArrayList<>();
                for (Future<Optional<LockHolder>> result : results) {
                    outcomes.add(result.get());
                }
                assertEquals(1, outcomes.stream().filter(Optional::isEmpty).count(), "winners in round " + round
                        + ": " + outcomes);
                try (KubernetesTarget target = cluster.target(RouterKind.GATEWAY_API)) {
                    LockHolder winner = target.readLock().orElseThrow();
                    outcomes.stream().filter(Optional::isPresent)
                            .forEach(o -> assertEquals(winner, o.get(), "losers are told who won"));
                    target.releaseLock(winner.rolloutId());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewProcessContinuesFromWhatTheLastOneLeftInTheCluster() {
        RolloutState state = RolloutState.initial("hms", Colour.BLUE);
        try (KubernetesTarget first = cluster.target(RouterKind.GATEWAY_API)) {
            first.acquireLock(holder("hms-41"));
            first.deployColour(Colour.GREEN, Map.of("web", NEW_IMAGE), 3);
            cluster.settle(Colour.GREEN);
            first.setTraffic(TrafficSplit.of(Colour.GREEN, 50));
            first.writeState(state);
        }
        try (KubernetesTarget next = cluster.target(RouterKind.GATEWAY_API)) {
            assertEquals(Optional.of(state), next.readState());
            assertEquals(Optional.of(holder("hms-41")), next.readLock());
            assertEquals(TrafficSplit.of(Colour.GREEN, 50), next.readTraffic());
            assertTrue(next.readiness(Colour.GREEN, Map.of("web", NEW_IMAGE)).ready());
            assertEquals(TrafficSplit.allOn(Colour.GREEN), next.setTraffic(TrafficSplit.allOn(Colour.GREEN)));
        }
    }

    @Test
    void aStateSomeoneBrokeByHandIsReportedWithWhereItIs() {
        peer.writeDirect("PATCH", "/api/v1/namespaces/hms/services/hms", "application/merge-patch+json",
                "{\"metadata\":{\"annotations\":{\"deployflow.io/rollout\":\"{not json\"}}}");
        try (KubernetesTarget target = cluster.target(RouterKind.GATEWAY_API)) {
            OutsideSystemException e = assertThrows(OutsideSystemException.class, target::readState);
            assertTrue(e.getMessage().contains("deployflow.io/rollout on Service hms/hms"), e.getMessage());
        }
    }

    private static LockHolder holder(String id) {
        return new LockHolder(id, "dev1", "https://jenkins.example.org/job/hms/7/", "2026-12-02T10:00:00Z");
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
