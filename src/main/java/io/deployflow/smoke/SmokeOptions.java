package io.deployflow.smoke;

import java.time.Duration;

/**
 * How a smoke run behaves.
 *
 * @param concurrency  routes in flight at once; bounded so a small test stack is not flooded
 * @param readyTimeout how long to wait for the service to answer at all before counting failures
 * @param routeTimeout the time one route may take when the routes file sets none for it
 */
public record SmokeOptions(int concurrency, Duration readyTimeout, Duration routeTimeout) {
    public SmokeOptions {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        if (readyTimeout.isNegative() || routeTimeout.isNegative() || routeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static SmokeOptions defaults() {
        return new SmokeOptions(16, Duration.ofSeconds(120), Duration.ofSeconds(10));
    }
}
