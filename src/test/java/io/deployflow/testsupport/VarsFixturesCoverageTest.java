package io.deployflow.testsupport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every step fixture is compared with the jar's output by some IT ({@code VarsFixtures.check} or
 * {@code checkText} naming it), or with the engine's own output by a {@code *FixturesTest} that names it as a string
 * (the blue/green phases, written by the rollout engine against its in-memory target), so no fixture written by hand
 * can drift from the engine unnoticed.
 */
class VarsFixturesCoverageTest {
    private static final Pattern CHECKED = Pattern.compile("VarsFixtures\\.check(?:Text)?\\(\\s*\"([^\"]+)\"");
    private static final Pattern NAMED = Pattern.compile("\"([a-z0-9-]+\\.(?:json|xml))\"");

    static Set<String> checkedIn(Path sources) throws IOException {
        Set<String> checked = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                Pattern pattern = name.endsWith("IT.java") ? CHECKED : name.endsWith("FixturesTest.java") ? NAMED
                        : null;
                if (pattern == null) {
                    continue;
                }
                Matcher m = pattern.matcher(Files.readString(file));
                while (m.find()) {
                    checked.add(m.group(1));
                }
            }
        }
        return checked;
    }

    @Test
    void everyFixtureIsWhatTheJarWrites() throws IOException {
        Set<String> fixtures = new TreeSet<>();
        try (Stream<Path> files = Files.list(VarsFixtures.DIR)) {
            files.forEach(f -> fixtures.add(f.getFileName().toString()));
        }
        Set<String> checked = checkedIn(VarsFixtures.DIR.getParent().getParent().resolve("java"));
        assertTrue(fixtures.size() >= 20, "the fixtures were found: " + fixtures);
        Set<String> unchecked = new TreeSet<>(fixtures);
        unchecked.removeAll(checked);
        assertEquals(Set.of(), unchecked, "fixtures no IT compares with the jar's output");
        Set<String> missing = new TreeSet<>(checked);
        missing.removeAll(fixtures);
        assertEquals(Set.of(), missing, "fixtures an IT checks but that are not committed");
    }

    @Test
    void aFixtureNoItChecksIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("SomeFixturesIT.java"), "VarsFixtures.check(\"a.json\", x, m);\n"
                + "VarsFixtures.checkText(\n        \"b.xml\", y, m);\n// plan.json is only mentioned\n");
        Files.writeString(dir.resolve("EngineFixturesTest.java"), "results.put(\"c.json\", r);\n");
        Files.writeString(dir.resolve("OtherTest.java"), "load(\"d.json\");\n");
        assertEquals(Set.of("a.json", "b.xml", "c.json"), checkedIn(dir),
                "a fixture only mentioned, or named by a test that does not write it, is not checked");
    }
}
