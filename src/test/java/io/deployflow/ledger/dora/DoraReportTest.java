package io.deployflow.ledger.dora;

import io.deployflow.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DORA's four keys on twelve generated weeks whose answers were worked out by hand (see {@link GeneratedHistory}). */
class DoraReportTest {
    @TempDir
    Path dir;

    DoraReport report() {
        GeneratedHistory history = new GeneratedHistory(dir);
        return DoraReport.compute(history.ledger.entries(), GeneratedHistory.SINCE, GeneratedHistory.UNTIL,
                List.of("acme", "st-mary"));
    }

    @Test
    void overallTheFourKeysAreTheHandWorkedAnswers() {
        Metrics all = report().overall();
        assertEquals(22, all.deployments(), "14 fhir-gateway + 4 terminology + 4 stacks; not the one before the"
                + " period, not UAT, not the deploy inside a promotion");
        assertEquals(4, all.failures(), "a failed promotion, one needing a hotfix, one rolled back by itself, one"
                + " rolled back later");
        assertEquals(1.833, all.perWeek(), "22 in 12 weeks");
        assertEquals(0.182, all.changeFailureRate());
        // lead times of the changes that worked: fhir-gateway 13 x 48 h, terminology 168, 2 and 168 (2.1.0 needed
        // a hotfix, so it is a failed change, not a lead time)
        assertEquals(new Metrics.Stat(16, 48.0, 60.125, 168.0), all.leadTimeHours());
        // restores: 0 h (rolled back by itself), 5 h (the issue), 24 h (failed promotion), 24 h (rolled back later)
        assertEquals(new Metrics.Stat(4, 14.5, 13.25, 24.0), all.timeToRestoreHours());
    }

    @Test
    void perServiceEachCountsItsOwn() {
        Map<String, Metrics> services = report().services();
        assertEquals(List.of("fhir-gateway", "terminology"), List.copyOf(services.keySet()),
                "stack deployments name no service");
        Metrics gateway = services.get("fhir-gateway");
        assertEquals(14, gateway.deployments());
        assertEquals(1, gateway.failures());
        assertEquals(0.071, gateway.changeFailureRate());
        assertEquals(new Metrics.Stat(13, 48.0, 48.0, 48.0), gateway.leadTimeHours());
        assertEquals(new Metrics.Stat(1, 24.0, 24.0, 24.0), gateway.timeToRestoreHours());
        Metrics terminology = services.get("terminology");
        assertEquals(4, terminology.deployments());
        assertEquals(0.25, terminology.changeFailureRate(), "2.1.0 needed a hotfix");
        assertEquals(new Metrics.Stat(3, 168.0, 112.667, 168.0), terminology.leadTimeHours(),
                "2.1.0 needed a hotfix, so it does not count as a lead time; 168, 2, 168 remain");
        assertEquals(new Metrics.Stat(1, 5.0, 5.0, 5.0), terminology.timeToRestoreHours(), "raised 10:00, restored"
                + " 15:00");
    }

    @Test
    void perCustomerSharedProductionCountsForEveryCustomer() {
        Map<String, Metrics> customers = report().customers();
        Metrics acme = customers.get("acme");
        assertEquals(21, acme.deployments(), "18 to shared production + 3 of its own stack");
        assertEquals(4, acme.failures());
        assertEquals(new Metrics.Stat(4, 14.5, 13.25, 24.0), acme.timeToRestoreHours());
        Metrics stMary = customers.get("st-mary");
        assertEquals(19, stMary.deployments());
        assertEquals(2, stMary.failures());
        assertEquals(new Metrics.Stat(2, 14.5, 14.5, 24.0), stMary.timeToRestoreHours());
    }

    @Test
    void weekByWeek() {
        List<Map<String, Object>> weeks = report().weeks();
        assertEquals(12, weeks.size());
        assertEquals("2026-09-07", weeks.get(0).get("week"));
        assertEquals(List.of(1, 1, 2, 2, 2, 3, 3, 2, 2, 1, 2, 1), weeks.stream().map(w -> w.get("deployments"))
                .toList());
        assertEquals(List.of(0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0), weeks.stream().map(w -> w.get("failures"))
                .toList());
        assertEquals(0.333, weeks.get(5).get("changeFailureRate"));
        assertEquals(24.0, weeks.get(5).get("timeToRestoreMedianHours"), "broken on Wednesday, fixed Thursday");
        assertEquals(5.0, weeks.get(6).get("timeToRestoreMedianHours"), "the severity-1 issue");
        assertEquals(0.0, weeks.get(4).get("timeToRestoreMedianHours"), "rolled back by itself");
        assertNull(weeks.get(0).get("timeToRestoreMedianHours"));
    }

    @Test
    void theCommandWritesMarkdownJsonAndOneReadableChartPerMetric() throws Exception {
        new GeneratedHistory(dir);
        Path out = dir.resolve("dora");
        CliRun run = CliRun.of("ledger", "dora", "--config", dir.resolve("deployflow.yaml").toString(), "--since",
                "2026-09-07", "--until", "2026-11-30", "--out-dir", out.toString(), "--json",
                dir.resolve("dora-result.json").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("22 production deployments (1.833 a week), 4 failed"), run.err());
        String md = Files.readString(out.resolve("dora.md"));
        assertTrue(md.startsWith("# DORA metrics, 2026-09-07 to 2026-11-30 (84 days)"), md);
        assertTrue(md.contains("| **All** | 22 | 1.8 | 2.0 d (16) | 18.2 % (4 of 22) | 14.5 h (4) |"), md);
        assertTrue(md.contains("| Service terminology | 4 | 0.3 | 7.0 d (3) | 25.0 % (1 of 4) | 5.0 h (1) |"), md);
        assertTrue(md.contains("needed a hotfix: fixed by the hotfix for SEV1-9"), md);
        assertTrue(md.contains("![Deployment frequency](deployment-frequency.svg)"), md);
        for (String chart : DoraReport.CHARTS.values()) {
            Path svg = out.resolve(chart);
            var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
            assertEquals("svg", document.getDocumentElement().getTagName(), chart);
        }
        String frequency = Files.readString(out.resolve("deployment-frequency.svg"));
        assertTrue(frequency.contains("<title>09-14: 1 worked</title>"), frequency);
        assertEquals(12, frequency.split("fill=\"" + SvgChart.GOOD + "\"><title>").length - 1,
                "a green bar for each of the 12 weeks");
        assertTrue(Files.readString(out.resolve("time-to-restore.svg")).contains("SEV1-9"));
        Map<?, ?> json = io.deployflow.core.Json.mapper().readValue(dir.resolve("dora-result.json").toFile(),
                Map.class);
        assertEquals(22, ((Map<?, ?>) json.get("overall")).get("deployments"));
        assertEquals(out.resolve("lead-time.svg").toString(), ((Map<?, ?>) json.get("files")).get("leadTime"));
    }

    @Test
    void aBadPeriodIsBadInput() {
        new GeneratedHistory(dir);
        CliRun run = CliRun.of("ledger", "dora", "--config", dir.resolve("deployflow.yaml").toString(), "--since",
                "last quarter");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--since: 'last quarter' is not a number of days (90d)"), run.err());
    }
}
