package io.deployflow.promotion;

/**
 * One criterion of a promotion and how it stands.
 *
 * @param name   previous-environment, approval:&lt;task&gt;, release-notes, training, no-open-sev1, freeze,
 *               deployment-hours, override
 * @param status PASS, FAIL, WAIVED (does not apply to this lane) or OVERRIDDEN (failed, let past by an approved
 *               emergency override)
 * @param detail what the ledger or the calendar shows, in one line
 */
public record Criterion(String name, String status, String detail) {
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String WAIVED = "WAIVED";
    public static final String OVERRIDDEN = "OVERRIDDEN";

    static Criterion pass(String name, String detail) {
        return new Criterion(name, PASS, detail);
    }

    static Criterion fail(String name, String detail) {
        return new Criterion(name, FAIL, detail);
    }

    static Criterion waived(String name, String detail) {
        return new Criterion(name, WAIVED, detail);
    }

    public boolean failed() {
        return FAIL.equals(status);
    }

    Criterion overridden() {
        return new Criterion(name, OVERRIDDEN, detail);
    }

    /** "  PASS  previous-environment: 1.3.0 passed SIT (#12, 2026-11-20 10:02 UTC)". */
    public String line() {
        return String.format("  %-10s %s: %s", status, name, detail);
    }
}
