package io.deployflow.release;

import java.util.List;

/** The result of {@code verify-release}: one named check per line, {@code passed} when none failed or erred. */
public record VerificationReport(String component, String version, String tag, boolean passed, List<Check> checks) {
    public enum Status { PASS, FAIL, SKIP, ERROR }

    /** {@code ERROR} means the check could not be made (a registry down); {@code SKIP} that it does not apply. */
    public record Check(String name, Status status, String detail) {
        @Override
        public String toString() {
            return status + " " + name + ": " + detail;
        }
    }

    public boolean anyFailed() {
        return checks.stream().anyMatch(c -> c.status() == Status.FAIL);
    }

    public boolean anyError() {
        return checks.stream().anyMatch(c -> c.status() == Status.ERROR);
    }
}
