package io.deployflow.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The one JSON mapper; built on first use so commands that write no JSON never pay Jackson's start-up. */
public final class Json {
    private Json() {
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .findAndAddModules()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    /** Thread-safe; the streaming reader and writer need no more of Jackson than this. */
    private static final class Factory {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /**
     * A JSON document as Jackson's tree, read with the streaming parser alone: the tree the mapper's
     * {@code readTree} gives (empty content is a missing node, what follows the first value is not read, the last of
     * repeated keys wins, numbers become int, long, big-integer or double nodes), without the mapper. Why: smoke reads
     * every answer as a tree, and in a new JVM the mapper's own set-up (date formats, time zones, module lookup) cost
     * more CPU than the answers. {@code JsonTest} holds the two to the same trees.
     */
    public static JsonNode readTree(byte[] content) throws IOException {
        try (JsonParser parser = Factory.FACTORY.createParser(content)) {
            JsonToken first = parser.nextToken();
            return first == null ? MissingNode.getInstance() : tree(parser, first);
        }
    }

    private static JsonNode tree(JsonParser parser, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, tree(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(tree(parser, next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new JsonParseException(parser, "unexpected " + token);
        }
    }

    /** Writes the result atomically: a half-written result file would mislead the pipeline step that reads it. */
    public static void write(Path file, Object value) {
        writeAtomically(file, out -> mapper().writeValue(out, value));
    }

    /** What writes a result token by token. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /**
     * Writes a result with Jackson's streaming generator alone, indented as the mapper indents, atomically: for large
     * results in a step's new JVM, where building the mapper and introspecting records costs more than the writing.
     */
    public static void writeStreaming(Path file, StreamWriter writer) {
        writeAtomically(file, out -> {
            try (JsonGenerator json = Factory.FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
                writer.writeTo(json);
            }
        });
    }

    /** Writes a file atomically: readers see the old file or the whole new one. */
    private static void writeAtomically(Path file, AtomicFile.Content content) {
        try {
            AtomicFile.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return mapper().readValue(file.toFile(), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException(file.toString(), line, null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(file.toString(), 0, null, "cannot read: " + e.getMessage());
        }
    }
}
