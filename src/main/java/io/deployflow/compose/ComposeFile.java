package io.deployflow.compose;

import io.deployflow.core.BadInputException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compose file read for editing: the exact text, and for every service its {@code image} scalar with the
 * character range of the value as written (inside its quotes). YAML nodes are only used to find those ranges;
 * the text itself is never re-serialised, so comments, key order, spacing and quoting survive untouched.
 * Anchored images and {@code <<: *base} merges resolve to the one scalar they share.
 */
final class ComposeFile {
    /**
     * A service's image value: its text and where that text sits in the file. {@code otherUses} names the places
     * other than a service's {@code image} that share the same scalar through an anchor (such as a label), which an
     * edit of the text would change too.
     */
    record ServiceImage(String service, String value, int valueStart, int line, List<String> otherUses) {
    }

    private final Path file;
    private final String text;
    private final List<ServiceImage> images;

    private ComposeFile(Path file, String text, List<ServiceImage> images) {
        this.file = file;
        this.text = text;
        this.images = images;
    }

    Path file() {
        return file;
    }

    String text() {
        return text;
    }

    List<ServiceImage> images() {
        return images;
    }

    /** Decodes strictly: a byte that is not UTF-8 would not survive a round trip, so it is refused. */
    static String decode(Path file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(file.toString(), 0, null, "is not UTF-8 text; refusing to edit it");
        }
    }

    static ComposeFile parse(Path file, String text) {
        // snakeyaml-engine marks count code points from after a byte order mark; offsets here are Java chars.
        int bom = text.startsWith("\uFEFF") ? 1 : 0;
        String yaml = text.substring(bom);
        CodePoints positions = new CodePoints(yaml, bom);
        // Stacks use `<<: *common` in every service; the composer shares aliased nodes rather than copying them,
        // so a generous alias limit costs nothing (the default of 50 refuses ordinary large files).
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false)
                .setCodePointLimit(Integer.MAX_VALUE).setMaxAliasesForCollections(10_000).build();
        Node root;
        try {
            root = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, yaml)))
                    .getSingleNode().orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new BadInputException(file.toString(), line, null, "malformed YAML: " + e.getProblem().trim());
        } catch (YamlEngineException e) {
            throw new BadInputException(file.toString(), 0, null, "malformed YAML: " + e.getMessage().trim());
        }
        DuplicateKeys.refuse(file, root);
        MappingNode services = root instanceof MappingNode top ? mapping(value(top, "services")) : null;
        if (services == null) {
            throw new BadInputException(file.toString(), 1, "services", "no 'services:' mapping; not a compose file");
        }
        Map<Node, ServiceImage> seen = new IdentityHashMap<>();
        List<ServiceImage> images = new ArrayList<>();
        List<Node> imageNodes = new ArrayList<>();
        for (NodeTuple tuple : services.getValue()) {
            String service = ((ScalarNode) tuple.getKeyNode()).getValue();
            MappingNode definition = mapping(tuple.getValueNode());
            Node image = definition == null ? null : lookup(definition, "image", new IdentityHashMap<>());
            if (image == null || isNull(image)) {
                continue;
            }
            int line = image.getStartMark().map(m -> m.getLine() + 1).orElse(0);
            if (!(image instanceof ScalarNode scalar)) {
                throw new BadInputException(file.toString(), line, "services." + service + ".image",
                        "must be a single value");
            }
            ServiceImage known = seen.get(scalar);
            ServiceImage found = known != null ? new ServiceImage(service, known.value(), known.valueStart(),
                    known.line(), List.of()) : locate(file, text, positions, service, scalar, line);
            seen.putIfAbsent(scalar, found);
            images.add(found);
            imageNodes.add(scalar);
        }
        Map<Node, List<String>> otherUses = AnchorUses.nonImageUses(root, services, seen.keySet());
        List<ServiceImage> withUses = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ServiceImage image = images.get(i);
            withUses.add(new ServiceImage(image.service(), image.value(), image.valueStart(), image.line(),
                    otherUses.getOrDefault(imageNodes.get(i), List.of())));
        }
        return new ComposeFile(file, text, List.copyOf(withUses));
    }

    /**
     * Finds the value's characters. The node's range may begin with an anchor or a tag ({@code &img !!str}) and
     * includes the quotes; what is left must read exactly as the parsed value, or an edit of the text would not be
     * an edit of the value (escapes, folded lines), and that is refused.
     */
    private static ServiceImage locate(Path file, String text, CodePoints positions, String service,
                                       ScalarNode scalar, int line) {
        int start = positions.charIndex(scalar.getStartMark().map(Mark::getIndex).orElseThrow());
        int end = positions.charIndex(scalar.getEndMark().map(Mark::getIndex).orElseThrow());
        while (start < end && (text.charAt(start) == '&' || text.charAt(start) == '!')) {
            while (start < end && !Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
        }
        ScalarStyle style = scalar.getScalarStyle();
        if (style == ScalarStyle.DOUBLE_QUOTED || style == ScalarStyle.SINGLE_QUOTED) {
            start++;
            end--;
        }
        String raw = start <= end ? text.substring(start, end) : "";
        boolean simple = style == ScalarStyle.PLAIN || style == ScalarStyle.DOUBLE_QUOTED
                || style == ScalarStyle.SINGLE_QUOTED;
        if (!simple || !raw.equals(scalar.getValue())) {
            throw new BadInputException(file.toString(), line, "services." + service + ".image",
                    "write the image on one line without escapes or block style, so its tag can be edited in"
                            + " place (found " + unEditable(style, raw) + ", which reads as '" + scalar.getValue()
                            + "')");
        }
        return new ServiceImage(service, raw, start, line, List.of());
    }

    /** Why the text of a scalar is not its value, in the words YAML's documentation uses. */
    private static String unEditable(ScalarStyle style, String raw) {
        return switch (style) {
            case LITERAL -> "a literal block (|)";
            case FOLDED -> "a folded block (>)";
            case DOUBLE_QUOTED -> raw.contains("\\") ? "a double-quoted value with escapes"
                    : "a double-quoted value folded over several lines";
            case SINGLE_QUOTED -> raw.contains("''") ? "a single-quoted value with an escaped quote ('')"
                    : "a single-quoted value folded over several lines";
            default -> "a plain value folded over several lines";
        };
    }

    /** A key's value in a mapping, then in its {@code <<} merges in order (earlier merges win, as in YAML 1.1). */
    static Node lookup(MappingNode mapping, String key, Map<Node, Boolean> visiting) {
        if (visiting.put(mapping, Boolean.TRUE) != null) {
            return null;
        }
        Node direct = value(mapping, key);
        if (direct != null) {
            return direct;
        }
        Node merge = value(mapping, "<<");
        List<Node> sources = merge instanceof SequenceNode seq ? seq.getValue()
                : merge == null ? List.of() : List.of(merge);
        for (Node source : sources) {
            if (source instanceof MappingNode base) {
                Node found = lookup(base, key, visiting);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static Node value(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    static MappingNode mapping(Node node) {
        return node instanceof MappingNode m ? m : null;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
    }

    /** Converts the parser's code-point indexes to char indexes; the identity unless the text has surrogates. */
    private static final class CodePoints {
        private final int[] charAt;
        private final int offset;

        CodePoints(String text, int offset) {
            this.offset = offset;
            if (text.codePointCount(0, text.length()) == text.length()) {
                this.charAt = null;
            } else {
                int[] map = new int[text.codePointCount(0, text.length()) + 1];
                int cp = 0;
                for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
                    map[cp++] = i;
                }
                map[cp] = text.length();
                this.charAt = map;
            }
        }

        int charIndex(int codePointIndex) {
            return offset + (charAt == null ? codePointIndex : charAt[codePointIndex]);
        }
    }
}
