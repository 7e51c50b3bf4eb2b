package io.deployflow.release;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the example configuration a release's README must contain (S0 "Documentation": "an exemplary configuration
 * and an explanation for the configuration options"): a non-empty fenced code block that is either marked as a
 * configuration language ({@code yaml}, {@code yml}, {@code json}, {@code env}, {@code dotenv}, {@code properties},
 * {@code toml}, {@code ini}) or sits under a heading whose text contains "configuration".
 */
public final class ReadmeExample {
    static final Set<String> CONFIG_LANGUAGES = Set.of("yaml", "yml", "json", "env", "dotenv", "properties",
            "toml", "ini");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*)$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*)?.*$");

    private ReadmeExample() {
    }

    /** Where the first example configuration block starts, described for a person; empty when there is none. */
    public static Optional<String> find(String markdown) {
        String[] lines = markdown.split("\\R", -1);
        String heading = "";
        for (int i = 0; i < lines.length; i++) {
            Matcher h = HEADING.matcher(lines[i]);
            if (h.matches()) {
                heading = h.group(1).trim();
                continue;
            }
            Matcher fence = FENCE.matcher(lines[i]);
            if (!fence.matches()) {
                continue;
            }
            String marker = fence.group(1);
            String info = fence.group(2) == null ? "" : fence.group(2).toLowerCase(Locale.ROOT);
            int start = i;
            boolean content = false;
            for (i++; i < lines.length && !closes(lines[i], marker); i++) {
                content |= !lines[i].isBlank();
            }
            boolean configLanguage = CONFIG_LANGUAGES.contains(info);
            boolean configSection = heading.toLowerCase(Locale.ROOT).contains("configuration");
            if (content && (configLanguage || configSection)) {
                return Optional.of((info.isEmpty() ? "code" : info) + " block at line " + (start + 1)
                        + (configSection ? " under '" + heading + "'" : ""));
            }
        }
        return Optional.empty();
    }

    private static boolean closes(String line, String marker) {
        String trimmed = line.strip();
        return trimmed.startsWith(marker) && trimmed.chars().allMatch(c -> c == marker.charAt(0));
    }
}
