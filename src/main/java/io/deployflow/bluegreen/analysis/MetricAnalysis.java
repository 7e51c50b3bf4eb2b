package io.deployflow.bluegreen.analysis;

import io.deployflow.bluegreen.AnalysisRecord;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs an analysis the way Argo Rollouts' AnalysisRun does, with one stricter rule: a measurement that cannot reach
 * Prometheus, gets no data, or cannot evaluate its condition is FAILED, never passed or skipped.
 * <p>
 * Each metric is measured {@code count} times, the first after one {@code interval} (the new weight must have had
 * time to show in the metrics), then every {@code interval}. A measurement is successful when
 * {@code successCondition} holds; failed when {@code failureCondition} holds, or when there is no failureCondition;
 * inconclusive otherwise (counted as failed too: a gate must see evidence). The analysis fails as soon as any
 * metric has more than {@code failureLimit} failed measurements, and passes only when none has and every metric had
 * at least one successful measurement.
 */
public final class MetricAnalysis {
    private final AnalysisSettings settings;
    private final PrometheusClient prometheus;
    private final Sleeper sleeper;
    private final Clock clock;

    public MetricAnalysis(AnalysisSettings settings, PrometheusClient prometheus, Sleeper sleeper, Clock clock) {
        this.settings = settings;
        this.prometheus = prometheus;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * Sends every query once, before the phase changes anything, so a query Prometheus rejects is bad input
     * (exit 2, nothing changed) rather than a failed rollout.
     *
     * @throws io.deployflow.core.BadInputException at the query's line when Prometheus rejects it
     * @throws OutsideSystemException               when Prometheus cannot be asked
     */
    public void checkQueries(Map<String, String> values) {
        for (MetricSpec metric : settings.metrics()) {
            try {
                prometheus.query(metric.render(values));
            } catch (PrometheusRejectedException e) {
                throw metric.queryPlace().error("Prometheus rejects the query of metric '" + metric.name() + "': "
                        + e.getMessage());
            }
        }
    }

    /** Measures, decides, and returns the record; never throws for Prometheus trouble (that is a failure). */
    public AnalysisRecord run(int weight, Map<String, String> values) {
        record Tick(long atMillis, MetricSpec metric, int number) {
        }
        List<Tick> ticks = new ArrayList<>();
        for (MetricSpec metric : settings.metrics()) {
            for (int i = 1; i <= metric.count(); i++) {
                ticks.add(new Tick(metric.interval().toMillis() * i, metric, i));
            }
        }
        ticks.sort(Comparator.comparingLong(Tick::atMillis));
        Map<String, Integer> failed = new HashMap<>();
        Map<String, Integer> passed = new HashMap<>();
        List<String> lines = new ArrayList<>();
        long elapsed = 0;
        for (Tick tick : ticks) {
            if (tick.atMillis() > elapsed) {
                sleeper.sleep(Duration.ofMillis(tick.atMillis() - elapsed));
                elapsed = tick.atMillis();
            }
            MetricSpec metric = tick.metric();
            Outcome outcome = measure(metric, values);
            String line = metric.name() + " #" + tick.number() + "/" + metric.count() + ": " + outcome.describe();
            lines.add(line);
            Progress.line("analysis at " + weight + " %: " + line);
            if (outcome.successful()) {
                passed.merge(metric.name(), 1, Integer::sum);
            } else {
                int failures = failed.merge(metric.name(), 1, Integer::sum);
                if (failures > metric.failureLimit()) {
                    String summary = metric.name() + ": " + failures + " failed measurement(s), more than failureLimit "
                            + metric.failureLimit() + " (last: " + outcome.describe() + ")";
                    return new AnalysisRecord("step", weight, false, summary, clock.instant().toString(), lines);
                }
            }
        }
        for (MetricSpec metric : settings.metrics()) {
            if (passed.getOrDefault(metric.name(), 0) == 0) {
                return new AnalysisRecord("step", weight, false, metric.name() + ": no successful measurement",
                        clock.instant().toString(), lines);
            }
        }
        int total = ticks.size();
        int failures = failed.values().stream().mapToInt(Integer::intValue).sum();
        return new AnalysisRecord("step", weight, true, (total - failures) + "/" + total
                + " measurements successful", clock.instant().toString(), lines);
    }

    private Outcome measure(MetricSpec metric, Map<String, String> values) {
        List<Double> samples;
        try {
            samples = prometheus.query(metric.render(values));
        } catch (OutsideSystemException e) {
            return new Outcome(false, "error (counts as failed): " + e.getMessage());
        } catch (PrometheusRejectedException e) {
            return new Outcome(false, "error (counts as failed): Prometheus rejected the query: " + e.getMessage());
        }
        if (samples.isEmpty()) {
            return new Outcome(false, "no data (counts as failed): the query returned no sample");
        }
        String shown = format(samples);
        try {
            if (metric.successCondition().test(samples)) {
                return new Outcome(true, shown + " successful (" + metric.successCondition() + ")");
            }
            if (metric.failureCondition() != null && !metric.failureCondition().test(samples)) {
                return new Outcome(false, shown + " inconclusive (counts as failed): neither "
                        + metric.successCondition() + " nor " + metric.failureCondition());
            }
            return new Outcome(false, shown + " failed (" + (metric.failureCondition() != null
                    ? metric.failureCondition() : "not " + metric.successCondition()) + ")");
        } catch (IllegalArgumentException e) {
            return new Outcome(false, shown + " error (counts as failed): " + e.getMessage());
        }
    }

    private static String format(List<Double> samples) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(samples.size(), 5); i++) {
            shown.add(String.format(Locale.ROOT, "%.6g", samples.get(i)));
        }
        return "result " + (samples.size() == 1 ? shown.get(0) : shown + (samples.size() > 5 ? "..." : ""));
    }

    private record Outcome(boolean successful, String describe) {
    }
}
