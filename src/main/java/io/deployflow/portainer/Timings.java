package io.deployflow.portainer;

import java.time.Duration;

/**
 * How patiently deployflow talks to Portainer. Reads are retried on 5xx, connection failures and timeouts, and a
 * write only while it cannot have reached Portainer, with exponential backoff up to {@code maxDelay}
 * ({@link PortainerClient}). A deploying PUT can take minutes on Portainer 2.19 to 2.39, which deploy inside the
 * request (image pulls), hence its own long timeout: a write that times out is never sent again. Tests pass short
 * values.
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
