package io.deployflow.bluegreen.analysis;

import java.time.Duration;

/** Waiting, behind an interface so engine tests run without real time passing. */
public interface Sleeper {
    Sleeper REAL = duration -> {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    };

    void sleep(Duration duration);
}
