package io.deployflow.bluegreen.analysis;

/** Prometheus answered that the query itself is wrong (400 bad_data, 422 execution): the user must fix it. */
public final class PrometheusRejectedException extends RuntimeException {
    public PrometheusRejectedException(String message) {
        super(message);
    }
}
