package io.deployflow.bluegreen;

import com.fasterxml.jackson.core.type.TypeReference;
import io.deployflow.core.Json;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.smoke.JUnitXml;
import io.deployflow.smoke.RouteResult;
import io.deployflow.smoke.RoutesFile;
import io.deployflow.smoke.SmokeJson;
import io.deployflow.smoke.SmokeOptions;
import io.deployflow.smoke.SmokeReport;
import io.deployflow.smoke.SmokeRunner;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pre-promotion analysis: the team's smoke routes (the same routes.yaml and runner as {@code smoke}) against the
 * preview, which reaches the new colour only. JUnit XML goes where the pipeline's junit step reads it.
 */
public final class SmokePreviewCheck implements PreviewCheck {
    /** The phase result keeps the smoke report as the JSON the smoke command writes, as a plain map. */
    private static final TypeReference<Map<String, Object>> AS_MAP = new TypeReference<>() {
    };
    private final RoutesFile routes;
    private final SmokeOptions options;
    private final Path junit;
    private final Clock clock;

    /** @param junit where to write JUnit XML, or null */
    public SmokePreviewCheck(RoutesFile routes, SmokeOptions options, Path junit, Clock clock) {
        this.routes = routes;
        this.options = options;
        this.junit = junit;
        this.clock = clock;
    }

    @Override
    public Outcome run(URI previewUrl) {
        String base = previewUrl.toString().replaceAll("/+$", "");
        SmokeReport report;
        try {
            report = new SmokeRunner(options).run(routes, base);
        } catch (OutsideSystemException notReady) {
            return new Outcome(new AnalysisRecord("preview", 0, false, "the preview never answered: "
                    + notReady.getMessage(), clock.instant().toString(), List.of()), Map.of("passed", false,
                    "baseUrl", base, "error", notReady.getMessage()));
        }
        if (junit != null) {
            JUnitXml.write(junit, report);
        }
        List<String> lines = new ArrayList<>();
        for (RouteResult route : report.routes()) {
            lines.add(route.name() + ": " + (route.passed() ? "passed" : "FAILED " + route.message()));
        }
        int failed = report.failures().size();
        String summary = failed == 0 ? report.routes().size() + "/" + report.routes().size() + " routes passed"
                : failed + " of " + report.routes().size() + " routes failed: "
                + String.join(", ", report.failures().stream().map(RouteResult::name).toList());
        return new Outcome(new AnalysisRecord("preview", 0, report.passed(), summary, clock.instant().toString(),
                lines), Json.mapper().convertValue(SmokeJson.of(report), AS_MAP));
    }
}
