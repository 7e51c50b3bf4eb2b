package io.deployflow.portainer;

import java.time.Duration;

/**
 * How patiently deployflow talks to Portainer. Retries cover 5xx, 409 (a deploy is already running) and timeouts,
 * with exponential backoff up to {@code maxDelay}. A deploying PUT can take minutes on Portainer versions that
 * deploy synchronously (image pulls), hence its own timeout. Tests pass short values.
 */
public record Timings(int attempts, Duration firstDelay, Duration maxDelay, Duration readTimeout,
                      Duration writeTimeout, Duration pollInterval) {
    public static Timings defaults() {
        return new Timings(6, Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofSeconds(3));
    }

    Duration delayBefore(int attempt) {
        long millis = firstDelay.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
}
