package io.deployflow.bluegreen.analysis;

import java.net.URI;
import java.util.List;

/**
 * The metric analysis run after every traffic step: where Prometheus is and which metrics decide.
 *
 * @param prometheus     Prometheus' base URL ({@code /api/v1/query} is appended)
 * @param bearerTokenEnv the environment variable holding a bearer token for Prometheus, or null
 * @param metrics        at least one
 */
public record AnalysisSettings(URI prometheus, String bearerTokenEnv, List<MetricSpec> metrics) {
    public AnalysisSettings {
        metrics = List.copyOf(metrics);
    }
}
