package io.deployflow.bluegreen;

import io.deployflow.bluegreen.analysis.ConfigPlace;
import io.deployflow.config.YamlNode;
import io.deployflow.ledger.DeploymentHistory;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerEntry;
import io.deployflow.ledger.LedgerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rollout's outcome, as the CLI files it (engine outcome → {@code Ledger.keep}), ends up in the team's
 * deployment history: promoted, aborted with why, rolled back with why, an abort that could not be verified; and
 * nothing for the phases in between or for a phase run again.
 */
class RolloutHistoryTest {
    private static final Map<String, String> ENV = Map.of("DEPLOYFLOW_USER", "dev2",
            "BUILD_URL", "http://jenkins.example/job/portal/9/");

    @TempDir
    Path dir;

    private final RolloutEngineTest.MutableClock clock = new RolloutEngineTest.MutableClock();
    private final InMemoryRolloutTarget target = new InMemoryRolloutTarget(Colour.BLUE,
            Map.of("web", "acme/portal:1.2.0"), true);
    private boolean failAt50;

    private RolloutEngine engine(Ledger ledger) {
        YamlNode node = YamlNode.parse("deployflow.yaml", "name: portal\nrouter: {type: memory}\n");
        TargetSettings settings = new TargetSettings("portal", "be", null, true, 600, 1, 2, List.of(10, 50, 100),
                ConfigPlace.of(node), Duration.ofSeconds(30), Duration.ofSeconds(2), null, null, 5, "memory",
                node.require("router"), Path.of("."), node);
        StepAnalysis analysis = new StepAnalysis() {
            @Override
            public void checkQueries(Map<String, String> values) {
            }

            @Override
            public AnalysisRecord run(int weight, Map<String, String> values) {
                boolean pass = !(failAt50 && weight == 50);
                return new AnalysisRecord("step", weight, pass, pass ? "ok" : "error-rate: 0.07 (not result < 0.01)",
                        clock.instant().toString(), List.of());
            }
        };
        return new RolloutEngine(target, settings, null, analysis, new Actor("dev2", ENV.get("BUILD_URL")), clock,
                clock::advance).onOutcome(o -> ledger.keep(o.ledgerType(), o.ledgerData()));
    }

    @Test
    void promotedAbortedAndRolledBackRolloutsAreInTheDeploymentHistory() {
        Ledger ledger = Ledger.open(LedgerFixture.config(dir, ""), ENV, dir.resolve("cache"));
        RolloutEngine engine = engine(ledger);

        engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:1.3.0"), "1.3.0", "r1", null));
        engine.shift(10, "r1");
        engine.shift(50, "r1");
        assertTrue(ledger.entries().isEmpty(), "steps on the way are no outcome");
        engine.shift(100, "r1");
        engine.promote("r1");
        engine.rollback("NPE in admissions", "r1");
        engine.rollback("again", "r1");

        failAt50 = true;
        engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:1.4.0"), "1.4.0", "r2", null));
        engine.shift(10, "r2");
        engine.shift(50, "r2");

        List<LedgerEntry> entries = ledger.entries();
        assertEquals(List.of("deploy", "rollback", "deploy"), entries.stream().map(LedgerEntry::type).toList(),
                "one entry per outcome; the promote and rollback run again add none");
        LedgerEntry promoted = entries.get(0);
        assertEquals("promoted", promoted.text("status"));
        assertEquals("portal", promoted.text("target"));
        assertEquals("r1", promoted.text("rollout"));
        assertEquals("green", promoted.text("serving"));
        assertEquals("{web=acme/portal:1.3.0}", promoted.text("images"));
        assertEquals("dev2", promoted.user());
        LedgerEntry rolledBack = entries.get(1);
        assertEquals("rolled-back", rolledBack.text("status"));
        assertEquals("NPE in admissions", rolledBack.text("reason"));
        assertEquals("blue", rolledBack.text("serving"));
        assertTrue(rolledBack.text("verification").contains("served by blue"), rolledBack.text("verification"));
        LedgerEntry aborted = entries.get(2);
        assertEquals("aborted", aborted.text("status"));
        assertEquals("shift", aborted.text("phase"));
        assertTrue(aborted.text("reason").startsWith("analysis at 50 % failed: error-rate"), aborted.text("reason"));
        assertTrue(ledger.verify().intact());

        List<DeploymentHistory.Row> rows = DeploymentHistory.rows(entries, null, false, 0);
        assertEquals(List.of("aborted", "rolled-back", "promoted"), rows.stream().map(DeploymentHistory.Row::status)
                .toList(), "newest first");
        assertEquals("portal", rows.get(0).subject(), "the target names the row");
        assertEquals("1.4.0", rows.get(0).version());
        assertEquals("Rollback", rows.get(1).what());
        String table = DeploymentHistory.markdown("Deployment history", rows);
        assertTrue(table.contains("| Rollback | portal | 1.3.0 | rolled-back | dev2 | NPE in admissions |"), table);
    }

    @Test
    void anAbortThatCouldNotBeVerifiedIsRecordedAsSuch() {
        Ledger ledger = Ledger.open(LedgerFixture.config(dir, ""), ENV, dir.resolve("cache"));
        RolloutEngine engine = engine(ledger);
        engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:1.3.0"), "1.3.0", "r1", null));
        engine.shift(10, "r1");
        target.refuse(command -> command.startsWith("set-traffic"));
        engine.abort("pager alert", "r1");

        LedgerEntry entry = ledger.entries().get(0);
        assertEquals("abort-not-verified", entry.text("status"));
        assertEquals("not verified", entry.text("serving"));
        assertEquals(false, entry.data().get("verified"));
        assertEquals("pager alert", entry.text("reason"));
        assertFalse(entry.text("verification").isEmpty());
    }
}
