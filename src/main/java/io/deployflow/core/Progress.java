package io.deployflow.core;

/** Human progress: one line per unit of work, on stderr so stdout and --json stay machine-readable. */
public final class Progress {
    private Progress() {
    }

    public static synchronized void line(String message) {
        System.err.println(message);
    }
}
