package io.deployflow.bluegreen;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The two colours of a blue/green target. One serves production (active); the other is the next version. */
public enum Colour {
    BLUE, GREEN;

    public Colour other() {
        return this == BLUE ? GREEN : BLUE;
    }

    /** {@code blue} / {@code green}: how colours appear in config, state, stack names and messages. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Colour of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return label();
    }
}
