package io.deployflow.bluegreen.analysis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "result < 0.01                         # 0.005      # true",
            "result < 0.01                         # 0.02       # false",
            "result[0] >= 0.95                     # 0.97       # true",
            "result[1] > 2                         # 1;3        # true",
            "len(result) == 2 && result[0] < 1     # 0.5;7      # true",
            "result <= 0.5 || result > 10          # 11         # true",
            "!(result > 1)                         # 0.5        # true",
            "not result > 1                        # 2          # false",
            "result > 1 and result < 3             # 2          # true",
            "result * 100 - 1 < 2                  # 0.02       # true",
            "abs(result) < 1e-3                    # -0.0001    # true",
            "result / 2 == 0.25                    # 0.5        # true",
            "-result > 0                           # -3         # true",
            "true                                  # 1          # true",
    })
    void evaluatesArgoStyleExpressions(String text, String samples, boolean expected) {
        List<Double> values = java.util.Arrays.stream(samples.split(";")).map(Double::valueOf).toList();
        assertEquals(expected, Condition.parse(text).test(values), text);
    }

    @Test
    void nanNeverPassesAComparisonButCanBeAcceptedExplicitly() {
        List<Double> nan = List.of(Double.NaN);
        assertFalse(Condition.parse("result < 0.01").test(nan), "a rate over no traffic must not pass");
        assertTrue(Condition.parse("isNaN(result) || result < 0.01").test(nan));
        assertTrue(Condition.parse("isInf(result)").test(List.of(Double.POSITIVE_INFINITY)));
    }

    @Test
    void aMissingSampleIsAnErrorNotFalse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("result[2] < 1").test(List.of(0.1, 0.2)));
        assertTrue(e.getMessage().contains("returned 2 sample(s)"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', quoteCharacter = '"', value = {
            "result <                # 9  # ends too early",
            "result < 0.01 &&        # 17 # ends too early",
            "result + 1              # 1  # must be true or false",
            "(result < 1             # 12 # expected ')'",
            "resultt < 1             # 1  # unknown name 'resultt'",
            "len(3) > 1              # 5  # len(...) takes result only",
            "result < 1 && 2         # 15 # '&&' needs a boolean",
            "2 || result > 1         # 1  # '||' needs a boolean",
            "result < 0.0.1          # 10 # '0.0.1' is not a number",
            "result[] < 1            # 8  # expected a sample index",
            "result < 1 )            # 12 # unexpected ')'",
            "result < 1 $            # 12 # unexpected '$'",
    })
    void aConditionThatDoesNotParseNamesTheColumn(String text, int column, String message) {
        ConditionSyntaxException e = assertThrows(ConditionSyntaxException.class, () -> Condition.parse(text));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void anEmptyConditionIsRefused() {
        assertTrue(assertThrows(ConditionSyntaxException.class, () -> Condition.parse("  ")).getMessage()
                .contains("empty"));
    }
}
