package io.deployflow.bluegreen;

import io.deployflow.bluegreen.analysis.ConfigPlace;
import io.deployflow.config.YamlNode;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The JSON the blueGreen step's tests feed their fake CLI (src/test/resources/vars-fixtures/bluegreen-*.json) is
 * what the real engine writes: this test produces it with the engine and fails when a fixture differs.
 * Regenerate with {@code -Ddeployflow.writeFixtures=true}.
 */
class BlueGreenFixturesTest {
    private static final Path FIXTURES = Path.of(System.getProperty("deployflow.projectDir", "."))
            .resolve("src/test/resources/vars-fixtures");

    @Test
    void fixturesAreWhatTheEngineWrites() throws Exception {
        Map<String, PhaseResult> results = new LinkedHashMap<>();
        RolloutEngineTest.MutableClock clock = new RolloutEngineTest.MutableClock();
        InMemoryRolloutTarget target = new InMemoryRolloutTarget(Colour.BLUE, Map.of("web", "acme/portal:1.2.0"),
                true);
        boolean[] failAt50 = {false};
        StepAnalysis analysis = new StepAnalysis() {
            @Override
            public void checkQueries(Map<String, String> values) {
            }

            @Override
            public AnalysisRecord run(int weight, Map<String, String> values) {
                boolean pass = !(failAt50[0] && weight == 50);
                return new AnalysisRecord("step", weight, pass, pass ? "3/3 measurements successful"
                        : "error-rate: 2 failed measurement(s), more than failureLimit 1 (last: result 0.0712 failed"
                        + " (not result < 0.01))", clock.instant().toString(), List.of());
            }
        };
        PreviewCheck preview = url -> new PreviewCheck.Outcome(new AnalysisRecord("preview", 0, true,
                "2/2 routes passed", clock.instant().toString(), List.of("patient-read: passed", "metadata: passed")),
                Map.of("passed", true));
        YamlNode node = YamlNode.parse("deployflow.yaml", "name: portal\nrouter: {type: memory}\n");
        TargetSettings settings = new TargetSettings("portal", "be", null, true, 0, 1, 2, List.of(10, 50, 100),
                ConfigPlace.of(node), Duration.ofSeconds(30), Duration.ofSeconds(2), null, null, 5, "memory",
                node.require("router"), Path.of("."), node);
        RolloutEngine engine = new RolloutEngine(target, settings, preview, analysis,
                new Actor("dev1", "http://jenkins.example/job/release/42/"), clock, clock::advance);
        String id = "jenkins-team-release-job-42";
        results.put("bluegreen-deploy.json", engine.deploy(new RolloutEngine.DeployRequest(
                Map.of("web", "acme/portal:1.3.0"), "1.3.0", id, null)));
        results.put("bluegreen-analyze.json", engine.analyze(id));
        results.put("bluegreen-shift-10.json", engine.shift(10, id));
        results.put("bluegreen-shift-100.json", engine.shift(100, id));
        results.put("bluegreen-cleanup.json", engine.cleanup(true, id));
        failAt50[0] = true;
        String second = "jenkins-team-release-job-43";
        engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:1.4.0"), "1.4.0", second, null));
        engine.analyze(second);
        engine.shift(10, second);
        results.put("bluegreen-shift-50-aborted.json", engine.shift(50, second));
        // without autoPromotionEnabled the rollout waits at 100 % for promote; the old colour is kept a minute
        failAt50[0] = false;
        TargetSettings held = new TargetSettings("portal", "be", null, false, 60, 1, 2, List.of(10, 50, 100),
                ConfigPlace.of(node), Duration.ofSeconds(30), Duration.ofSeconds(2), null, null, 5, "memory",
                node.require("router"), Path.of("."), node);
        RolloutEngine manual = new RolloutEngine(target, held, preview, analysis,
                new Actor("dev1", "http://jenkins.example/job/release/44/"), clock, clock::advance);
        String third = "jenkins-team-release-job-44";
        manual.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:1.5.0"), "1.5.0", third, null));
        manual.analyze(third);
        manual.shift(10, third);
        results.put("bluegreen-shift-100-held.json", manual.shift(100, third));
        results.put("bluegreen-promote.json", manual.promote(third));
        results.put("bluegreen-cleanup-after-delay.json", manual.cleanup(false, third));

        for (Map.Entry<String, PhaseResult> result : results.entrySet()) {
            Path file = FIXTURES.resolve(result.getKey());
            String json = Json.mapper().writeValueAsString(result.getValue()) + "\n";
            if (Boolean.getBoolean("deployflow.writeFixtures")) {
                Files.writeString(file, json);
            }
            assertEquals(json, Files.readString(file), file + " differs from what the engine writes; regenerate"
                    + " with -Ddeployflow.writeFixtures=true");
        }
    }
}
