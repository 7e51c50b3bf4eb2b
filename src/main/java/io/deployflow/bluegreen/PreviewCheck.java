package io.deployflow.bluegreen;

import java.net.URI;
import java.util.Map;

/** The pre-promotion analysis: checks the new colour through its preview entry point only. */
public interface PreviewCheck {
    /**
     * @return the record (passed or not, one line per route) and a machine-readable report for the JSON result
     */
    Outcome run(URI previewUrl);

    record Outcome(AnalysisRecord record, Map<String, Object> report) {
    }
}
