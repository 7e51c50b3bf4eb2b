package io.deployflow.bluegreen;

import io.deployflow.bluegreen.analysis.AnalysisSettings;
import io.deployflow.bluegreen.analysis.MetricAnalysis;
import io.deployflow.bluegreen.analysis.PrometheusClient;
import io.deployflow.bluegreen.analysis.Sleeper;

import java.time.Clock;
import java.util.Map;

/** The analysis after each step, against Prometheus; the token (if any) comes from the environment only. */
public final class PrometheusStepAnalysis implements StepAnalysis {
    private final MetricAnalysis analysis;

    public PrometheusStepAnalysis(AnalysisSettings settings, Map<String, String> environment, Sleeper sleeper,
                                  Clock clock) {
        String token = settings.bearerTokenEnv() == null ? null : environment.get(settings.bearerTokenEnv());
        this.analysis = new MetricAnalysis(settings, new PrometheusClient(settings.prometheus(), token), sleeper,
                clock);
    }

    @Override
    public void checkQueries(Map<String, String> values) {
        analysis.checkQueries(values);
    }

    @Override
    public AnalysisRecord run(int weight, Map<String, String> values) {
        return analysis.run(weight, values);
    }
}
