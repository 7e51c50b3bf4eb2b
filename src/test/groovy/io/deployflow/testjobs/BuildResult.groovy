package io.deployflow.testjobs

/** Jenkins' build results in its order (hudson.model.Result): a result only ever gets worse during a build. */
enum BuildResult {
    SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED

    static BuildResult of(Object name) {
        try {
            return valueOf(name.toString())
        } catch (IllegalArgumentException e) {
            throw new HarnessStop("'${name}' is not a build result (SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED)")
        }
    }

    BuildResult combine(BuildResult other) {
        return other == null || ordinal() >= other.ordinal() ? this : other
    }

    boolean isWorseThan(BuildResult other) {
        return ordinal() > other.ordinal()
    }
}
