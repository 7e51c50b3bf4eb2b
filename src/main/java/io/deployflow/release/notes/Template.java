package io.deployflow.release.notes;

import io.deployflow.core.BadInputException;

import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small logic-less template, a subset of Mustache: {@code {{name}}} inserts a value, escaped for the output
 * format; {@code {{#name}}…{{/name}}} repeats for each item of a list or shows once when the value is true;
 * {@code {{^name}}…{{/name}}} shows when it is false or empty. A section tag alone on its line takes the line
 * with it, so templates can be laid out readably. Written here rather than taken as a dependency because this
 * is all the notes need, and a team's own template gets errors naming its line.
 *
 * <p>Model values: {@link String} (escaped), {@link Markup} (already in the output format), {@link Boolean},
 * {@code List<Map<String, Object>>}. Names resolve in the innermost section first, then outwards.
 */
public final class Template {
    /** Text already in the output format, inserted as is. */
    public record Markup(String text) {
    }

    private sealed interface Part permits Text, Value, Section {
    }

    private record Text(String text) implements Part {
    }

    private record Value(String name, int line) implements Part {
    }

    private record Section(String name, boolean inverted, List<Part> body, int line) implements Part {
    }

    private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([#^/]?)\\s*([A-Za-z][A-Za-z0-9]*)\\s*}}");

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** @param source the template's name for errors: a file path or the bundled resource name */
    public static Template parse(String source, String text) {
        Deque<Section> open = new LinkedList<>();
        List<Part> root = new ArrayList<>();
        Matcher tag = TAG.matcher(text);
        int at = 0;
        while (tag.find(at)) {
            int start = tag.start();
            int end = tag.end();
            String kind = tag.group(1);
            if (!kind.isEmpty()) {
                int lineStart = text.lastIndexOf('\n', start - 1) + 1;
                int lineEnd = text.indexOf('\n', end);
                lineEnd = lineEnd < 0 ? text.length() : lineEnd + 1;
                if (text.substring(lineStart, start).isBlank() && text.substring(end, lineEnd).isBlank()) {
                    start = Math.max(lineStart, at);
                    end = lineEnd;
                }
            }
            List<Part> into = open.isEmpty() ? root : open.peek().body();
            if (start > at) {
                into.add(new Text(text.substring(at, start)));
            }
            int line = lineOf(text, tag.start());
            String name = tag.group(2);
            switch (kind) {
                case "#", "^" -> {
                    Section section = new Section(name, kind.equals("^"), new ArrayList<>(), line);
                    into.add(section);
                    open.push(section);
                }
                case "/" -> {
                    if (open.isEmpty() || !open.peek().name().equals(name)) {
                        throw new BadInputException(source, line, name, "{{/" + name + "}} closes "
                                + (open.isEmpty() ? "no open section" : "while {{#" + open.peek().name()
                                + "}} from line " + open.peek().line() + " is still open"));
                    }
                    open.pop();
                }
                default -> into.add(new Value(name, line));
            }
            at = end;
        }
        if (!open.isEmpty()) {
            throw new BadInputException(source, open.peek().line(), open.peek().name(),
                    "{{#" + open.peek().name() + "}} is never closed with {{/" + open.peek().name() + "}}");
        }
        if (at < text.length()) {
            root.add(new Text(text.substring(at)));
        }
        return new Template(source, root);
    }

    public String render(Map<String, Object> model, NotesFormat format) {
        StringBuilder out = new StringBuilder();
        Deque<Map<String, Object>> scopes = new LinkedList<>();
        scopes.push(model);
        render(parts, scopes, format, out);
        return out.toString();
    }

    private void render(List<Part> parts, Deque<Map<String, Object>> scopes, NotesFormat format, StringBuilder out) {
        for (Part part : parts) {
            if (part instanceof Text text) {
                out.append(text.text());
            } else if (part instanceof Value value) {
                Object found = lookup(value.name(), value.line(), scopes);
                if (found instanceof Markup markup) {
                    out.append(markup.text());
                } else if (found != null) {
                    out.append(format.escape(String.valueOf(found)));
                }
            } else if (part instanceof Section section) {
                Object found = lookup(section.name(), section.line(), scopes);
                boolean shown = found instanceof List<?> list ? !list.isEmpty()
                        : found instanceof Boolean flag ? flag : found != null;
                if (section.inverted()) {
                    if (!shown) {
                        render(section.body(), scopes, format, out);
                    }
                } else if (found instanceof List<?> list) {
                    for (Object item : list) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> itemScope = (Map<String, Object>) item;
                        scopes.push(itemScope);
                        render(section.body(), scopes, format, out);
                        scopes.pop();
                    }
                } else if (shown) {
                    render(section.body(), scopes, format, out);
                }
            }
        }
    }

    /** A name no scope knows is the template's error (a typo in a team's own template), never silently empty. */
    private Object lookup(String name, int line, Deque<Map<String, Object>> scopes) {
        for (Map<String, Object> scope : scopes) {
            if (scope.containsKey(name)) {
                return scope.get(name);
            }
        }
        TreeSet<String> known = new TreeSet<>();
        scopes.forEach(scope -> known.addAll(scope.keySet()));
        throw new BadInputException(source, line, name, "unknown placeholder {{" + name + "}}; known here: "
                + String.join(", ", known));
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
