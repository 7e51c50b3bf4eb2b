package io.deployflow.release.notes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON file read as a tree, remembering the line of every field, so that validation errors can name file, line
 * and field as every deployflow input error does. Jackson trees forget locations, hence the one streaming pass.
 */
final class JsonInput {
    private final String file;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private JsonInput(String file, JsonNode root, Map<String, Integer> lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    static JsonInput read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new BadInputException(path.toString(), 0, null, "cannot read: " + e.getMessage());
        }
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = Json.mapper().getFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                int line = parser.currentTokenLocation().getLineNr();
                if (token == JsonToken.FIELD_NAME) {
                    lines.put(pointer, line);
                } else {
                    lines.putIfAbsent(pointer, line);
                }
            }
            return new JsonInput(path.toString(), Json.mapper().readTree(text), lines);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException(path.toString(), line, null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(path.toString(), 0, null, "cannot read: " + e.getMessage());
        }
    }

    JsonNode root() {
        return root;
    }

    /**
     * An error at a field. {@code field} is the dotted path shown to people, such as {@code components[0].name};
     * the line is the field's own, or its nearest enclosing object's when the field is missing.
     */
    BadInputException error(String field, String message) {
        String pointer = pointer(field);
        Integer line = lines.get(pointer);
        while (line == null && !pointer.isEmpty()) {
            pointer = pointer.substring(0, pointer.lastIndexOf('/'));
            line = lines.get(pointer);
        }
        return new BadInputException(file, line == null ? 0 : line, field, message);
    }

    /** {@code components[0].name} → {@code /components/0/name}. */
    private static String pointer(String field) {
        if (field.isEmpty()) {
            return "";
        }
        return "/" + field.replace("[", ".").replace("]", "").replace('.', '/');
    }
}
