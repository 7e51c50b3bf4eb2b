package io.deployflow.decision;

import io.deployflow.core.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The record the team fills in after deciding not to release (S0: "the Team needs to come together and evaluate
 * what went wrong and how to avoid that"). The template is the shared library's
 * {@code resources/io/deployflow/templates/retrospective.md}, so a team can read what it will get; placeholders are
 * {@code {{name}}}.
 */
final class Retrospective {
    static final String TEMPLATE = "/io/deployflow/templates/retrospective.md";

    private Retrospective() {
    }

    static String render(Map<String, String> values) {
        String text;
        try (InputStream in = Retrospective.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("template missing from the jar: " + TEMPLATE);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        return text;
    }

    /** Writes a new {@code <base>.md} (or {@code <base>-2.md}, ...): an earlier retrospective is never overwritten. */
    static Path write(Path dir, String base, String text) {
        try {
            Files.createDirectories(dir);
            for (int n = 1; ; n++) {
                Path file = dir.resolve(base + (n == 1 ? "" : "-" + n) + ".md");
                try {
                    Files.writeString(file, text, StandardOpenOption.CREATE_NEW);
                    return file;
                } catch (FileAlreadyExistsException e) {
                    // taken by an earlier decision the same day: try the next number
                }
            }
        } catch (IOException e) {
            throw new BadInputException(dir.toString(), 0, "decision.retrospectiveDir", "cannot write the"
                    + " retrospective: " + e.getMessage());
        }
    }
}
