package io.deployflow.bluegreen;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One rollout of a target: from the active colour to the other one, with new images, through traffic steps.
 * Immutable; each phase writes a new value into the target's state.
 *
 * @param id             unique per rollout (given with --id, else derived from the build, else time-based)
 * @param version        the version being rolled out, for the deployment history (may be empty)
 * @param from           the colour that was active when the rollout started (the "old" colour)
 * @param to             the colour being rolled out (the "new" colour)
 * @param images         what the new colour runs, per service/container name
 * @param previousImages what the old colour ran when the rollout started
 * @param replicas       replicas of the new colour
 * @param steps          the traffic weights (percent of the new colour), strictly increasing, ending at 100
 * @param phase          where it stands
 * @param weight         the new colour's traffic weight as last verified by reading the router back
 * @param targetWeight   during {@link RolloutPhase#SHIFTING}: the weight being shifted to; else null
 * @param lastAnalysis   the last analysis run (preview smoke or metric step), or null
 * @param reason         why it was aborted or rolled back (null otherwise)
 * @param startedAt      ISO-8601 UTC
 * @param startedBy      user id
 * @param build          BUILD_URL of the build that started it, or empty
 * @param scaleDownAt    after promotion: when cleanup may scale the old colour down (ISO-8601 UTC), else null
 * @param finishedAt     when it reached a finished phase, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollout(String id, String version, Colour from, Colour to, Map<String, String> images,
                      Map<String, String> previousImages, int replicas, List<Integer> steps, RolloutPhase phase,
                      int weight, Integer targetWeight, AnalysisRecord lastAnalysis, String reason,
                      String startedAt, String startedBy, String build, String scaleDownAt, String finishedAt) {
    public Rollout {
        images = sorted(images);
        previousImages = sorted(previousImages);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    static Map<String, String> sorted(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }

    public Rollout withPhase(RolloutPhase next) {
        return new Rollout(id, version, from, to, images, previousImages, replicas, steps, next, weight,
                targetWeight, lastAnalysis, reason, startedAt, startedBy, build, scaleDownAt, finishedAt);
    }

    /** SHIFTING towards {@code target}: written before the router is touched. */
    public Rollout shifting(int target) {
        return new Rollout(id, version, from, to, images, previousImages, replicas, steps, RolloutPhase.SHIFTING,
                weight, target, lastAnalysis, reason, startedAt, startedBy, build, scaleDownAt, finishedAt);
    }

    /** The weight the router was read back at (a SHIFTING rollout keeps its target until the analysis settles it). */
    public Rollout withWeight(int verified) {
        return new Rollout(id, version, from, to, images, previousImages, replicas, steps, phase, verified,
                targetWeight, lastAnalysis, reason, startedAt, startedBy, build, scaleDownAt, finishedAt);
    }

    /** SHIFTED at the verified weight: the step's analysis passed, the shift intent is cleared. */
    public Rollout shifted() {
        return new Rollout(id, version, from, to, images, previousImages, replicas, steps, RolloutPhase.SHIFTED,
                weight, null, lastAnalysis, reason, startedAt, startedBy, build, scaleDownAt, finishedAt);
    }

    public Rollout withAnalysis(AnalysisRecord analysis) {
        return new Rollout(id, version, from, to, images, previousImages, replicas, steps, phase, weight,
                targetWeight, analysis, reason, startedAt, startedBy, build, scaleDownAt, finishedAt);
    }

    public Rollout withReason(String why) {
        return new Rollout(id, version, from, to, images, previousImages, replicas, steps, phase, weight,
                targetWeight, lastAnalysis, why, startedAt, startedBy, build, scaleDownAt, finishedAt);
    }

    public Rollout withScaleDownAt(String when) {
        return new Rollout(id, version, from, to, images, previousImages, replicas, steps, phase, weight,
                targetWeight, lastAnalysis, reason, startedAt, startedBy, build, when, finishedAt);
    }

    public Rollout finished(RolloutPhase end, String at) {
        return new Rollout(id, version, from, to, images, previousImages, replicas, steps, end, weight,
                null, lastAnalysis, reason, startedAt, startedBy, build, scaleDownAt, at);
    }
}
