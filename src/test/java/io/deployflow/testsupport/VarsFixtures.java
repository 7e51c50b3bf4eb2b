package io.deployflow.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step tests' fixtures (src/test/resources/vars-fixtures) are what the shaded jar writes: an IT runs the jar on
 * a scenario and {@link #check} compares the fixture with that output, so a change in the engine's JSON fails the
 * build until the fixture (and the step tests that read it) follow. Values that differ from run to run are
 * normalised first: given replacements (temp dirs, ports, URLs), durations, timestamps and commit ids.
 * {@code -Ddeployflow.updateFixtures=true} writes the fixtures instead of comparing them.
 */
public final class VarsFixtures {
    public static final Path DIR = Path.of(System.getProperty("deployflow.projectDir", System.getProperty("user.dir")))
            .resolve("src/test/resources/vars-fixtures");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A point in time as the engine writes it (decidedAt, startedAt...), whatever the field is called. */
    private static final java.util.regex.Pattern INSTANT =
            java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

    private VarsFixtures() {
    }

    /** What one run of the jar did. */
    public record Run(int exitCode, String output) {
    }

    /** Runs {@code java -jar deployflow.jar args...} in {@code dir} with {@code env} added. */
    public static Run jar(Path dir, Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>(List.of("java", "-jar", System.getProperty("deployflow.jar")));
        command.addAll(args);
        try {
            Path log = Files.createTempFile(dir, "jar", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the jar finished: " + command);
            return new Run(process.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compares vars-fixtures/{@code name} with the JSON the jar wrote to {@code written}, after normalising it.
     * @param replacements literal text → what the fixture shows instead (longest first)
     */
    public static void check(String name, Path written, Map<String, String> replacements) {
        check(name, written, replacements, tree -> { });
    }

    /**
     * As {@link #check(String, Path, Map)}, with {@code settle} fixing what else a scenario cannot hold still
     * (how often a peer did something in the time it had), applied to the JSON tree before the comparison.
     */
    public static void check(String name, Path written, Map<String, String> replacements,
                             java.util.function.Consumer<JsonNode> settle) {
        try {
            compareOrUpdate(name, normalise(Files.readString(written, StandardCharsets.UTF_8), replacements, settle));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #check} for a text file (JUnit XML): replacements, times (time="…") and commit ids. */
    public static void checkText(String name, Path written, Map<String, String> replacements) {
        try {
            String actual = commitIds(replace(Files.readString(written, StandardCharsets.UTF_8), replacements)
                    .replaceAll("time=\"[0-9.]+\"", "time=\"0.042\"")
                    .replaceAll("timestamp=\"[^\"]+\"", "timestamp=\"2026-11-23T10:00:00\""));
            compareOrUpdate(name, actual);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compareOrUpdate(String name, String actual) throws IOException {
        Path fixture = DIR.resolve(name);
        if (Boolean.getBoolean("deployflow.updateFixtures")) {
            Files.writeString(fixture, actual);
            return;
        }
        String expected = Files.exists(fixture) ? Files.readString(fixture) : "(missing)";
        assertEquals(expected, actual, "vars-fixtures/" + name + " is not what the jar writes. If the engine's"
                + " output changed on purpose, rewrite the fixtures with -Ddeployflow.updateFixtures=true and make"
                + " the step tests that read it follow");
    }

    private static String replace(String text, Map<String, String> replacements) {
        List<Map.Entry<String, String>> ordered = new ArrayList<>(replacements.entrySet());
        ordered.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        for (Map.Entry<String, String> r : ordered) {
            text = text.replace(r.getKey(), r.getValue());
        }
        return text;
    }

    static String normalise(String text, Map<String, String> replacements) throws IOException {
        return normalise(text, replacements, tree -> { });
    }

    private static String normalise(String text, Map<String, String> replacements,
                                    java.util.function.Consumer<JsonNode> settle) throws IOException {
        JsonNode tree = JSON.readTree(replace(text, replacements));
        settle.accept(tree);
        stabilise(tree, null);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
    }

    /** Durations, times (timestamp, time, any ISO instant) and commit ids: fixed values of the same type, so the fixture shows their shape. */
    private static void stabilise(JsonNode node, String key) {
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> replaced = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String k = field.getKey();
                JsonNode value = field.getValue();
                if (value.isNumber() && k.toLowerCase().startsWith("duration")) {
                    replaced.put(k, IntNode.valueOf(42));
                } else if (value.isTextual() && k.equals("validatorVersion")) {
                    // the docker-compose this machine has installed, not something the engine decides
                    replaced.put(k, TextNode.valueOf("1.29.2"));
                } else if (value.isTextual() && (k.equals("timestamp") || k.equals("time")
                        || INSTANT.matcher(value.asText()).matches())) {
                    replaced.put(k, TextNode.valueOf("2026-11-23T10:00:00Z"));
                } else if (value.isTextual()) {
                    replaced.put(k, TextNode.valueOf(commitIds(value.asText())));
                } else {
                    stabilise(value, k);
                }
            }
            replaced.forEach(object::set);
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(commitIds(array.get(i).asText())));
                } else {
                    stabilise(array.get(i), key);
                }
            }
        }
    }

    /**
     * A commit id (or a container or image id) becomes as many zeros: 7 to 64 hex digits with a letter and a digit,
     * or an id that happens to be all digits in the lengths the engine prints (10, abbreviated, and 40).
     */
    static String commitIds(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\\b(?:(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,64}|[0-9]{10}|[0-9]{40})\\b").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, "0".repeat(m.group().length()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
