package io.deployflow.bluegreen.analysis;

/** A condition that does not parse or is not a true/false expression; {@link #column()} is 1-based. */
public final class ConditionSyntaxException extends RuntimeException {
    private final int column;

    ConditionSyntaxException(int column, String message) {
        super("column " + column + ": " + message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
