package io.deployflow.bluegreen;

import io.deployflow.bluegreen.analysis.AnalysisSettings;
import io.deployflow.bluegreen.analysis.Condition;
import io.deployflow.bluegreen.analysis.ConditionSyntaxException;
import io.deployflow.bluegreen.analysis.ConfigPlace;
import io.deployflow.bluegreen.analysis.MetricSpec;
import io.deployflow.config.Suggest;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.smoke.DurationText;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code blueGreen} section of deployflow.yaml. Everything is checked here, with file, line and field, before
 * any phase runs: steps, durations, conditions (parsed), the router section (by its provider). What needs the live
 * systems (a backend that does not exist, a query Prometheus rejects) is checked by the phase before it changes
 * anything.
 */
public record BlueGreenSection(List<TargetSettings> targets) {
    static final List<String> KEYS = List.of("targets");
    static final List<String> TARGET_KEYS = List.of("name", "activeService", "previewService",
            "autoPromotionEnabled", "scaleDownDelaySeconds", "scaleDownReplicas", "replicas", "steps",
            "readyTimeoutSeconds", "readyPollSeconds", "prePromotionAnalysis", "analysis", "verifyRequests",
            "router");
    static final List<String> PRE_PROMOTION_KEYS = List.of("routes");
    static final List<String> ANALYSIS_KEYS = List.of("prometheus", "bearerTokenEnv", "interval", "count",
            "failureLimit", "metrics");
    static final List<String> METRIC_KEYS = List.of("name", "query", "successCondition", "failureCondition",
            "interval", "count", "failureLimit");
    public static final List<Integer> DEFAULT_STEPS = List.of(10, 50, 100);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern URL = Pattern.compile("https?://\\S+");

    public static BlueGreenSection none() {
        return new BlueGreenSection(List.of());
    }

    /** Reads every target on its own, so a config with problems in two targets reports both (see ConfigLoader). */
    public static BlueGreenSection from(YamlNode node, Path configDir) {
        node.allowOnly(KEYS);
        List<TargetSettings> targets = node.each("targets", item -> target(item, configDir));
        Map<String, TargetSettings> seen = new HashMap<>();
        for (TargetSettings target : targets) {
            TargetSettings first = seen.putIfAbsent(target.name(), target);
            if (first != null) {
                throw target.node().require("name").error("duplicate name '" + target.name()
                        + "', already used by " + first.node().path());
            }
        }
        return new BlueGreenSection(List.copyOf(targets));
    }

    /** The target named {@code name}; an unknown one is bad input naming the known ones. */
    public TargetSettings target(String name, Path configFile) {
        for (TargetSettings target : targets) {
            if (target.name().equals(name)) {
                return target;
            }
        }
        List<String> known = targets.stream().map(TargetSettings::name).toList();
        String nearest = Suggest.nearest(name, known);
        throw new BadInputException(configFile.toString(), 0, "blueGreen.targets", "no target named '" + name + "'"
                + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                + (known.isEmpty() ? " (the file has no blueGreen.targets)" : " Known: " + String.join(", ", known)));
    }

    static TargetSettings target(YamlNode node, Path configDir) {
        node.allowOnly(TARGET_KEYS);
        String name = node.matching("name", null, NAME, "lowercase letters, digits, . _ -");
        if (name == null) {
            node.require("name");
        }
        String active = node.string("activeService");
        String preview = node.string("previewService", null);
        int replicas = node.integer("replicas", 1, 1, 1000);
        int scaleDownReplicas = node.integer("scaleDownReplicas", 1, 0, 1000);
        List<Integer> steps = node.has("steps") ? steps(node.require("steps")) : DEFAULT_STEPS;
        ConfigPlace stepsPlace = ConfigPlace.of(node.has("steps") ? node.require("steps") : node);
        Path routes = null;
        YamlNode pre = node.get("prePromotionAnalysis");
        if (pre != null) {
            pre.allowOnly(PRE_PROMOTION_KEYS);
            routes = configDir.resolve(pre.string("routes")).normalize();
        }
        AnalysisSettings analysis = node.has("analysis") ? analysis(node.require("analysis")) : null;
        YamlNode router = node.require("router");
        String type = router.string("type");
        RolloutTargetProvider provider = RouterTypes.provider(type);
        if (provider == null) {
            String nearest = Suggest.nearest(type, RouterTypes.all().keySet());
            throw router.require("type").error("unknown router type '" + type + "'"
                    + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                    + " Known: " + String.join(", ", RouterTypes.all().keySet()));
        }
        List<String> routerKeys = new ArrayList<>(provider.keys());
        routerKeys.add(0, "type");
        router.allowOnly(routerKeys);
        TargetSettings settings = new TargetSettings(name, active, preview, node.bool("autoPromotionEnabled", true),
                node.integer("scaleDownDelaySeconds", 30, 0, 7 * 24 * 3600), scaleDownReplicas, replicas, steps,
                stepsPlace, Duration.ofSeconds(node.integer("readyTimeoutSeconds", 300, 1, 24 * 3600)),
                Duration.ofSeconds(node.integer("readyPollSeconds", 2, 1, 600)), routes, analysis,
                node.integer("verifyRequests", 10, 1, 1000), type, router, configDir, node);
        provider.validate(settings.routerContext(Map.of()));
        return settings;
    }

    /** Steps: whole percentages, strictly increasing, the last one 100 (a rollout ends with all traffic). */
    public static List<Integer> steps(YamlNode node) {
        List<Integer> steps = new ArrayList<>();
        List<YamlNode> items = node.items();
        if (items.isEmpty()) {
            throw node.error("lists no steps; use e.g. [10, 50, 100], or [100] for an all-at-once switch");
        }
        for (YamlNode item : items) {
            int weight;
            try {
                weight = Integer.parseInt(item.asString());
            } catch (NumberFormatException e) {
                throw item.error("'" + item.asString() + "' is not a whole percentage");
            }
            checkStep(weight, steps.isEmpty() ? null : steps.get(steps.size() - 1), item::error);
            steps.add(weight);
        }
        if (steps.get(steps.size() - 1) != 100) {
            throw items.get(items.size() - 1).error("the last step is " + steps.get(steps.size() - 1)
                    + " %; a rollout ends with 100 % on the new colour, so end the steps with 100");
        }
        return List.copyOf(steps);
    }

    /** One rule for steps in the file, in {@code --steps} and in {@code shift --weight}. */
    public static void checkStep(int weight, Integer previous, java.util.function.Function<String, BadInputException> error) {
        if (weight < 1 || weight > 100) {
            throw error.apply("a weight is a percentage from 1 to 100, not " + weight);
        }
        if (previous != null && weight <= previous) {
            throw error.apply("steps must increase: " + weight + " % comes after " + previous + " %");
        }
    }

    static AnalysisSettings analysis(YamlNode node) {
        return analysis(node, null);
    }

    /**
     * An analysis section; with {@code inherit} (the target's own analysis), a section without {@code prometheus}
     * uses the target's Prometheus and token variable, so a pipeline can pass just its metrics.
     */
    public static AnalysisSettings analysis(YamlNode node, AnalysisSettings inherit) {
        node.allowOnly(ANALYSIS_KEYS);
        String address = node.matching("prometheus", null, URL, "Prometheus' http(s) URL, e.g. http://prometheus:9090");
        String tokenEnv = node.matching("bearerTokenEnv", null, ENV_NAME, "an environment variable name");
        if (address == null && inherit != null) {
            address = inherit.prometheus().toString();
            tokenEnv = tokenEnv != null ? tokenEnv : inherit.bearerTokenEnv();
        }
        if (address == null) {
            node.require("prometheus");
        }
        Duration interval = duration(node, "interval", Duration.ofSeconds(30));
        int count = node.integer("count", 3, 1, 1000);
        int failureLimit = node.integer("failureLimit", 0, 0, 1000);
        List<YamlNode> items = node.require("metrics").items();
        if (items.isEmpty()) {
            throw node.require("metrics").error("lists no metrics; an analysis needs at least one");
        }
        List<MetricSpec> metrics = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            MetricSpec metric = metric(item, interval, count, failureLimit, node);
            Integer first = names.putIfAbsent(metric.name(), i);
            if (first != null) {
                throw item.require("name").error("duplicate metric name '" + metric.name() + "'");
            }
            metrics.add(metric);
        }
        return new AnalysisSettings(URI.create(address), tokenEnv, metrics);
    }

    private static MetricSpec metric(YamlNode node, Duration interval, int count, int failureLimit,
                                     YamlNode analysis) {
        node.allowOnly(METRIC_KEYS);
        String name = node.matching("name", null, NAME, "lowercase letters, digits, . _ -");
        if (name == null) {
            node.require("name");
        }
        YamlNode query = node.require("query");
        if (query.asString().isBlank()) {
            throw query.error("the query is empty");
        }
        Condition success = condition(node.require("successCondition"));
        Condition failure = node.has("failureCondition") ? condition(node.require("failureCondition")) : null;
        int metricCount = node.integer("count", count, 1, 1000);
        int limit = node.integer("failureLimit", failureLimit, 0, 1000);
        if (limit >= metricCount) {
            YamlNode at = node.has("failureLimit") ? node.require("failureLimit")
                    : analysis.has("failureLimit") ? analysis.require("failureLimit") : node;
            throw at.error("failureLimit " + limit + " allows every one of the " + metricCount
                    + " measurements to fail, so the analysis could never fail; use at most " + (metricCount - 1));
        }
        return new MetricSpec(name, query.asString(), success, failure, duration(node, "interval", interval),
                metricCount, limit, ConfigPlace.of(query));
    }

    private static Condition condition(YamlNode node) {
        try {
            return Condition.parse(node.asString());
        } catch (ConditionSyntaxException e) {
            throw node.error("the condition '" + node.asString() + "' does not parse: " + e.getMessage());
        }
    }

    private static Duration duration(YamlNode node, String key, Duration fallback) {
        YamlNode value = node.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            Duration parsed = DurationText.parse(value.asString());
            if (parsed.isZero()) {
                throw value.error("must be longer than zero");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw value.error(e.getMessage());
        }
    }
}
