package io.deployflow.compose;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code .env} file beside a compose file (S3 keeps versions there), read the way Compose reads it:
 * {@code KEY=value} lines, optional {@code export}, values bare or in single or double quotes, {@code #} comments
 * (inline ones only after whitespace on bare values). It only locates each value's characters, so an edit keeps
 * quoting, spacing and comments. A key set twice counts from its last line, as in Compose.
 */
final class EnvFile {
    /** A variable's value and where its characters are. */
    record Entry(String key, String value, int start, int end, int line) {
    }

    private final Path file;
    private final String text;
    private final Map<String, Entry> entries;

    private EnvFile(Path file, String text, Map<String, Entry> entries) {
        this.file = file;
        this.text = text;
        this.entries = entries;
    }

    static EnvFile parse(Path file, String text) {
        Map<String, Entry> entries = new HashMap<>();
        int lineStart = 0;
        int lineNo = 1;
        while (lineStart <= text.length()) {
            int newline = text.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.length() : newline;
            int contentEnd = lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            Entry entry = parseLine(text, lineStart, contentEnd, lineNo);
            if (entry != null) {
                entries.put(entry.key(), entry);
            }
            if (newline < 0) {
                break;
            }
            lineStart = newline + 1;
            lineNo++;
        }
        return new EnvFile(file, text, entries);
    }

    private static Entry parseLine(String text, int from, int to, int lineNo) {
        int i = skipBlanks(text, from, to);
        if (i >= to || text.charAt(i) == '#') {
            return null;
        }
        if (text.startsWith("export ", i)) {
            i = skipBlanks(text, i + "export ".length(), to);
        }
        int keyStart = i;
        while (i < to && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                || text.charAt(i) == '.' || text.charAt(i) == '-')) {
            i++;
        }
        String key = text.substring(keyStart, i);
        i = skipBlanks(text, i, to);
        if (key.isEmpty() || i >= to || text.charAt(i) != '=') {
            return null;
        }
        i = skipBlanks(text, i + 1, to);
        if (i < to && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
            char quote = text.charAt(i);
            int close = i + 1;
            // In double quotes a backslash escapes the next character, so \" does not end the value.
            while (close < to && text.charAt(close) != quote) {
                close += quote == '"' && text.charAt(close) == '\\' ? 2 : 1;
            }
            if (close >= to) {
                return null;
            }
            return new Entry(key, text.substring(i + 1, close), i + 1, close, lineNo);
        }
        int end = i;
        while (end < to && !(text.charAt(end) == '#' && end > i && Character.isWhitespace(text.charAt(end - 1)))) {
            end++;
        }
        while (end > i && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return new Entry(key, text.substring(i, end), i, end, lineNo);
    }

    private static int skipBlanks(String text, int i, int to) {
        while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    Entry get(String key) {
        return entries.get(key);
    }

    Path file() {
        return file;
    }

    String text() {
        return text;
    }
}
