package io.deployflow.cli;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.Suggest;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import io.deployflow.smoke.DurationText;
import io.deployflow.smoke.JUnitXml;
import io.deployflow.smoke.RepoPersons;
import io.deployflow.smoke.Route;
import io.deployflow.smoke.RoutesFile;
import io.deployflow.smoke.SmokeJson;
import io.deployflow.smoke.SmokeOptions;
import io.deployflow.smoke.SmokeReport;
import io.deployflow.smoke.SmokeRunner;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import static io.deployflow.cli.OptionsInCode.option;

/** {@code smoke}; its options are declared in code ({@link OptionsInCode}), as every deployment runs it. */
final class SmokeCommand implements Callable<Integer>, OptionsInCode.InCode {
    Path routes;
    String baseUrl;
    Path junit;
    int concurrency;
    String readyTimeout;
    String routeTimeout;
    Path plan;
    Path config;
    final JsonOption json = new JsonOption();

    @Override
    public CommandSpec spec() {
        CommandSpec spec = OptionsInCode.command(this, "smoke",
                "Test each route of a running stack with its one sample file.",
                "Waits until the service answers, then runs the routes concurrently.",
                "Exit 0 all passed, 1 a route failed, 2 bad routes file or option, 3 never ready.");
        spec.addOption(option("--routes", Path.class, "FILE", v -> routes = (Path) v, "The routes file (YAML).")
                .required(true).build());
        spec.addOption(option("--base-url", String.class, "URL", v -> baseUrl = (String) v,
                "Use this instead of the file's baseUrl.").build());
        spec.addOption(option("--junit", Path.class, "FILE", v -> junit = (Path) v,
                "Write JUnit XML for Jenkins' junit step.").build());
        spec.addOption(option("--concurrency", int.class, "N", v -> concurrency = (Integer) v,
                "Routes in flight at once (default ${DEFAULT-VALUE}).").defaultValue("16").build());
        spec.addOption(option("--ready-timeout", String.class, "DURATION", v -> readyTimeout = (String) v,
                "How long to wait for the service to answer at all (default ${DEFAULT-VALUE}).")
                .defaultValue("120s").build());
        spec.addOption(option("--route-timeout", String.class, "DURATION", v -> routeTimeout = (String) v,
                "Time limit of a route that sets none itself (default ${DEFAULT-VALUE}).").defaultValue("10s")
                .build());
        spec.addOption(option("--plan", Path.class, "FILE", v -> plan = (Path) v,
                "plan.json of the release meeting: names the repo-person of a failing route's component.").build());
        spec.addOption(option("--config", Path.class, "FILE", v -> config = (Path) v,
                "deployflow.yaml: every route's component must be one of its components.").build());
        spec.addOption(json.inCode());
        return spec;
    }

    @Override
    public Integer call() {
        if (concurrency < 1 || concurrency > 1024) {
            throw new BadInputException(null, 0, "--concurrency", "must be between 1 and 1024, not " + concurrency);
        }
        SmokeOptions options = new SmokeOptions(concurrency, duration("--ready-timeout", readyTimeout),
                duration("--route-timeout", routeTimeout));
        RoutesFile file = RoutesFile.load(routes);
        if (config != null) {
            checkComponents(file, ConfigLoader.load(config));
        }
        RepoPersons persons = plan == null ? RepoPersons.none() : RepoPersons.fromPlan(plan);
        SmokeReport report = new SmokeRunner(options).run(file, baseUrl).attribute(persons);
        if (junit != null) {
            JUnitXml.write(junit, report);
        }
        json.write(out -> SmokeJson.write(out, report));
        Progress.line((report.passed() ? "smoke passed: " : "smoke FAILED: ") + report.counts().passed() + " of "
                + report.counts().total() + " routes passed in " + report.durationMillis() + "ms");
        report.failures().forEach(f -> Progress.line("  " + f.name() + " (component "
                + (f.component() == null ? "none" : f.component()) + ", repo-person " + f.repoPerson().name()
                + (f.repoPerson().email() == null ? "" : " <" + f.repoPerson().email() + ">") + ")"));
        return report.passed() ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }

    private static Duration duration(String option, String text) {
        try {
            Duration d = DurationText.parse(text);
            if (option.equals("--route-timeout") && d.isZero()) {
                throw new IllegalArgumentException("must be longer than zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(null, 0, option, e.getMessage());
        }
    }

    /** A typo in a component name would blame nobody when the route fails, so it is refused up front. */
    private static void checkComponents(RoutesFile file, DeployflowConfig config) {
        List<String> known = config.components().stream().map(c -> c.name()).toList();
        for (int i = 0; i < file.routes().size(); i++) {
            Route route = file.routes().get(i);
            if (route.component() != null && !known.contains(route.component())) {
                String nearest = Suggest.nearest(route.component(), known);
                // read again only to point at the exact line of the component field
                YamlNode field = YamlNode.parse(file.file()).require("routes").items().get(i).require("component");
                throw field.error("'" + route.component() + "' is not a component in " + config.file()
                                + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                                + " Known: " + String.join(", ", known));
            }
        }
    }
}
