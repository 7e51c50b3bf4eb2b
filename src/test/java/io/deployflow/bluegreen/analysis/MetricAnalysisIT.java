package io.deployflow.bluegreen.analysis;

import io.deployflow.bluegreen.AnalysisRecord;
import io.deployflow.core.BadInputException;
import io.deployflow.testpeers.HaproxyPeer;
import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.PrometheusPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis rules against a real Prometheus scraping a real HAProxy exporter ({@code up} is 1). */
class MetricAnalysisIT {
    private static Path dir;
    private static HaproxyPeer haproxy;
    private static PrometheusPeer prometheus;
    private final List<Duration> waited = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("metric-analysis");
        haproxy = HaproxyPeer.start(dir.resolve("haproxy"), Peer.freePort(), Peer.freePort());
        prometheus = PrometheusPeer.start(dir.resolve("prometheus"), haproxy.metricsTarget());
        prometheus.awaitScraped("up", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        prometheus.close();
        haproxy.close();
    }

    private AnalysisRecord run(String url, String query, String success, String failure, int count, int limit) {
        MetricSpec metric = new MetricSpec("m", query, Condition.parse(success),
                failure == null ? null : Condition.parse(failure), Duration.ofSeconds(5), count, limit,
                new ConfigPlace("deployflow.yaml", 12, "blueGreen.targets[0].analysis.metrics[0].query"));
        return analysis(url, metric).run(10, Map.of("colour", "green"));
    }

    private MetricAnalysis analysis(String url, MetricSpec metric) {
        return new MetricAnalysis(new AnalysisSettings(URI.create(url), null, List.of(metric)),
                new PrometheusClient(URI.create(url), null), waited::add, Clock.systemUTC());
    }

    @Test
    void passesWhenEveryMeasurementSucceedsAfterWaitingEachInterval() {
        AnalysisRecord record = run(prometheus.url(), "up{job=\"haproxy\"}", "result == 1", null, 3, 0);
        assertTrue(record.passed(), record.toString());
        assertEquals("3/3 measurements successful", record.summary());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)), waited,
                "the first measurement comes one interval after the shift");
    }

    @Test
    void failsAsSoonAsFailuresExceedTheLimit() {
        AnalysisRecord record = run(prometheus.url(), "up{job=\"haproxy\"}", "result == 0", null, 5, 1);
        assertFalse(record.passed());
        assertEquals(2, record.measurements().size(), "stops at the second failure: " + record.measurements());
        assertTrue(record.summary().startsWith("m: 2 failed measurement(s), more than failureLimit 1"),
                record.summary());
    }

    @Test
    void inconclusiveCountsAsFailed() {
        AnalysisRecord record = run(prometheus.url(), "up{job=\"haproxy\"}", "result > 1", "result < 0", 2, 1);
        assertFalse(record.passed());
        assertTrue(record.measurements().get(0).contains("inconclusive"), record.measurements().toString());
    }

    @Test
    void noDataIsAFailureNeverAPass() {
        AnalysisRecord record = run(prometheus.url(), "up{job=\"nothing-scrapes-this\"}",
                "isNaN(result) || result >= 0", null, 2, 1);
        assertFalse(record.passed());
        assertTrue(record.measurements().stream().allMatch(m -> m.contains("no data")), record.measurements()
                .toString());
    }

    @Test
    void unreachablePrometheusIsAFailureNeverAPass() {
        AnalysisRecord record = run("http://127.0.0.1:" + Peer.freePort(), "up", "result == 1", null, 2, 1);
        assertFalse(record.passed());
        assertTrue(record.measurements().get(0).contains("unreachable"), record.measurements().toString());
    }

    @Test
    void scalarsAndSeveralSeriesAreSamples() {
        assertTrue(run(prometheus.url(), "scalar(up{job=\"haproxy\"})", "result == 1", null, 1, 0).passed());
        AnalysisRecord two = run(prometheus.url(), "up or vector(7)", "len(result) == 2 && result[1] == 7", null,
                1, 0);
        assertTrue(two.passed(), two.toString());
    }

    @Test
    void aQueryPrometheusRejectsIsBadInputAtTheQueryLine() {
        MetricSpec broken = new MetricSpec("m", "rate(up[5s]", Condition.parse("result < 1"), null,
                Duration.ofSeconds(1), 1, 0, new ConfigPlace("deployflow.yaml", 12, "analysis.metrics[0].query"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> analysis(prometheus.url(), broken).checkQueries(Map.of()));
        assertTrue(e.getMessage().startsWith("deployflow.yaml:12: analysis.metrics[0].query: Prometheus rejects"),
                e.getMessage());

        MetricSpec range = new MetricSpec("m", "up{job=\"{{target}}\"}[5s]", Condition.parse("result < 1"), null,
                Duration.ofSeconds(1), 1, 0, new ConfigPlace("deployflow.yaml", 12, "analysis.metrics[0].query"));
        BadInputException matrix = assertThrows(BadInputException.class,
                () -> analysis(prometheus.url(), range).checkQueries(Map.of("target", "haproxy")));
        assertTrue(matrix.getMessage().contains("range vector"), matrix.getMessage());
    }
}
