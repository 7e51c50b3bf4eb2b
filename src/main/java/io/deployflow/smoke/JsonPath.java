package io.deployflow.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small part of JSONPath a smoke check needs: {@code $.a.b}, {@code $.a[0].b}, {@code $['odd key']} and a
 * final {@code .length()}. Anything else is refused when the routes file is loaded, not when the route runs,
 * so a typo in a path can never pass as "value missing".
 */
public final class JsonPath {
    private static final Pattern SEGMENT = Pattern.compile(
            "\\.([A-Za-z_][A-Za-z0-9_-]*)(\\(\\))?|\\[(\\d{1,9})]|\\['([^']+)']|\\[\"([^\"]+)\"]");
    public static final String EXPLAINED = "supported paths look like $.a.b, $.a[0].b, $['a b'] or $.items.length()";

    private final String text;
    /** Each step is a field name (String) or an array index (Integer); LENGTH is the final length() call. */
    private final List<Object> steps;
    private final boolean length;

    private JsonPath(String text, List<Object> steps, boolean length) {
        this.text = text;
        this.steps = steps;
        this.length = length;
    }

    /** @throws IllegalArgumentException explaining what is supported */
    public static JsonPath parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("'" + text + "' must start with '$'; " + EXPLAINED);
        }
        List<Object> steps = new ArrayList<>();
        boolean length = false;
        Matcher m = SEGMENT.matcher(text);
        int at = 1;
        while (at < text.length()) {
            if (length || !m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not understood at position " + at + " ('"
                        + text.substring(at) + "'); " + EXPLAINED);
            }
            if (m.group(1) != null) {
                if (m.group(2) != null) {
                    if (!m.group(1).equals("length")) {
                        throw new IllegalArgumentException("'" + text + "': only the function length() is"
                                + " supported, not " + m.group(1) + "()");
                    }
                    length = true;
                } else {
                    steps.add(m.group(1));
                }
            } else if (m.group(3) != null) {
                steps.add(Integer.parseInt(m.group(3)));
            } else {
                steps.add(m.group(4) != null ? m.group(4) : m.group(5));
            }
            at = m.end();
        }
        return new JsonPath(text, List.copyOf(steps), length);
    }

    /** The value at this path, or null when the document has nothing there. */
    public JsonNode evaluate(JsonNode document) {
        JsonNode current = document;
        for (Object step : steps) {
            if (current == null) {
                return null;
            }
            current = step instanceof Integer index ? (current.isArray() ? current.get(index) : null)
                    : (current.isObject() ? current.get((String) step) : null);
        }
        if (current == null || !length) {
            return current;
        }
        if (current.isTextual()) {
            return IntNode.valueOf(current.textValue().length());
        }
        return current.isContainerNode() ? IntNode.valueOf(current.size()) : null;
    }

    @Override
    public String toString() {
        return text;
    }
}
