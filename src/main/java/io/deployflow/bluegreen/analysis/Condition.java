package io.deployflow.bluegreen.analysis;

import java.util.List;

/**
 * A parsed {@code successCondition} / {@code failureCondition}, in the expression style Argo Rollouts users write:
 * {@code result < 0.01}, {@code result[0] >= 0.95 && len(result) == 1}, {@code isNaN(result) || result < 0.5}.
 * <ul>
 *   <li>{@code result} is the query's value: the first sample of an instant vector, or the scalar;
 *       {@code result[i]} is the i-th sample, {@code len(result)} the number of samples;</li>
 *   <li>numbers, {@code true}/{@code false}, {@code + - * /}, {@code < <= > >= == !=},
 *       {@code && || !} (also {@code and or not}), parentheses;</li>
 *   <li>functions {@code isNaN(x)}, {@code isInf(x)}, {@code abs(x)}, {@code len(result)}.</li>
 * </ul>
 * A comparison with NaN is false, so a rate over no traffic fails {@code result < 0.01} unless the condition
 * accepts it explicitly with {@code isNaN(result)}: no data never passes by accident.
 */
public final class Condition {
    private final String text;
    private final ConditionParser.Node root;

    Condition(String text, ConditionParser.Node root) {
        this.text = text;
        this.root = root;
    }

    /** Parses and type-checks; a condition that is not a true/false expression is refused here. */
    public static Condition parse(String text) {
        return new ConditionParser(text).parseCondition();
    }

    public String text() {
        return text;
    }

    /**
     * Evaluates against the samples of one measurement.
     *
     * @throws IllegalArgumentException when the expression cannot be evaluated on these samples ({@code result[3]}
     *                                  of a two-sample vector); the measurement then counts as failed
     */
    public boolean test(List<Double> samples) {
        return (Boolean) root.eval(samples);
    }

    @Override
    public String toString() {
        return text;
    }
}
