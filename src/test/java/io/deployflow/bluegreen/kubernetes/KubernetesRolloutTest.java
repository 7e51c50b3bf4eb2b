package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Actor;
import io.deployflow.bluegreen.AnalysisRecord;
import io.deployflow.bluegreen.BlueGreenSection;
import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.PhaseResult;
import io.deployflow.bluegreen.RolloutEngine;
import io.deployflow.bluegreen.RolloutPhase;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.RouterTypes;
import io.deployflow.bluegreen.StepAnalysis;
import io.deployflow.bluegreen.TargetSettings;
import io.deployflow.bluegreen.TrafficSplit;
import io.deployflow.bluegreen.analysis.Sleeper;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.testpeers.KubernetesPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.deployflow.bluegreen.kubernetes.ClusterFixture.NEW_IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blue/green phases of the engine on each Kubernetes router, every phase as its own "process": a new target
 * (a new fabric8 client from a kubeconfig, through the router type's provider) and a new engine, so everything a
 * phase knows comes from the annotations and objects the previous one left in the cluster. The test plays the
 * Deployment controller while the engine waits: each wait lets the controller write the colour's status.
 */
class KubernetesRolloutTest {
    @TempDir
    Path dir;
    private KubernetesPeer peer;
    private ClusterFixture cluster;
    private Map<String, String> environment;
    /** What the "controller" does at each readiness wait of the engine. */
    private Runnable controller;
    private StepAnalysis analysis;
    /** Time moves only when the engine waits, so a readiness timeout comes after its polls, not in real time. */
    private final Instant[] now = {Instant.parse("2026-12-02T10:00:00Z")};
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now[0];
        }
    };

    @BeforeEach
    void start() {
        peer = KubernetesPeer.start();
        cluster = new ClusterFixture(peer);
        environment = Map.of("KUBECONFIG", peer.writeKubeconfig(dir).toString());
        controller = () -> cluster.settle(Colour.GREEN);
        analysis = null;
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    @ParameterizedTest
    @EnumSource(RouterKind.class)
    void deployShiftsPromotesAndCleansUpWithStatusAtEachPhase(RouterKind kind) {
        cluster.seed(kind);
        assertEquals(ExitCode.OK, phase(kind, e -> deploy(e, "hms-7")).exitCode());
        assertEquals(RolloutPhase.DEPLOYED, state(kind).rollout().phase());
        assertEquals("green", cluster.selected("hms-preview"));

        List<Integer> steps = kind.weighted() ? List.of(10, 50, 100) : List.of(100);
        for (int step : steps) {
            PhaseResult shifted = phase(kind, e -> e.shift(null, "hms-7"));
            assertEquals(ExitCode.OK, shifted.exitCode(), shifted.message());
            PhaseResult status = phase(kind, RolloutEngine::status);
            int expected = kind == RouterKind.REPLICAS && step == 10 ? 25 : step;
            assertEquals(expected, status.traffic().weightOf(Colour.GREEN), status.message());
        }
        RolloutState promoted = state(kind);
        assertEquals(RolloutPhase.PROMOTED, promoted.rollout().phase());
        assertEquals(Colour.GREEN, promoted.active());
        assertEquals("green", cluster.selected("hms"));
        assertEquals(1, cluster.deployment(Colour.BLUE).getSpec().getReplicas(), "S2 keeps the old colour at 1");

        PhaseResult cleanup = phase(kind, e -> e.cleanup(true, "hms-7"));
        assertEquals(ExitCode.OK, cleanup.exitCode(), cleanup.message());
        assertEquals(0, cluster.deployment(Colour.BLUE).getSpec().getReplicas());
        assertEquals(RolloutPhase.COMPLETED, state(kind).rollout().phase());
        assertTrue(lockFree(kind), "cleanup ends the rollout and frees the target");
        assertEquals("completed", cleanup.deployment().status());
    }

    @ParameterizedTest
    @EnumSource(value = RouterKind.class, names = {"GATEWAY_API", "INGRESS_NGINX", "ISTIO", "REPLICAS"})
    void abortOnDemandInTheMiddleOfTheStepsIsVerifiedAndRecorded(RouterKind kind) {
        cluster.seed(kind);
        phase(kind, e -> deploy(e, "hms-7"));
        phase(kind, e -> e.shift(null, "hms-7"));
        phase(kind, e -> e.shift(null, "hms-7"));
        PhaseResult aborted = phase(kind, e -> e.abort("pharmacy orders time out", "hms-7"));
        assertEquals(ExitCode.OK, aborted.exitCode(), aborted.message());
        assertAllBackOnBlue(kind, "pharmacy orders time out");
    }

    @ParameterizedTest
    @EnumSource(RouterKind.class)
    void rollbackAfterPromotionSwitchesBackToTheKeptColour(RouterKind kind) {
        cluster.seed(kind);
        controller = () -> {
            cluster.settle(Colour.GREEN);
            cluster.settle(Colour.BLUE);
        };
        phase(kind, e -> deploy(e, "hms-7"));
        PhaseResult promoted = phase(kind, e -> e.promote("hms-7"));
        assertEquals(ExitCode.OK, promoted.exitCode(), promoted.message());
        assertEquals("green", cluster.selected("hms"));
        PhaseResult rolledBack = phase(kind, e -> e.rollback("discharge letters print empty", "hms-7"));
        assertEquals(ExitCode.OK, rolledBack.exitCode(), rolledBack.message());
        assertEquals(RolloutPhase.ROLLED_BACK, state(kind).rollout().phase());
        assertEquals("blue", cluster.selected("hms"));
        assertEquals(3, cluster.deployment(Colour.BLUE).getSpec().getReplicas());
        assertEquals(0, cluster.deployment(Colour.GREEN).getSpec().getReplicas());
        assertTrue(state(kind).rollout().reason().contains("discharge letters print empty"));
    }

    @ParameterizedTest
    @EnumSource(value = RouterKind.class, names = {"GATEWAY_API", "INGRESS_NGINX", "ISTIO", "REPLICAS"})
    void theApiFailingInTheMiddleOfAShiftEndsWithAllTrafficOnTheOldColourAndTheReason(RouterKind kind) {
        cluster.seed(kind);
        phase(kind, e -> deploy(e, "hms-7"));
        phase(kind, e -> e.shift(null, "hms-7"));
        String path = switch (kind) {
            case GATEWAY_API -> "/httproutes/hms";
            case INGRESS_NGINX -> "/ingresses/hms-canary";
            case ISTIO -> "/virtualservices/hms";
            default -> "/deployments/hms-green";
        };
        // more 503s than the client retries (3 attempts per call in the kubeconfig client: 1 + RETRIES = 4)
        peer.fail(r -> r.method().equals("PATCH") && r.path().endsWith(path), KubernetesClients.RETRIES + 1, 503);
        PhaseResult shifted = phase(kind, e -> e.shift(null, "hms-7"));
        assertEquals(ExitCode.CHECK_FAILED, shifted.exitCode(), shifted.message());
        assertEquals("aborted", shifted.outcome());
        assertAllBackOnBlue(kind, "shifting to 50 % failed");
        assertTrue(state(kind).rollout().reason().contains("503"), state(kind).rollout().reason());
    }

    @Test
    void aCrashLoopNeverCountsAsReadyAndTheRolloutIsAbortedAutomatically() {
        cluster.seed(RouterKind.GATEWAY_API);
        boolean[] up = {false};
        controller = () -> {
            up[0] = !up[0];
            if (up[0]) {
                cluster.settle(Colour.GREEN);
            } else {
                cluster.crash(Colour.GREEN);
            }
        };
        PhaseResult deployed = phase(RouterKind.GATEWAY_API, e -> deploy(e, "hms-7"));
        assertEquals(ExitCode.CHECK_FAILED, deployed.exitCode(), deployed.message());
        assertAllBackOnBlue(RouterKind.GATEWAY_API, "never got ready");
    }

    @Test
    void aProcessKilledInTheMiddleOfAShiftLeavesAStatusToContinueOrAbortFrom() {
        cluster.seed(RouterKind.GATEWAY_API);
        phase(RouterKind.GATEWAY_API, e -> deploy(e, "hms-7"));
        // the JVM dies after the router moved to 10 % and before the step's analysis finished
        analysis = new StepAnalysis() {
            @Override
            public void checkQueries(Map<String, String> values) {
            }

            @Override
            public AnalysisRecord run(int weight, Map<String, String> values) {
                throw new Killed();
            }
        };
        assertThrows(Killed.class, () -> phase(RouterKind.GATEWAY_API, e -> e.shift(null, "hms-7")));
        analysis = null;

        PhaseResult status = phase(RouterKind.GATEWAY_API, RolloutEngine::status);
        assertEquals(RolloutPhase.SHIFTING, status.state().rollout().phase(), status.message());
        assertEquals(10, status.state().rollout().targetWeight());
        assertEquals(TrafficSplit.of(Colour.GREEN, 10), status.traffic());

        PhaseResult continued = phase(RouterKind.GATEWAY_API, e -> e.shift(null, "hms-7"));
        assertEquals(ExitCode.OK, continued.exitCode(), continued.message());
        PhaseResult aborted = phase(RouterKind.GATEWAY_API, e -> e.abort("stopped after a restart", "hms-7"));
        assertEquals(ExitCode.OK, aborted.exitCode(), aborted.message());
        assertAllBackOnBlue(RouterKind.GATEWAY_API, "stopped after a restart");
    }

    @Test
    void aSecondRolloutIsRefusedNamingTheRunningOne() {
        cluster.seed(RouterKind.ISTIO);
        phase(RouterKind.ISTIO, e -> deploy(e, "hms-7"));
        BadInputException e = assertThrows(BadInputException.class, () -> phase(RouterKind.ISTIO,
                engine -> deploy(engine, "hms-8")));
        assertTrue(e.getMessage().contains("hms-7"), e.getMessage());
    }

    @Test
    void anUnknownServiceStopsTheDeployAtItsConfigLineWithNothingChanged() {
        cluster.seed(RouterKind.GATEWAY_API);
        peer.clearRequests();
        String config = ClusterFixture.config(RouterKind.GATEWAY_API).replace("previewService: hms-preview",
                "previewService: hms-previwe");
        BadInputException e = assertThrows(BadInputException.class, () -> phase(config, RouterKind.GATEWAY_API,
                engine -> deploy(engine, "hms-7")));
        assertEquals("deployflow.yaml", e.file());
        assertEquals(5, e.line(), e.getMessage());
        assertEquals("blueGreen.targets[0].previewService", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("Service 'hms-previwe' does not exist"), e.getMessage());
        assertEquals(List.of(), deployflowWrites());
    }

    @Test
    void anUnknownDeploymentStopsTheDeployAtItsConfigLineWithNothingChanged() {
        cluster.seed(RouterKind.REPLICAS);
        peer.clearRequests();
        String config = ClusterFixture.config(RouterKind.REPLICAS).replace("deployment: hms", "deployment: hsm");
        BadInputException e = assertThrows(BadInputException.class, () -> phase(config, RouterKind.REPLICAS,
                engine -> deploy(engine, "hms-7")));
        assertEquals(11, e.line(), e.getMessage());
        assertEquals("blueGreen.targets[0].router.deployment", e.field(), e.getMessage());
        assertEquals(List.of(), deployflowWrites());
    }

    /** Writes other than the status the test's stand-in controller writes. */
    private List<KubernetesPeer.Request> deployflowWrites() {
        return peer.requests().stream().filter(r -> !r.method().equals("GET") && !r.path().endsWith("/status"))
                .toList();
    }

    private void assertAllBackOnBlue(RouterKind kind, String reason) {
        RolloutState state = state(kind);
        assertEquals(RolloutPhase.ABORTED, state.rollout().phase());
        assertTrue(state.rollout().reason().contains(reason), state.rollout().reason());
        assertEquals(Colour.BLUE, state.active());
        try (RolloutTarget target = open(kind)) {
            assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
        }
        assertEquals("blue", cluster.selected("hms"));
        assertEquals(0, cluster.deployment(Colour.GREEN).getSpec().getReplicas());
        assertTrue(lockFree(kind), "a verified abort frees the target");
    }

    private PhaseResult deploy(RolloutEngine engine, String id) {
        return engine.deploy(new RolloutEngine.DeployRequest(Map.of(RolloutTarget.ANY_SERVICE, NEW_IMAGE), "2.0",
                id, null));
    }

    private PhaseResult phase(RouterKind kind, java.util.function.Function<RolloutEngine, PhaseResult> call) {
        return phase(config(kind), kind, call);
    }

    /** One CLI call: config read, target opened through its provider with a new client, one phase, closed. */
    private PhaseResult phase(String config, RouterKind kind,
                              java.util.function.Function<RolloutEngine, PhaseResult> call) {
        TargetSettings settings = settings(config);
        Sleeper sleeper = duration -> {
            now[0] = now[0].plus(duration);
            controller.run();
        };
        try (RolloutTarget target = RouterTypes.provider(kind.configName()).open(
                settings.routerContext(environment))) {
            RolloutEngine engine = new RolloutEngine(target, settings, null, analysis, new Actor("dev1",
                    "https://jenkins.example.org/job/hms/7/"), clock, sleeper);
            return call.apply(engine);
        } finally {
            // minutes pass between two CLI calls of a rollout: the controller has caught up with every change
            for (Colour colour : Colour.values()) {
                if (cluster.deployment(colour) != null) {
                    cluster.settle(colour);
                }
            }
        }
    }

    private static String config(RouterKind kind) {
        String config = ClusterFixture.config(kind);
        return kind.weighted() ? config : config.replace("      replicas: 3", "      replicas: 3\n      steps: [100]");
    }

    private TargetSettings settings(String config) {
        YamlNode root = YamlNode.parse("deployflow.yaml", config);
        return BlueGreenSection.from(root.require("blueGreen"), dir).targets().get(0);
    }

    private RolloutTarget open(RouterKind kind) {
        return RouterTypes.provider(kind.configName()).open(settings(config(kind)).routerContext(environment));
    }

    private RolloutState state(RouterKind kind) {
        try (RolloutTarget target = open(kind)) {
            return target.readState().orElseThrow();
        }
    }

    private boolean lockFree(RouterKind kind) {
        try (RolloutTarget target = open(kind)) {
            return target.readLock().isEmpty();
        }
    }

    /** A JVM that stops here: nothing after this line of the phase runs. */
    private static final class Killed extends Error {
    }
}
