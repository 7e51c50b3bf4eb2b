package io.deployflow.bluegreen.analysis;

import java.time.Duration;
import java.util.Map;

/**
 * One metric of an analysis, named as in Argo Rollouts' AnalysisTemplate: a Prometheus {@code query}, its
 * {@code successCondition} and optional {@code failureCondition}, measured {@code count} times every
 * {@code interval}, allowing {@code failureLimit} failed measurements.
 *
 * @param query      PromQL with placeholders {@code {{colour}}} (the new colour), {@code {{oldColour}}},
 *                   {@code {{target}}} and {@code {{weight}}}
 * @param queryPlace where the query is written, for the error when Prometheus rejects it
 */
public record MetricSpec(String name, String query, Condition successCondition, Condition failureCondition,
                         Duration interval, int count, int failureLimit, ConfigPlace queryPlace) {

    /** The query with the rollout's values filled in. */
    public String render(Map<String, String> values) {
        String out = query;
        for (Map.Entry<String, String> value : values.entrySet()) {
            out = out.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        return out;
    }
}
