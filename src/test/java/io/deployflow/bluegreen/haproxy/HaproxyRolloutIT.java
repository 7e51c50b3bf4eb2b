package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.PhaseResult;
import io.deployflow.bluegreen.RolloutEngine;
import io.deployflow.bluegreen.RolloutPhase;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.TargetSettings;
import io.deployflow.bluegreen.TrafficSplit;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Phases and faults on a real HAProxy (runtime API over its admin socket, server-state-file, reload), with a real
 * Prometheus scraping HAProxy's exporter for the analysis. Each fault test asserts that all traffic ended on the
 * old colour, as HAProxy itself reports it and as requests through the frontend show, and that the record says why.
 */
class HaproxyRolloutIT {
    private static final Map<String, String> NEW = Map.of("web", "acme/portal:2.0");
    private static final String STEPS = "[10, 50, 100]";

    @TempDir
    Path dir;

    @Test
    void rolloutTenFiftyHundredWithPrometheusAnalysisThenCleanup() throws Exception {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, true);
             LoadGenerator load = new LoadGenerator(URI.create(fixture.haproxy.url()), "X-Served-By").start(100)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(),
                    fixture.analysis(HaproxyFixture.ERROR_RATE, "result < 0.05"), STEPS));
            HaproxyTarget target = fixture.target(settings);
            RolloutEngine engine = fixture.engine(settings, target);

            assertEquals(ExitCode.OK, engine.deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null))
                    .exitCode());
            assertTrue(fixture.colours.isRunning(Colour.GREEN));
            assertEquals("blue 100 / green 0", fixture.weights());
            engine.analyze("r1");

            PhaseResult ten = engine.shift(null, "r1");
            assertEquals(ExitCode.OK, ten.exitCode(), ten.message());
            assertEquals("blue 90 / green 10", fixture.weights());
            assertTrue(ten.analysis().passed(), ten.analysis().toString());
            assertEquals(2, ten.analysis().measurements().size());

            engine.shift(null, "r1");
            assertEquals("blue 50 / green 50", fixture.weights());
            PhaseResult hundred = engine.shift(null, "r1");
            assertEquals(ExitCode.OK, hundred.exitCode(), hundred.message());
            assertEquals("blue 0 / green 100", fixture.weights());

            // scaleDownDelaySeconds 0: promotion cleaned up at once
            RolloutState state = target.readState().orElseThrow();
            assertEquals(RolloutPhase.COMPLETED, state.rollout().phase());
            assertEquals(Colour.GREEN, state.active());
            assertFalse(fixture.colours.isRunning(Colour.BLUE));
            assertFalse(target.readLock().isPresent());
            Path stateFile = fixture.haproxy.config().resolveSibling("deployflow-portal.rollout.json");
            assertTrue(Files.readString(stateFile).contains("\"phase\":\"completed\""),
                    "the state lives next to HAProxy's configuration");
            assertTrue(Files.readString(fixture.haproxy.serverStateFile()).contains(" green 127.0.0.1 2 0 100 "),
                    "the server-state-file holds the new weights:\n"
                            + Files.readString(fixture.haproxy.serverStateFile()));

            List<LoadGenerator.Sample> samples = load.stop();
            assertEquals(0, samples.stream().filter(LoadGenerator.Sample::failed).count(),
                    "no request failed during the rollout");
            assertTrue(samples.stream().anyMatch(s -> "green".equals(s.server())));
        }
    }

    @Test
    void weightsSurviveAnHaproxyReload() {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, false)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(), null, STEPS));
            HaproxyTarget target = fixture.target(settings);
            RolloutEngine engine = fixture.engine(settings, target);
            engine.deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null));
            engine.shift(50, "r1");
            assertEquals("blue 50 / green 50", fixture.weights());

            fixture.haproxy.reload();

            assertEquals("blue 50 / green 50", fixture.weights(), "the reload loaded the server-state-file");
            assertEquals(new TrafficSplit(50, 50), target.readTraffic());
            List<Colour> served = target.probeActive(20);
            assertTrue(served.contains(Colour.BLUE) && served.contains(Colour.GREEN), served.toString());
            assertEquals(RolloutPhase.SHIFTED, engine.status().state().rollout().phase());
        }
    }

    @Test
    void prometheusDownAbortsTheShiftAndTrafficEndsOnTheOldColour() {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, true);
             LoadGenerator load = new LoadGenerator(URI.create(fixture.haproxy.url()), "X-Served-By").start(50)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(),
                    fixture.analysis(HaproxyFixture.ERROR_RATE, "result < 0.05"), STEPS));
            HaproxyTarget target = fixture.target(settings);
            RolloutEngine engine = fixture.engine(settings, target);
            engine.deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null));
            assertEquals(ExitCode.OK, engine.shift(10, "r1").exitCode());

            fixture.prometheus.close();
            PhaseResult result = engine.shift(50, "r1");

            assertEquals(ExitCode.CHECK_FAILED, result.exitCode(), result.message());
            assertAllOnBlue(fixture, target);
            String reason = target.readState().orElseThrow().rollout().reason();
            assertTrue(reason.contains("Prometheus " + fixture.prometheus.url()) && reason.contains("unreachable"),
                    reason);
            assertEquals("aborted", result.deployment().status());
        }
    }

    @Test
    void prometheusWithNoDataFailsTheAnalysis() {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, true)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(),
                    fixture.analysis("haproxy_server_http_responses_total{server=\"nobody\"}", "result >= 0"),
                    STEPS));
            HaproxyTarget target = fixture.target(settings);
            RolloutEngine engine = fixture.engine(settings, target);
            engine.deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null));
            PhaseResult result = engine.shift(10, "r1");

            assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
            assertAllOnBlue(fixture, target);
            assertTrue(result.analysis().summary().contains("no data"), result.analysis().summary());
        }
    }

    @Test
    void aNewColourThatAnswers500FailsTheAnalysis() {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, true);
             LoadGenerator load = new LoadGenerator(URI.create(fixture.haproxy.url()), "X-Served-By").start(100)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(),
                    fixture.analysis(HaproxyFixture.ERROR_RATE, "result < 0.05"), STEPS));
            HaproxyTarget target = fixture.target(settings);
            RolloutEngine engine = fixture.engine(settings, target);
            engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:2.0-broken"), "2.0", "r1",
                    null));
            PhaseResult result = engine.shift(10, "r1");

            assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
            assertAllOnBlue(fixture, target);
            assertTrue(result.state().rollout().reason().startsWith("analysis at 10 % failed: error-rate"),
                    result.state().rollout().reason());
            String measured = result.analysis().measurements().get(0);
            assertTrue(measured.contains("result 1.00000 failed"), "green answered 500 to every request: " + measured);
        }
    }

    @Test
    void aNewColourThatNeverGetsReadyIsAbortedBeforeAnyTraffic() {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, false)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(), null, STEPS));
            HaproxyTarget target = fixture.target(settings);
            PhaseResult result = fixture.engine(settings, target).deploy(new RolloutEngine.DeployRequest(
                    Map.of("web", "acme/portal:2.0-sick"), "2.0", "r1", null));

            assertEquals(ExitCode.CHECK_FAILED, result.exitCode());
            assertAllOnBlue(fixture, target);
            String reason = target.readState().orElseThrow().rollout().reason();
            assertTrue(reason.contains("never got ready within 4 s") && reason.contains("answered 503"), reason);
        }
    }

    @Test
    void aSocketThatRefusesACommandMidRolloutAbortsIt() throws Exception {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, false);
             RefusingSocketProxy proxy = new RefusingSocketProxy(dir.resolve("refusing.sock"),
                     fixture.haproxy.socket(), command -> command.equals("set server be/green weight 50"))) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", dir.resolve("refusing.sock"), null,
                    STEPS));
            HaproxyTarget target = fixture.target(settings);
            RolloutEngine engine = fixture.engine(settings, target);
            engine.deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null));
            engine.shift(10, "r1");
            assertEquals("blue 90 / green 10", fixture.weights());

            PhaseResult result = engine.shift(50, "r1");

            assertEquals(ExitCode.CHECK_FAILED, result.exitCode(), result.message());
            assertAllOnBlue(fixture, target);
            String reason = target.readState().orElseThrow().rollout().reason();
            assertTrue(reason.contains("refused 'set server be/green weight 50': Permission denied"), reason);
        }
    }

    @Test
    void aSocketThatRefusesWeightZeroStillGetsTheColourOutThroughMaintenance() throws Exception {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, false);
             RefusingSocketProxy proxy = new RefusingSocketProxy(dir.resolve("refusing.sock"),
                     fixture.haproxy.socket(), command -> false)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", dir.resolve("refusing.sock"), null,
                    STEPS));
            HaproxyTarget target = fixture.target(settings);
            RolloutEngine engine = fixture.engine(settings, target);
            engine.deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null));
            engine.shift(50, "r1");
            proxy.refuse(command -> command.equals("set server be/green weight 0"));

            PhaseResult result = engine.abort("on-call says no", "r1");

            assertEquals(ExitCode.OK, result.exitCode(), result.message());
            assertAllOnBlue(fixture, target);
            assertTrue(greenInMaintenance(fixture), "green is in maintenance");
        }
    }

    @Test
    void aQueryPrometheusRejectsIsBadInputNamingItsLineAndNothingChanges() {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, true)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(),
                    fixture.analysis("sum(rate(haproxy_server_http_responses_total[5s]", "result < 0.05"), STEPS));
            HaproxyTarget target = fixture.target(settings);
            BadInputException refused = assertThrows(BadInputException.class, () -> fixture.engine(settings, target)
                    .deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null)));

            assertEquals(fixture.configFile.toString(), refused.file());
            assertEquals(19, refused.line(), refused.getMessage());
            assertEquals("blueGreen.targets[0].analysis.metrics[0].query", refused.field());
            assertTrue(refused.getMessage().contains("Prometheus rejects the query"), refused.getMessage());
            assertFalse(fixture.colours.isRunning(Colour.GREEN), "nothing started");
            assertTrue(target.readState().isEmpty() && target.readLock().isEmpty(), "nothing recorded");
            assertEquals("blue 100 / green 0", fixture.weights());
        }
    }

    @Test
    void anUnknownBackendIsBadInputNamingItsLine() {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, false)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be_portal", fixture.haproxy.socket(), null,
                    STEPS));
            HaproxyTarget target = fixture.target(settings);
            BadInputException refused = assertThrows(BadInputException.class, () -> fixture.engine(settings, target)
                    .deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null)));
            assertEquals(6, refused.line(), refused.getMessage());
            assertEquals("blueGreen.targets[0].activeService", refused.field());
            assertTrue(refused.getMessage().contains("HAProxy has no backend 'be_portal'"), refused.getMessage());
            assertFalse(fixture.colours.isRunning(Colour.GREEN));
        }
    }

    @Test
    void theLockFileRefusesASecondRollout() throws Exception {
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, false)) {
            TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(), null, STEPS));
            fixture.engine(settings, fixture.target(settings))
                    .deploy(new RolloutEngine.DeployRequest(NEW, "2.0", "r1", null));
            Path lock = fixture.haproxy.config().resolveSibling("deployflow-portal.lock");
            assertTrue(Files.readString(lock).contains("\"rolloutId\":\"r1\""));

            HaproxyTarget another = fixture.target(settings); // as another agent would build it
            BadInputException refused = assertThrows(BadInputException.class, () -> fixture.engine(settings, another)
                    .deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:3.0"), "3.0", "r2", null)));
            assertTrue(refused.getMessage().contains("held by rollout 'r1'"), refused.getMessage());
            assertEquals("blue 100 / green 0", fixture.weights());
        }
    }

    private static void assertAllOnBlue(HaproxyFixture fixture, HaproxyTarget target) {
        String weights = fixture.weights();
        assertTrue(weights.equals("blue 100 / green 0") || greenInMaintenance(fixture),
                "HAProxy sends nothing to green: " + weights);
        assertEquals(TrafficSplit.allOn(Colour.BLUE), target.readTraffic());
        List<Colour> served = target.probeActive(30);
        assertTrue(served.stream().allMatch(c -> c == Colour.BLUE), served.toString());
        assertFalse(fixture.colours.isRunning(Colour.GREEN), "the new colour was scaled to zero");
        RolloutState state = target.readState().orElseThrow();
        assertEquals(RolloutPhase.ABORTED, state.rollout().phase());
        assertEquals(Colour.BLUE, state.active());
        assertFalse(target.readLock().isPresent());
    }

    private static boolean greenInMaintenance(HaproxyFixture fixture) {
        return fixture.socket.serversState("be").stream()
                .anyMatch(server -> server.name().equals("green") && (server.adminState() & 1) == 1);
    }
}
