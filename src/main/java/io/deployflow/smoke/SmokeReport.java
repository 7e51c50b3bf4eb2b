package io.deployflow.smoke;

import java.util.List;
import java.util.function.Function;

/** The results of one smoke run, in the routes file's order. */
public record SmokeReport(String baseUrl, long durationMillis, List<RouteResult> routes) {

    public boolean passed() {
        return routes.stream().allMatch(RouteResult::passed);
    }

    public List<RouteResult> failures() {
        return routes.stream().filter(r -> !r.passed()).toList();
    }

    /** Routes in all, passed and failed: for the JSON result and the summary line. */
    public record Counts(int total, int passed, int failed) {
    }

    public Counts counts() {
        int failed = failures().size();
        return new Counts(routes.size(), routes.size() - failed, failed);
    }

    /** The same report with each failed route's repo-person looked up by its component (null component too). */
    public SmokeReport attribute(Function<String, RepoPerson> repoPersonOfComponent) {
        return new SmokeReport(baseUrl, durationMillis, routes.stream()
                .map(r -> r.passed() ? r : r.attributedTo(repoPersonOfComponent.apply(r.component())))
                .toList());
    }
}
