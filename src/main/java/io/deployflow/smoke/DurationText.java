package io.deployflow.smoke;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in routes files and on the command line: {@code 500ms}, {@code 10s}, {@code 2m}. */
public final class DurationText {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)");
    public static final String EXPLAINED = "a whole number followed by ms, s or m, such as 500ms, 10s or 2m";

    private DurationText() {
    }

    /** @throws IllegalArgumentException naming the accepted format */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: " + EXPLAINED);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** The short form used in messages: {@code 10s}, {@code 250ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
