package io.deployflow.bluegreen;

import java.util.List;

/**
 * The result of one analysis run: the pre-promotion analysis (smoke routes against the preview) or the metric
 * analysis after a traffic step. Stored in the rollout so {@code status} shows the last one.
 *
 * @param kind         {@code preview} (smoke routes) or {@code step} (Prometheus metrics after a shift)
 * @param weight       the new colour's weight when it ran (0 for the preview)
 * @param passed       true only when every measurement that was needed passed; unreachable or empty data fail
 * @param summary      one human line: "3/3 measurements passed", "error-rate: failed 2 > failureLimit 1"
 * @param at           when it finished, ISO-8601 UTC
 * @param measurements one line per measurement or route, in order
 */
public record AnalysisRecord(String kind, int weight, boolean passed, String summary, String at,
                             List<String> measurements) {
    public AnalysisRecord {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
    }
}
