package io.deployflow.bluegreen;

import io.deployflow.bluegreen.analysis.AnalysisSettings;
import io.deployflow.bluegreen.analysis.ConfigPlace;
import io.deployflow.config.YamlNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One blue/green target from {@code blueGreen.targets[]} in deployflow.yaml, validated. Setting names follow Argo
 * Rollouts where it has one ({@code activeService}, {@code previewService}, {@code autoPromotionEnabled},
 * {@code scaleDownDelaySeconds}, {@code prePromotionAnalysis}, {@code steps}).
 *
 * @param replicas             replicas of a new colour
 * @param scaleDownReplicas    replicas the old colour keeps after promotion until cleanup (S2 keeps one)
 * @param steps                traffic weights of the new colour, strictly increasing, ending at 100
 * @param stepsPlace           where the steps are written (or the target, when defaulted)
 * @param readyTimeout         how long deploy waits for the new colour to be ready
 * @param readyPoll            time between readiness looks (two ready looks in a row are needed)
 * @param previewRoutes        the smoke routes of the pre-promotion analysis, or null for none
 * @param analysis             the metric analysis after each step, or null for none
 * @param verifyRequests       requests sent through the active entry point to verify an abort or rollback
 * @param routerType           {@code router.type}
 * @param router               the {@code router} section, for the router's provider
 * @param configDir            directory of deployflow.yaml (relative paths)
 * @param node                 the target's own section, so problems found later still name their line
 */
public record TargetSettings(String name, String activeService, String previewService, boolean autoPromotionEnabled,
                             int scaleDownDelaySeconds, int scaleDownReplicas, int replicas, List<Integer> steps,
                             ConfigPlace stepsPlace, Duration readyTimeout, Duration readyPoll, Path previewRoutes,
                             AnalysisSettings analysis, int verifyRequests, String routerType, YamlNode router,
                             Path configDir, YamlNode node) {

    public RouterContext routerContext(java.util.Map<String, String> environment) {
        return new RouterContext(name, activeService, previewService, router, configDir, environment);
    }

    /** Where {@code field} (dotted, relative to the target, e.g. {@code router.backend}) is written. */
    public ConfigPlace place(String field) {
        YamlNode at = node;
        for (String key : field.split("\\.")) {
            YamlNode next = at.isMapping() ? at.get(key) : null;
            if (next == null) {
                return new ConfigPlace(at.file(), at.line(), at.path().isEmpty() ? field : at.path() + "." + key);
            }
            at = next;
        }
        return ConfigPlace.of(at);
    }

    public TargetSettings withSteps(List<Integer> next, ConfigPlace place) {
        return new TargetSettings(name, activeService, previewService, autoPromotionEnabled, scaleDownDelaySeconds,
                scaleDownReplicas, replicas, next, place, readyTimeout, readyPoll, previewRoutes, analysis,
                verifyRequests, routerType, router, configDir, node);
    }

    public TargetSettings withPreviewRoutes(Path routes) {
        return new TargetSettings(name, activeService, previewService, autoPromotionEnabled, scaleDownDelaySeconds,
                scaleDownReplicas, replicas, steps, stepsPlace, readyTimeout, readyPoll, routes, analysis,
                verifyRequests, routerType, router, configDir, node);
    }

    public TargetSettings withAnalysis(AnalysisSettings next) {
        return new TargetSettings(name, activeService, previewService, autoPromotionEnabled, scaleDownDelaySeconds,
                scaleDownReplicas, replicas, steps, stepsPlace, readyTimeout, readyPoll, previewRoutes, next,
                verifyRequests, routerType, router, configDir, node);
    }
}
