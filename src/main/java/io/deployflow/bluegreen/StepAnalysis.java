package io.deployflow.bluegreen;

import java.util.Map;

/** The analysis after a traffic step (Prometheus metrics); see {@link io.deployflow.bluegreen.analysis.MetricAnalysis}. */
public interface StepAnalysis {
    /**
     * Before anything changes: a query the metric system rejects is bad input (BadInputException at its line);
     * when the metric system cannot be asked it throws OutsideSystemException.
     */
    void checkQueries(Map<String, String> values);

    /** Measures and decides; trouble with the metric system is a failed analysis, never an exception. */
    AnalysisRecord run(int weight, Map<String, String> values);
}
