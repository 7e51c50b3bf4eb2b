package io.deployflow.smoke;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The results of one smoke run, in the routes file's order. */
public record SmokeReport(String baseUrl, long durationMillis, List<RouteResult> routes) {

    public boolean passed() {
        return routes.stream().allMatch(RouteResult::passed);
    }

    public List<RouteResult> failures() {
        return routes.stream().filter(r -> !r.passed()).toList();
    }

    /** total / passed / failed, for the JSON result and the summary line. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int failed = failures().size();
        counts.put("total", routes.size());
        counts.put("passed", routes.size() - failed);
        counts.put("failed", failed);
        return counts;
    }

    /** The same report with each failed route's repo-person looked up by its component (null component too). */
    public SmokeReport attribute(Function<String, RepoPerson> repoPersonOfComponent) {
        return new SmokeReport(baseUrl, durationMillis, routes.stream()
                .map(r -> r.passed() ? r : r.attributedTo(repoPersonOfComponent.apply(r.component())))
                .toList());
    }
}
