package io.deployflow.smoke;

import java.util.List;

/** The shape of {@code smoke --json}: what dockerPrep, decision and people read back. */
public record SmokeJson(String baseUrl, boolean passed, SmokeReport.Counts counts, long durationMillis,
                        List<RouteResult> routes, List<RouteResult> failures) {

    public static SmokeJson of(SmokeReport report) {
        return new SmokeJson(report.baseUrl(), report.passed(), report.counts(), report.durationMillis(),
                report.routes(), report.failures());
    }
}
