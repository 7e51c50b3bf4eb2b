package io.deployflow.cli;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.Suggest;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Json;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "smoke", mixinStandardHelpOptions = true,
        description = {"Test each route of a running stack with its one sample file.",
                "Waits until the service answers, then runs the routes concurrently.",
                "Exit 0 all passed, 1 a route failed, 2 bad routes file or option, 3 never ready."})
final class SmokeCommand implements Callable<Integer> {
    @Option(names = "--routes", required = true, paramLabel = "FILE", description = "The routes file (YAML).")
    Path routes;

    @Option(names = "--base-url", paramLabel = "URL", description = "Use this instead of the file's baseUrl.")
    String baseUrl;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML for Jenkins' junit step.")
    Path junit;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
            description = "Routes in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "120s",
            description = "How long to wait for the service to answer at all (default ${DEFAULT-VALUE}).")
    String readyTimeout;

    @Option(names = "--route-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time limit of a route that sets none itself (default ${DEFAULT-VALUE}).")
    String routeTimeout;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "plan.json of the release meeting: names the repo-person of a failing route's component.")
    Path plan;

    @Option(names = "--config", paramLabel = "FILE",
            description = "deployflow.yaml: every route's component must be one of its components.")
    Path config;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Json.prepareInBackground(); // expectations and answers are JSON trees; the routes file is read meanwhile
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
