package io.deployflow.bluegreen;

import io.deployflow.bluegreen.analysis.ConfigPlace;
import io.deployflow.bluegreen.analysis.Sleeper;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.OutsideSystemException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The phase rules, against the in-memory target: order, idempotency, locking, automatic abort, verification. */
class RolloutEngineTest {
    private static final String CONFIG = """
            blueGreen:
              targets:
                - name: portal
                  activeService: portal-active
                  steps: [10, 50, 100]
                  router:
                    type: memory
                    backend: be
            """;
    private static final Map<String, String> OLD = Map.of("web", "acme/web:1.2.0");
    private static final Map<String, String> NEW = Map.of("web", "acme/web:1.3.0");

    private final MutableClock clock = new MutableClock();
    private final List<Duration> slept = new ArrayList<>();
    private final Sleeper sleeper = d -> {
        slept.add(d);
        clock.advance(d);
    };
    private InMemoryRolloutTarget target = new InMemoryRolloutTarget(Colour.BLUE, OLD, true);
    private final List<Integer> analysedAt = new ArrayList<>();
    private StepAnalysis analysis = passingAnalysis();
    private PreviewCheck preview = null;
    private boolean autoPromotion = true;
    private int scaleDownDelay = 600;
    /** What the engines told as outcomes (the CLI files them in the ledger). */
    private final List<RolloutOutcome> told = new ArrayList<>();

    private StepAnalysis passingAnalysis() {
        return new StepAnalysis() {
            @Override
            public void checkQueries(Map<String, String> values) {
            }

            @Override
            public AnalysisRecord run(int weight, Map<String, String> values) {
                analysedAt.add(weight);
                assertEquals("green", values.get("colour"));
                return new AnalysisRecord("step", weight, true, "3/3 successful", clock.instant().toString(),
                        List.of());
            }
        };
    }

    private StepAnalysis failingAt(int failWeight) {
        return new StepAnalysis() {
            @Override
            public void checkQueries(Map<String, String> values) {
            }

            @Override
            public AnalysisRecord run(int weight, Map<String, String> values) {
                analysedAt.add(weight);
                boolean pass = weight != failWeight;
                return new AnalysisRecord("step", weight, pass, pass ? "ok" : "error-rate: 2 failed measurement(s),"
                        + " more than failureLimit 1", clock.instant().toString(), List.of());
            }
        };
    }

    private TargetSettings settings() {
        YamlNode root = YamlNode.parse("deployflow.yaml", CONFIG);
        YamlNode node = root.get("blueGreen").list("targets").get(0);
        return new TargetSettings("portal", "portal-active", null, autoPromotion, scaleDownDelay, 1, 2,
                List.of(10, 50, 100), ConfigPlace.of(node.require("steps")), Duration.ofSeconds(30),
                Duration.ofSeconds(2), null, null, 5, "memory", node.require("router"), Path.of("."), node);
    }

    private RolloutEngine engine() {
        return new RolloutEngine(target, settings(), preview, analysis, new Actor("dev1", "http://ci/job/7/"), clock,
                sleeper).onOutcome(told::add);
    }

    private PhaseResult deploy(String id) {
        return engine().deploy(new RolloutEngine.DeployRequest(NEW, "1.3.0", id, null));
    }

    @Test
    void fullRolloutGoesTenFiftyHundredPromotesAndCleansUp() {
        assertEquals(ExitCode.OK, deploy("r1").exitCode());
        assertEquals(RolloutPhase.DEPLOYED, target.readState().orElseThrow().rollout().phase());
        assertEquals(2, target.replicas(Colour.GREEN));
        assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());

        assertEquals(ExitCode.OK, engine().analyze("r1").exitCode());
        PhaseResult ten = engine().shift(null, "r1");
        assertEquals(ExitCode.OK, ten.exitCode(), ten.message());
        assertEquals(new TrafficSplit(90, 10), target.readTraffic());
        assertEquals(RolloutPhase.SHIFTED, target.readState().orElseThrow().rollout().phase());
        engine().shift(null, "r1");
        assertEquals(new TrafficSplit(50, 50), target.readTraffic());
        PhaseResult hundred = engine().shift(null, "r1");

        assertEquals(List.of(10, 50, 100), analysedAt);
        RolloutState promoted = target.readState().orElseThrow();
        assertEquals(RolloutPhase.PROMOTED, promoted.rollout().phase(), hundred.message());
        assertEquals(Colour.GREEN, promoted.active());
        assertEquals(1, target.replicas(Colour.BLUE), "the old colour keeps scaleDownReplicas");
        assertTrue(target.readLock().isPresent(), "the rollout holds the target until cleanup");

        PhaseResult cleanup = engine().cleanup(false, "r1");
        assertEquals(ExitCode.OK, cleanup.exitCode());
        assertEquals(List.of(Duration.ofSeconds(600)), slept.subList(slept.size() - 1, slept.size()),
                "cleanup waits scaleDownDelaySeconds");
        assertEquals(0, target.replicas(Colour.BLUE));
        RolloutState done = target.readState().orElseThrow();
        assertEquals(RolloutPhase.COMPLETED, done.rollout().phase());
        assertFalse(target.readLock().isPresent());
        assertEquals("completed", cleanup.deployment().status());
        assertEquals("green", cleanup.deployment().colour());
        assertEquals("1.3.0", cleanup.deployment().version());
        List<String> actions = done.history().stream().map(h -> h.action() + ":" + h.outcome()).toList();
        assertEquals(List.of("deploy:started", "deploy:ok", "analyze:ok", "shift:started", "shift:ok",
                "shift:started", "shift:ok", "shift:started", "shift:ok", "promote:ok", "cleanup:ok"), actions);
        assertTrue(done.history().stream().allMatch(h -> h.by().equals("dev1") && h.build().equals("http://ci/job/7/")));
    }

    @Test
    void everyPhaseRunTwiceIsANoOpTheSecondTime() {
        deploy("r1");
        int commands = target.commands().size();
        assertEquals("no-op", deploy("r1").outcome());
        assertEquals(commands, target.commands().size(), "a second deploy changes nothing");

        engine().analyze("r1");
        assertEquals("no-op", engine().analyze("r1").outcome());
        engine().shift(10, "r1");
        commands = target.commands().size();
        assertEquals("no-op", engine().shift(10, "r1").outcome());
        assertEquals(commands, target.commands().size());
        assertEquals(List.of(10), analysedAt, "no second analysis");

        autoPromotion = false;
        engine().shift(100, "r1");
        assertEquals(RolloutPhase.SHIFTED, target.readState().orElseThrow().rollout().phase(),
                "without autoPromotionEnabled the rollout waits at 100 % for promote");
        assertEquals("no-op", engine().shift(null, "r1").outcome());
        assertEquals("ok", engine().promote("r1").outcome());
        assertEquals("no-op", engine().promote("r1").outcome());
        engine().cleanup(true, "r1");
        assertEquals("no-op", engine().cleanup(true, "r1").outcome());
        assertEquals("no-op", engine().promote("r1").outcome(), "a completed rollout is promoted already");
        assertEquals("no-op", engine().shift(100, "r1").outcome());
        assertEquals("no-op", engine().abort("late", null).outcome());
    }

    @Test
    void promoteAndCleanupAfterAnAutoPromotedAndCleanedRolloutAreNoOpsThatSaySo() {
        scaleDownDelay = 0;
        deploy("r1");
        engine().analyze("r1");
        engine().shift(10, "r1");
        engine().shift(50, "r1");
        PhaseResult last = engine().shift(100, "r1");
        assertEquals("completed", last.deployment().status(), "the shift to 100 % promoted and cleaned up");
        assertEquals(0, target.replicas(Colour.BLUE));
        int commands = target.commands().size();
        int history = target.readState().orElseThrow().history().size();
        slept.clear();

        PhaseResult promote = engine().promote("r1");
        assertEquals(ExitCode.OK, promote.exitCode());
        assertEquals("no-op", promote.outcome());
        assertTrue(promote.message().contains("already completed"), promote.message());
        PhaseResult cleanup = engine().cleanup(false, "r1");
        assertEquals(ExitCode.OK, cleanup.exitCode());
        assertEquals("no-op", cleanup.outcome());
        assertTrue(cleanup.message().contains("nothing to clean up"), cleanup.message());
        assertEquals(commands, target.commands().size(), "nothing sent to the target");
        assertEquals(history, target.readState().orElseThrow().history().size(), "no-ops are not recorded as work");
        assertTrue(slept.isEmpty(), "no scaleDownDelaySeconds wait for a finished rollout");
        assertEquals(List.of("promoted"), told.stream().map(RolloutOutcome::status).toList(),
                "one outcome, told by the shift that promoted; the no-ops tell nothing");
        assertEquals("shift", told.get(0).phase());
        assertEquals("1.3.0", told.get(0).rollout().version());
        assertEquals(Colour.GREEN, told.get(0).rollout().to());

        BadInputException other = assertThrows(BadInputException.class, () -> engine().promote("r9"));
        assertTrue(other.getMessage().contains("no rollout in progress"), "another id is not this rollout: "
                + other.getMessage());
    }

    @Test
    void aSecondRolloutIsRefusedNamingTheRunningOne() {
        deploy("r1");
        int commands = target.commands().size();
        BadInputException refused = assertThrows(BadInputException.class, () -> deploy("r2"));
        assertTrue(refused.getMessage().contains("held by rollout 'r1'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("dev1"), refused.getMessage());
        assertEquals(commands, target.commands().size(), "nothing changed");
        BadInputException shift = assertThrows(BadInputException.class, () -> engine().shift(10, "r2"));
        assertTrue(shift.getMessage().contains("'r1'"), shift.getMessage());
    }

    @Test
    void aLockHeldWithoutStateAlsoRefusesAndAbortFreesIt() {
        target.acquireLock(new LockHolder("crashed", "dev2", "", "2026-01-01T00:00:00Z"));
        BadInputException refused = assertThrows(BadInputException.class, () -> deploy("r2"));
        assertTrue(refused.getMessage().contains("rollout 'crashed' started by dev2"), refused.getMessage());
        assertEquals("ok", engine().abort(null, "crashed").outcome());
        assertFalse(target.readLock().isPresent());
        assertEquals(ExitCode.OK, deploy("r2").exitCode());
    }

    @Test
    void aColourThatNeverGetsReadyIsAbortedAndTheRecordSaysWhy() {
        target.neverReady(Colour.GREEN);
        PhaseResult result = deploy("r1");

        assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
        assertEquals("aborted", result.outcome());
        assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
        assertEquals(0, target.replicas(Colour.GREEN));
        Rollout rollout = target.readState().orElseThrow().rollout();
        assertEquals(RolloutPhase.ABORTED, rollout.phase());
        assertTrue(rollout.reason().contains("never got ready within 30 s"), rollout.reason());
        assertTrue(rollout.reason().contains("health check failing"), rollout.reason());
        assertFalse(target.readLock().isPresent());
        assertEquals("aborted", result.deployment().status());
        assertEquals(rollout.reason(), result.deployment().reason());
    }

    @Test
    void readyOnceIsNotReadyTwoLooksInARowAreNeeded() {
        target.pollsUntilReady = 14; // ready from the 15th look on; the timeout allows 16 looks (30 s / 2 s + 1)
        assertEquals(ExitCode.OK, deploy("r1").exitCode());
        target = new InMemoryRolloutTarget(Colour.BLUE, OLD, true);
        target.pollsUntilReady = 15; // ready only at the 16th and last look: once is not enough
        PhaseResult result = deploy("r2");
        assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
        assertTrue(result.state().rollout().reason().contains("two looks in a row are required"),
                result.state().rollout().reason());
    }

    @Test
    void aFailedAnalysisPutsTrafficBackBeforeScalingDownAndVerifies() {
        analysis = failingAt(50);
        deploy("r1");
        engine().analyze("r1");
        engine().shift(null, "r1");
        PhaseResult result = engine().shift(null, "r1");

        assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
        assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
        List<String> commands = target.commands();
        int back = commands.lastIndexOf("set-traffic " + TrafficSplit.allOn(Colour.BLUE));
        int scaled = commands.lastIndexOf("scale green 0");
        assertTrue(back >= 0 && scaled > back, "traffic back first, then scale down: " + commands);
        Rollout rollout = target.readState().orElseThrow().rollout();
        assertEquals(RolloutPhase.ABORTED, rollout.phase());
        assertTrue(rollout.reason().startsWith("analysis at 50 % failed: error-rate"), rollout.reason());
        assertFalse(rollout.lastAnalysis().passed());
        assertTrue(result.verification().stream().anyMatch(l -> l.equals("5 of 5 requests through "
                + "http://active.invalid/ served by blue")), result.verification().toString());
        assertEquals(1, told.size(), told.toString());
        RolloutOutcome outcome = told.get(0);
        assertEquals("aborted", outcome.status());
        assertEquals("shift", outcome.phase());
        assertTrue(outcome.reason().startsWith("analysis at 50 % failed: error-rate"), outcome.reason());
        assertEquals(result.verification(), outcome.verification());
        assertTrue(outcome.verified());
    }

    @Test
    void aRouterThatRefusesTheShiftAbortsTheRollout() {
        target.refuse(command -> command.equals("set-traffic " + new TrafficSplit(50, 50)));
        deploy("r1");
        engine().analyze("r1");
        engine().shift(10, "r1");
        PhaseResult result = engine().shift(50, "r1");

        assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
        assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
        assertTrue(result.state().rollout().reason().contains("Permission denied"), result.message());
        assertEquals(RolloutPhase.ABORTED, result.state().rollout().phase());
    }

    @Test
    void anAbortThatCannotBeVerifiedKeepsTheLockAndSaysSo() {
        deploy("r1");
        engine().analyze("r1");
        engine().shift(10, "r1");
        target.refuse(command -> command.startsWith("set-traffic"));
        PhaseResult result = engine().abort("pager alert", "r1");

        assertEquals(ExitCode.OUTSIDE_SYSTEM_FAILED, result.exitCode());
        assertEquals(new TrafficSplit(90, 10), target.readTraffic());
        assertEquals(2, target.replicas(Colour.GREEN), "never scale down a colour that still has traffic");
        Rollout rollout = target.readState().orElseThrow().rollout();
        assertEquals(RolloutPhase.SHIFTED, rollout.phase(), "not finished");
        assertTrue(rollout.reason().contains("pager alert; abort NOT verified"), rollout.reason());
        assertTrue(target.readLock().isPresent());
        assertEquals(List.of("abort-not-verified"), told.stream().map(RolloutOutcome::status).toList());
        assertFalse(told.get(0).verified());
        assertEquals("pager alert", told.get(0).reason());

        target.refuse(command -> false);
        PhaseResult again = engine().abort("pager alert", "r1");
        assertEquals(ExitCode.OK, again.exitCode());
        assertEquals(RolloutPhase.ABORTED, target.readState().orElseThrow().rollout().phase());
        assertEquals("pager alert", target.readState().orElseThrow().rollout().reason());
        assertEquals(List.of("abort-not-verified", "aborted"), told.stream().map(RolloutOutcome::status).toList());
    }

    @Test
    void rollbackSwitchesBackToTheKeptColourUntilCleanup() {
        deploy("r1");
        engine().analyze("r1");
        engine().shift(100, "r1");
        assertEquals(RolloutPhase.PROMOTED, target.readState().orElseThrow().rollout().phase());
        assertThrows(BadInputException.class, () -> engine().abort("x", "r1"), "promoted: abort is refused");

        PhaseResult result = engine().rollback("NPE in admissions", "r1");
        assertEquals(ExitCode.OK, result.exitCode(), result.message());
        assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
        assertEquals(2, target.replicas(Colour.BLUE), "the old colour is back at full size");
        assertEquals(0, target.replicas(Colour.GREEN));
        RolloutState state = target.readState().orElseThrow();
        assertEquals(Colour.BLUE, state.active());
        assertEquals("rolled-back", result.deployment().status());
        assertEquals("NPE in admissions", result.deployment().reason());
        assertEquals("no-op", engine().rollback("again", "r1").outcome());
        assertEquals(List.of("promoted", "rolled-back"), told.stream().map(RolloutOutcome::status).toList());
        assertEquals("rollback", told.get(1).phase());
        assertEquals("NPE in admissions", told.get(1).reason());

        deploy("r2");
        engine().analyze("r2");
        engine().shift(100, "r2");
        engine().cleanup(true, "r2");
        PhaseResult late = engine().rollback("too late", "r2");
        assertEquals(ExitCode.CHECK_FAILED, late.exitCode());
        assertTrue(late.message().contains("scaled down at cleanup"), late.message());
    }

    @Test
    void aShiftKilledHalfWayIsSeenByStatusAndCanBeContinuedOrAborted() {
        deploy("r1");
        engine().analyze("r1");
        engine().shift(10, "r1");
        analysis = new StepAnalysis() {
            @Override
            public void checkQueries(Map<String, String> values) {
            }

            @Override
            public AnalysisRecord run(int weight, Map<String, String> values) {
                throw new KilledMidShift();
            }
        };
        assertThrows(KilledMidShift.class, () -> engine().shift(50, "r1"));

        PhaseResult status = engine().status();
        assertTrue(status.message().contains("shifting to 50 % unfinished"), status.message());
        assertEquals(new TrafficSplit(50, 50), status.traffic());
        assertEquals(RolloutPhase.SHIFTING, status.state().rollout().phase());
        assertEquals(2, status.readiness().size());

        BadInputException promote = assertThrows(BadInputException.class, () -> engine().promote("r1"));
        assertTrue(promote.getMessage().contains("did not finish"), promote.getMessage());

        analysis = passingAnalysis();
        PhaseResult resumed = engine().shift(null, "r1");
        assertEquals(ExitCode.OK, resumed.exitCode());
        assertEquals(List.of(10, 50), analysedAt);
        assertEquals(RolloutPhase.SHIFTED, target.readState().orElseThrow().rollout().phase());
        assertNull(target.readState().orElseThrow().rollout().targetWeight());
    }

    @Test
    void badWeightsAreRefusedAndChangeNothing() {
        deploy("r1");
        engine().analyze("r1");
        engine().shift(50, "r1");
        int commands = target.commands().size();
        String state = target.storedStateJson();

        BadInputException over = assertThrows(BadInputException.class, () -> engine().shift(120, "r1"));
        assertEquals("--weight", over.field());
        assertTrue(over.getMessage().contains("from 1 to 100, not 120"), over.getMessage());
        BadInputException back = assertThrows(BadInputException.class, () -> engine().shift(10, "r1"));
        assertTrue(back.getMessage().contains("steps must increase: 10 % comes after 50 %"), back.getMessage());

        assertEquals(commands, target.commands().size());
        assertEquals(state, target.storedStateJson());
    }

    @Test
    void aSwitchOnlyRouterRefusesPartialSteps() {
        target = new InMemoryRolloutTarget(Colour.BLUE, OLD, false);
        BadInputException refused = assertThrows(BadInputException.class, () -> deploy("r1"));
        assertEquals("deployflow.yaml", refused.file());
        assertEquals(5, refused.line());
        assertTrue(refused.getMessage().contains("use steps: [100]"), refused.getMessage());
        assertTrue(target.commands().isEmpty());
    }

    @Test
    void anUnknownBackendNamesItsConfigLine() {
        target.missing(List.of(new TopologyProblem("router.backend", "HAProxy has no backend 'be'")));
        BadInputException refused = assertThrows(BadInputException.class, () -> deploy("r1"));
        assertEquals(8, refused.line());
        assertEquals("blueGreen.targets[0].router.backend", refused.field());
        assertTrue(target.commands().isEmpty());
        assertTrue(target.readState().isEmpty());
    }

    @Test
    void prometheusUnreachableBeforeAShiftAbortsInsteadOfShifting() {
        deploy("r1");
        engine().analyze("r1");
        engine().shift(10, "r1");
        analysis = new StepAnalysis() {
            @Override
            public void checkQueries(Map<String, String> values) {
                throw new OutsideSystemException("Prometheus http://127.0.0.1:1", "unreachable: Connection refused");
            }

            @Override
            public AnalysisRecord run(int weight, Map<String, String> values) {
                throw new AssertionError("must not measure");
            }
        };
        PhaseResult result = engine().shift(50, "r1");
        assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
        assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
        assertTrue(result.state().rollout().reason().contains("Prometheus http://127.0.0.1:1: unreachable"),
                result.state().rollout().reason());
        assertFalse(target.commands().contains("set-traffic " + new TrafficSplit(50, 50)));
    }

    @Test
    void aFailedPreviewSmokeAbortsBeforeAnyTraffic() {
        preview = url -> new PreviewCheck.Outcome(new AnalysisRecord("preview", 0, false,
                "1 of 3 routes failed: patient-search", clock.instant().toString(), List.of("patient-search: 500")),
                Map.of("passed", false));
        deploy("r1");
        assertThrows(BadInputException.class, () -> engine().shift(10, "r1"), "shift needs the analysis first");
        PhaseResult result = engine().analyze("r1");
        assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
        assertEquals(Map.of("passed", false), result.smoke());
        assertEquals(RolloutPhase.ABORTED, result.state().rollout().phase());
        assertTrue(result.state().rollout().reason().contains("patient-search"));
        assertFalse(target.commands().stream().anyMatch(c -> c.startsWith("set-traffic blue 9")));
    }

    @Test
    void thePreviewMustStillBeReadyAfterItsRoutesPassed() {
        preview = url -> {
            target.neverReady(Colour.GREEN); // crash-loops while the routes run
            return new PreviewCheck.Outcome(new AnalysisRecord("preview", 0, true, "3/3 routes passed",
                    clock.instant().toString(), List.of()), Map.of());
        };
        deploy("r1");
        PhaseResult result = engine().analyze("r1");
        assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
        assertTrue(result.state().rollout().reason().contains("the routes passed but the new colour is not ready"),
                result.state().rollout().reason());
    }

    @Test
    void theNextRolloutGoesBackToBlue() {
        deploy("r1");
        engine().analyze("r1");
        engine().shift(100, "r1");
        engine().cleanup(true, "r1");
        deploy("r2");
        Rollout second = target.readState().orElseThrow().rollout();
        assertEquals(Colour.GREEN, second.from());
        assertEquals(Colour.BLUE, second.to());
        assertEquals(NEW, second.previousImages());
    }

    private static final class KilledMidShift extends RuntimeException {
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-03-02T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

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
            return now;
        }
    }
}
