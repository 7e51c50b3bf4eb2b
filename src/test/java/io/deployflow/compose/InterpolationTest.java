package io.deployflow.compose;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each operator of the compose specification's interpolation, set, empty and unset. */
class InterpolationTest {
    static final Map<String, String> VARS = new HashMap<>(Map.of("SET", "1.0", "EMPTY", ""));

    static String text(String value) {
        return Interpolation.resolve(value, VARS).text();
    }

    @Test
    void plainVariables() {
        assertEquals("x:1.0", text("x:${SET}"));
        assertEquals("x:1.0", text("x:$SET"));
        assertEquals("x:", text("x:${EMPTY}"));
    }

    @Test
    void defaults() {
        assertEquals("1.0", text("${SET:-9}"));
        assertEquals("9", text("${EMPTY:-9}"), ":- takes the default for an empty value");
        assertEquals("", text("${EMPTY-9}"), "- keeps an empty value");
        assertEquals("9", text("${UNSET-9}"));
        assertEquals("9", text("${UNSET:-9}"));
    }

    @Test
    void alternatives() {
        assertEquals("alt", text("${SET:+alt}"));
        assertEquals("", text("${EMPTY:+alt}"));
        assertEquals("alt", text("${EMPTY+alt}"));
        assertEquals("", text("${UNSET+alt}"));
    }

    @Test
    void requiredVariablesAreErrors() {
        Interpolation.Resolved r = Interpolation.resolve("x:${UNSET:?set the tag}", VARS);
        assertEquals(List.of("UNSET: set the tag"), r.errors());
        assertFalse(r.complete());
        assertEquals(List.of("EMPTY: required variable is not set"),
                Interpolation.resolve("${EMPTY:?}", VARS).errors());
        assertTrue(Interpolation.resolve("${EMPTY?}", VARS).errors().isEmpty(), "? accepts an empty value");
    }

    @Test
    void unsetVariablesAreEmptyAndNamed() {
        Interpolation.Resolved r = Interpolation.resolve("x:${UNSET}", VARS);
        assertEquals("x:", r.text());
        assertEquals(List.of("UNSET"), r.unset());
        assertTrue(r.values().containsKey("UNSET"));
        assertEquals(null, r.values().get("UNSET"));
    }

    @Test
    void doubleDollarIsALiteralDollar() {
        Interpolation.Resolved r = Interpolation.resolve("a$$b-$${SET}", VARS);
        assertEquals("a$b-${SET}", r.text());
        assertTrue(r.values().isEmpty());
    }
}
