package io.deployflow.portainer;

import io.deployflow.smoke.RouteResult;
import io.deployflow.smoke.RoutesFile;
import io.deployflow.smoke.ServiceNotReadyException;
import io.deployflow.smoke.SmokeOptions;
import io.deployflow.smoke.SmokeReport;
import io.deployflow.smoke.SmokeRunner;

/** The customer's smoke routes as the check of a deployed stack; the same routes verify a rollback. */
public final class SmokeRoutesCheck implements DeploymentCheck {
    private final RoutesFile routes;
    private final SmokeOptions options;

    public SmokeRoutesCheck(RoutesFile routes, SmokeOptions options) {
        this.routes = routes;
        this.options = options;
    }

    @Override
    public Outcome run(String baseUrl) {
        SmokeReport report;
        try {
            report = new SmokeRunner(options).run(routes, baseUrl);
        } catch (ServiceNotReadyException e) {
            return new Outcome(false, e.getMessage(), java.util.List.of(e.getMessage()));
        }
        return new Outcome(report.passed(), report.counts().passed() + " of " + report.counts().total()
                + " routes passed at " + report.baseUrl(), report.failures().stream()
                .map(SmokeRoutesCheck::describe).toList());
    }

    private static String describe(RouteResult r) {
        return r.name() + " (" + r.method() + " " + r.url() + "): " + r.message();
    }
}
