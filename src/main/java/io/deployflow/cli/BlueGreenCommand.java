package io.deployflow.cli;

import io.deployflow.bluegreen.Actor;
import io.deployflow.bluegreen.BlueGreenSection;
import io.deployflow.bluegreen.PhaseResult;
import io.deployflow.bluegreen.PreviewCheck;
import io.deployflow.bluegreen.PrometheusStepAnalysis;
import io.deployflow.bluegreen.RolloutEngine;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.RouterTypes;
import io.deployflow.bluegreen.SmokePreviewCheck;
import io.deployflow.bluegreen.StepAnalysis;
import io.deployflow.bluegreen.TargetSettings;
import io.deployflow.bluegreen.analysis.AnalysisSettings;
import io.deployflow.bluegreen.analysis.Sleeper;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.ledger.Ledger;
import io.deployflow.smoke.RoutesFile;
import io.deployflow.smoke.SmokeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;

@Command(name = "bluegreen", mixinStandardHelpOptions = true,
        description = {"Blue/green rollout of a target from deployflow.yaml (blueGreen.targets), one phase per call:",
                "deploy -> analyze -> shift (10, 50, 100 %) -> promote -> cleanup; abort and rollback go back.",
                "The rollout's state and lock live in the target (next to HAProxy's configuration, or on the",
                "Kubernetes objects), so any agent can run the next phase after any restart; 'status' shows it.",
                "Exit 0 ok (or already done), 1 a check failed and the rollout was aborted (verified), 2 bad input",
                "or a phase out of order (nothing changed), 3 an outside system failed or an abort is not verified."},
        subcommands = {BlueGreenCommand.Deploy.class, BlueGreenCommand.Analyze.class, BlueGreenCommand.Shift.class,
                BlueGreenCommand.Promote.class, BlueGreenCommand.Cleanup.class, BlueGreenCommand.Abort.class,
                BlueGreenCommand.Rollback.class, BlueGreenCommand.Status.class})
final class BlueGreenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing phase: deploy, analyze, shift, promote, cleanup,"
                + " abort, rollback or status");
    }

    /** Options every phase shares. */
    static final class Common {
        @Mixin
        ConfigOption config;

        @Option(names = "--target", required = true, paramLabel = "NAME", description = "blueGreen.targets[].name")
        String target;

        @Option(names = "--id", paramLabel = "ID", description = "The rollout id (the library passes the build"
                + " tag). Later phases refuse to act on another rollout than this one.")
        String id;

        @Mixin
        JsonOption json;

        /** Everything that can be wrong in the files is found here, before the target is touched. */
        Phase open(Function<TargetSettings, TargetSettings> overrides, Path junit) {
            DeployflowConfig loaded = config.load();
            TargetSettings settings = overrides.apply(loaded.blueGreen().target(target, config.file));
            Map<String, String> env = System.getenv();
            PreviewCheck preview = null;
            if (settings.previewRoutes() != null) {
                preview = new SmokePreviewCheck(RoutesFile.load(settings.previewRoutes()), SmokeOptions.defaults(),
                        junit, Clock.systemUTC());
            }
            StepAnalysis analysis = null;
            AnalysisSettings metrics = settings.analysis();
            if (metrics != null) {
                if (metrics.bearerTokenEnv() != null && env.get(metrics.bearerTokenEnv()) == null) {
                    throw settings.place("analysis.bearerTokenEnv").error("the environment variable "
                            + metrics.bearerTokenEnv() + " is not set (bind it with withCredentials)");
                }
                analysis = new PrometheusStepAnalysis(metrics, env, Sleeper.REAL, Clock.systemUTC());
            }
            RolloutTarget rolloutTarget = RouterTypes.provider(settings.routerType())
                    .open(settings.routerContext(env));
            // each outcome goes into the team's deployment history as it happens; a ledger that cannot be
            // reached keeps it on this agent and never fails a phase whose work is done (Ledger.keep)
            RolloutEngine engine = new RolloutEngine(rolloutTarget, settings, preview, analysis,
                    Actor.fromEnvironment(env), Clock.systemUTC(), Sleeper.REAL)
                    .onOutcome(outcome -> Ledger.open(loaded).keep(outcome.ledgerType(), outcome.ledgerData()));
            return new Phase(engine, rolloutTarget);
        }

        Phase open() {
            return open(Function.identity(), null);
        }

        int finish(Phase phase, Function<RolloutEngine, PhaseResult> action) {
            try (RolloutTarget ignored = phase.target()) {
                PhaseResult result = action.apply(phase.engine());
                json.write(result);
                return result.exitCode();
            }
        }
    }

    record Phase(RolloutEngine engine, RolloutTarget target) {
    }

    /** {@code --analysis FILE}: the metric analysis from a file of its own (the library writes one). */
    static final class AnalysisOverride {
        @Option(names = "--analysis", paramLabel = "FILE", description = "Use this analysis (YAML or JSON: "
                + "prometheus, interval, count, failureLimit, metrics) instead of the target's; without "
                + "prometheus, the target's Prometheus is used.")
        Path file;

        TargetSettings apply(TargetSettings settings) {
            if (file == null) {
                return settings;
            }
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file.toString(), 0, "--analysis", "no such file");
            }
            return settings.withAnalysis(BlueGreenSection.analysis(YamlNode.parse(file), settings.analysis()));
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = {"Start the new colour beside the live one with the new image(s) and wait until every "
                    + "replica is ready with them (two looks in a row). Takes the target's lock.",
                    "Exit 1 if it never gets ready (the rollout is aborted, verified); 2 if another rollout holds"
                            + " the target."})
    static final class Deploy implements Callable<Integer> {
        private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)=(\\S+)");

        @Mixin
        Common common;

        @Mixin
        AnalysisOverride analysis;

        @Option(names = "--image", required = true, paramLabel = "[SERVICE=]IMAGE",
                description = "The new image; SERVICE=IMAGE per service when the colour runs several. Repeatable.")
        List<String> images;

        @Option(names = "--version", paramLabel = "V", description = "The version, for the deployment history.")
        String version;

        @Option(names = "--steps", split = ",", paramLabel = "W",
                description = "Traffic steps for this rollout instead of the target's, e.g. 10,50,100.")
        List<Integer> steps;

        @Override
        public Integer call() {
            Map<String, String> byService = images();
            List<Integer> plan = steps();
            Phase phase = common.open(analysis::apply, null);
            return common.finish(phase, engine -> engine.deploy(new RolloutEngine.DeployRequest(byService,
                    version, common.id, plan)));
        }

        private Map<String, String> images() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String image : images) {
                var named = NAMED.matcher(image);
                if (named.matches() && !named.group(1).contains("/") && !named.group(2).isEmpty()) {
                    out.put(named.group(1), named.group(2));
                } else if (images.size() == 1 && !image.isBlank() && !image.contains("=")) {
                    out.put(RolloutTarget.ANY_SERVICE, image);
                } else {
                    throw new BadInputException(null, 0, "--image", "'" + image + "': with several images name "
                            + "each one's service: --image web=acme/web:1.3.0");
                }
            }
            return out;
        }

        private List<Integer> steps() {
            if (steps == null || steps.isEmpty()) {
                return null;
            }
            List<Integer> checked = new ArrayList<>();
            for (Integer step : steps) {
                BlueGreenSection.checkStep(step, checked.isEmpty() ? null : checked.get(checked.size() - 1),
                        message -> new BadInputException(null, 0, "--steps", message));
                checked.add(step);
            }
            if (checked.get(checked.size() - 1) != 100) {
                throw new BadInputException(null, 0, "--steps", "the last step must be 100");
            }
            return checked;
        }
    }

    @Command(name = "analyze", mixinStandardHelpOptions = true,
            description = {"The pre-promotion analysis (prePromotionAnalysis): the smoke routes against the preview"
                    + " (the new colour only). Exit 1 if a route fails: the rollout is aborted, verified."})
    static final class Analyze implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--routes", paramLabel = "FILE", description = "Routes file instead of the target's "
                + "prePromotionAnalysis.routes.")
        Path routes;

        @Option(names = "--junit", paramLabel = "FILE", description = "Write the preview smoke as JUnit XML.")
        Path junit;

        @Override
        public Integer call() {
            Phase phase = common.open(s -> routes == null ? s : s.withPreviewRoutes(routes), junit);
            return common.finish(phase, engine -> engine.analyze(common.id));
        }
    }

    @Command(name = "shift", mixinStandardHelpOptions = true,
            description = {"Shift traffic to the new colour (--weight W, else the next step), read it back from the"
                    + " router, then run the analysis. Exit 1 if the analysis fails: aborted, verified.",
                    "The shift to 100 % promotes too when autoPromotionEnabled (default true)."})
    static final class Shift implements Callable<Integer> {
        @Mixin
        Common common;

        @Mixin
        AnalysisOverride analysis;

        @Option(names = "--weight", paramLabel = "W", description = "Percent of traffic on the new colour.")
        Integer weight;

        @Override
        public Integer call() {
            Phase phase = common.open(analysis::apply, null);
            return common.finish(phase, engine -> engine.shift(weight, common.id));
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "All traffic to the new colour, which becomes active; the old colour is kept at "
                    + "scaleDownReplicas for scaleDownDelaySeconds (then run cleanup).")
    static final class Promote implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() {
            return common.finish(common.open(), engine -> engine.promote(common.id));
        }
    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true,
            description = "After promotion: wait out scaleDownDelaySeconds, then scale the old colour to zero and "
                    + "release the target.")
    static final class Cleanup implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--now", description = "Do not wait for scaleDownDelaySeconds.")
        boolean now;

        @Override
        public Integer call() {
            return common.finish(common.open(), engine -> engine.cleanup(now, common.id));
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = {"Before promotion: traffic back to 100 % on the old colour, then the new colour to zero,"
                    + " verified by reading the router back and by requests that must land on the old colour.",
                    "Exit 3 if that cannot be verified (the rollout keeps the target; run abort again)."})
    static final class Abort implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the deployment history.")
        String reason;

        @Override
        public Integer call() {
            return common.finish(common.open(), engine -> engine.abort(reason, common.id));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "After promotion, while the old colour still runs: back to it, with the abort's "
                    + "verification. Exit 1 when the old colour is already scaled down.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the deployment history.")
        String reason;

        @Override
        public Integer call() {
            return common.finish(common.open(), engine -> engine.rollback(reason, common.id));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Where the rollout stands: colours, images, live weights, phase, last analysis, lock and "
                    + "who did what.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() {
            return common.finish(common.open(), engine -> {
                PhaseResult result = engine.status();
                printHistory(result);
                return result;
            });
        }

        private static void printHistory(PhaseResult result) {
            if (result.state() == null) {
                return;
            }
            result.state().history().forEach(h -> io.deployflow.core.Progress.line("  " + h.at() + " " + h.by()
                    + " " + h.action() + " " + h.outcome() + ": " + h.detail()));
            if (result.readiness() != null) {
                result.readiness().forEach(r -> io.deployflow.core.Progress.line("  " + r.summary() + " "
                        + r.images()));
            }
        }
    }
}
