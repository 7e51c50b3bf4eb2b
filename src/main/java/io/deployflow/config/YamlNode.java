package io.deployflow.config;

import io.deployflow.core.BadInputException;
import io.deployflow.core.InputProblemsException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A YAML node that knows its file, line and dotted field path, so every validation error can name all three.
 * Any YAML input of deployflow (config, routes) is read through this, rather than bound by reflection, because
 * the errors are the product here: each says where, and unknown keys suggest the nearest valid one.
 */
public final class YamlNode {
    private final String file;
    private final String path;
    private final Node node;
    /** Where unknown keys and failed list items go instead of stopping the read; null to throw at the first. */
    private final Problems problems;

    private YamlNode(String file, String path, Node node, Problems problems) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
    }

    /**
     * This node, and every node read from it, now reports unknown keys and failed list items ({@link #each}) to
     * {@code problems} and goes on, so a loader can report every problem of a file in one run. The caller must end
     * with {@link Problems#throwIfAny()}.
     */
    public YamlNode reportingTo(Problems problems) {
        return new YamlNode(file, path, node, problems);
    }

    /** Parses a whole file; a syntax error becomes a BadInputException at the parser's line. */
    public static YamlNode parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadInputException(file.toString(), 0, null, "cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    public static YamlNode parse(String fileName, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).setAllowDuplicateKeys(false).build();
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            Node root = composer.getSingleNode().orElse(null);
            if (root == null) {
                throw new BadInputException(fileName, 1, null, "the file is empty");
            }
            return new YamlNode(fileName, "", root, null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new BadInputException(fileName, line, null,
                    "malformed YAML: " + e.getProblem().trim());
        } catch (YamlEngineException e) {
            throw new BadInputException(fileName, 0, null, "malformed YAML: " + e.getMessage().trim());
        }
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    /** 1-based line where this node starts. */
    public int line() {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    public BadInputException error(String message) {
        return new BadInputException(file, line(), path, message);
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /** Entries of a mapping, in file order; a key written twice is refused. */
    public Map<String, YamlNode> entries() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping (key: value), not " + describe());
        }
        List<BadInputException> repeated = repeatedKeys(mapping);
        if (!repeated.isEmpty()) {
            throw repeated.get(0);
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw new YamlNode(file, path, tuple.getKeyNode(), problems).error("keys must be plain strings");
            }
            out.put(key.getValue(), new YamlNode(file, child(key.getValue()), tuple.getValueNode(), problems));
        }
        return out;
    }

    /**
     * snakeyaml-engine's composer keeps both entries of a key written twice, and {@link #get} would read the first
     * while a YAML loader takes the last; so each repeat is an error naming both lines.
     */
    private List<BadInputException> repeatedKeys(MappingNode mapping) {
        Map<String, Integer> firstLine = new HashMap<>();
        List<BadInputException> out = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key) {
                YamlNode keyNode = new YamlNode(file, child(key.getValue()), key, problems);
                Integer first = firstLine.putIfAbsent(key.getValue(), keyNode.line());
                if (first != null) {
                    out.add(keyNode.error("'" + key.getValue() + "' is written twice; the first is at line "
                            + first));
                }
            }
        }
        return out;
    }

    /**
     * Refuses every key that is not allowed, each naming the nearest allowed one. When reporting to
     * {@link Problems} they are recorded there and the read goes on (an unknown key is ignored); otherwise all of
     * them are thrown together.
     */
    public YamlNode allowOnly(Collection<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping (key: value), not " + describe());
        }
        List<BadInputException> unknown = new ArrayList<>(repeatedKeys(mapping));
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyScalar)) {
                unknown.add(new YamlNode(file, path, tuple.getKeyNode(), problems)
                        .error("keys must be plain strings"));
                continue;
            }
            String key = keyScalar.getValue();
            if (!allowed.contains(key)) {
                YamlNode keyNode = new YamlNode(file, child(key), tuple.getKeyNode(), problems);
                String nearest = Suggest.nearest(key, allowed);
                unknown.add(keyNode.error("unknown key '" + key + "'"
                        + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                        + " Valid keys: " + String.join(", ", allowed)));
            }
        }
        if (problems != null) {
            unknown.forEach(problems::add);
        } else if (unknown.size() == 1) {
            throw unknown.get(0);
        } else if (!unknown.isEmpty()) {
            unknown.sort(Comparator.comparingInt(BadInputException::line));
            throw new InputProblemsException(unknown);
        }
        return this;
    }

    public boolean has(String key) {
        return get(key) != null;
    }

    /** The child node, or null when absent or explicitly null. */
    public YamlNode get(String key) {
        NodeTuple tuple = tuple(key);
        if (tuple == null) {
            return null;
        }
        YamlNode value = new YamlNode(file, child(key), tuple.getValueNode(), problems);
        return value.isNull() ? null : value;
    }

    private NodeTuple tuple(String key) {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping (key: value), not " + describe());
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple;
            }
        }
        return null;
    }

    public YamlNode require(String key) {
        YamlNode value = get(key);
        if (value == null) {
            throw new BadInputException(file, line(), child(key), "missing required field '" + key + "'");
        }
        return value;
    }

    public String string(String key) {
        return require(key).asString();
    }

    public String string(String key, String fallback) {
        YamlNode value = get(key);
        return value == null ? fallback : value.asString();
    }

    public boolean bool(String key, boolean fallback) {
        YamlNode value = get(key);
        if (value == null) {
            return fallback;
        }
        String text = value.asString();
        if (!Set.of("true", "false").contains(text)) {
            throw value.error("must be true or false, not '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    public int integer(String key, int fallback, int min, int max) {
        YamlNode value = get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.asString());
            if (n < min || n > max) {
                throw value.error("must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw value.error("must be a whole number, not '" + value.asString() + "'");
        }
    }

    /** A string that must match a pattern; {@code what} explains the rule in the error. */
    public String matching(String key, String fallback, Pattern pattern, String what) {
        YamlNode value = get(key);
        if (value == null) {
            return fallback;
        }
        String text = value.asString();
        if (!pattern.matcher(text).matches()) {
            throw value.error("'" + text + "' is not valid: " + what);
        }
        return text;
    }

    public String asString() {
        if (!(node instanceof ScalarNode scalar)) {
            throw error("must be a single value, not " + describe());
        }
        return scalar.getValue();
    }

    /**
     * A scalar as the typed value YAML gives it: {@code 1} a number, {@code true} a boolean, {@code null} null, and
     * {@code "1"} (quoted) a string. For values compared with JSON, where that difference matters.
     */
    public Object typedValue() {
        asString();
        return new StandardConstructor(Construction.SETTINGS).constructSingleDocument(Optional.of(node));
    }

    /** Immutable, and each built anew cost a smoke run with 500 JSON expectations 500 schemas. */
    private static final class Construction {
        static final LoadSettings SETTINGS = LoadSettings.builder().build();
    }

    public List<YamlNode> items() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("must be a list, not " + describe());
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            out.add(new YamlNode(file, path + "[" + i + "]", sequence.getValue().get(i), problems));
        }
        return out;
    }

    /** A list under {@code key}, empty when absent. */
    public List<YamlNode> list(String key) {
        YamlNode value = get(key);
        return value == null ? List.of() : value.items();
    }

    /**
     * Reads each item of the list under {@code key} (empty when absent). When reporting to {@link Problems}, an
     * item the reader refuses is recorded and left out, and the next item is still read; otherwise the first
     * refusal is thrown.
     */
    public <T> List<T> each(String key, Function<YamlNode, T> reader) {
        List<T> out = new ArrayList<>();
        for (YamlNode item : list(key)) {
            T value = problems == null ? reader.apply(item) : problems.attempt(() -> reader.apply(item));
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    /**
     * The items of a list that must hold at least one; absent is "missing required field", and {@code key: []} or
     * {@code key:} with nothing is reported on its own line as empty, with {@code why} it may not be.
     */
    public List<YamlNode> requireItems(String key, String why) {
        NodeTuple tuple = tuple(key);
        if (tuple == null) {
            throw new BadInputException(file, line(), child(key), "missing required field '" + key + "'");
        }
        YamlNode value = new YamlNode(file, child(key), tuple.getValueNode(), problems);
        if (value.isNull()) {
            throw value.error("is empty; " + why);
        }
        List<YamlNode> items = value.isScalar() ? List.of(value) : value.items();
        if (items.isEmpty()) {
            throw value.error("is empty; " + why);
        }
        return items;
    }

    /** A list of strings; a single scalar is accepted as a one-element list. */
    public List<String> strings(String key) {
        YamlNode value = get(key);
        if (value == null) {
            return List.of();
        }
        if (value.isScalar()) {
            return List.of(value.asString());
        }
        return value.items().stream().map(YamlNode::asString).toList();
    }

    /** A flat string-to-string mapping, such as headers or environment variables. */
    public Map<String, String> stringMap(String key) {
        YamlNode value = get(key);
        if (value == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        value.entries().forEach((k, v) -> out.put(k, v.asString()));
        return out;
    }

    private boolean isNull() {
        return node instanceof ScalarNode scalar && node.getTag().getValue().endsWith(":null")
                && (scalar.getValue().isEmpty() || scalar.getValue().equals("null") || scalar.getValue().equals("~"));
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
