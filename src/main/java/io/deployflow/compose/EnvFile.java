package io.deployflow.compose;

import io.deployflow.core.BadInputException;
import io.deployflow.core.InputProblemsException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A compose {@code .env} file, read the way Compose v2 reads it (compose-go {@code dotenv/parser.go} and
 * {@code godotenv.go}): a leading UTF-8 byte order mark is skipped; {@code NAME=value} statements, optional
 * {@code export}; blank lines and {@code #} comment lines; bare values end at {@code " #"} and lose trailing
 * blanks; values in single or double quotes may span lines, and a backslash escapes the closing quote; in double
 * quotes {@code \n \r \t \" \\ \$} are escapes. A name set twice counts from its last statement. Variables inside
 * values are not expanded: deployflow needs the literal value.
 *
 * <p>Every value keeps where its characters are in {@link #text()}, which is the file exactly as read (byte order
 * mark included), so an edit of a value keeps every other byte. How lines Compose would not read are treated is
 * the caller's choice, see {@link Mode}.
 */
public final class EnvFile {
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Map<Character, String> DOUBLE_QUOTE_ESCAPES = Map.of('n', "\n", 'r', "\r", 't', "\t",
            '"', "\"", '\\', "\\", '$', "$");

    /** How strictly lines are read. */
    public enum Mode {
        /**
         * A line Compose would not read is skipped: used where only some values matter and a missing one is
         * reported by the caller (compose set-versions says a variable has no value).
         */
        LENIENT,
        /** Every line must be one Compose reads as NAME=value; all that are not are refused, naming file and line. */
        STRICT,
        /**
         * STRICT, and every name must also be a shell variable name (letters, digits and _): Portainer's stack
         * variables take only those, while Compose also allows {@code .} and {@code -}.
         */
        STRICT_SHELL_NAMES
    }

    /**
     * A variable as Compose reads it, and where its value's characters are in the file's text (inside its quotes).
     * {@code line} is the 1-based line of its name.
     */
    public record Entry(String name, String value, int start, int end, int line) {
    }

    private final Path file;
    private final String text;
    private final Map<String, Entry> entries;

    private EnvFile(Path file, String text, Map<String, Entry> entries) {
        this.file = file;
        this.text = text;
        this.entries = entries;
    }

    /** Reads a file; it must be UTF-8, because a value edited and written back must round-trip every byte. */
    public static EnvFile read(Path file, Mode mode) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file.toString(), 0, null, "env file not found");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file.toString(), 0, null, "cannot read the env file: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(file.toString(), 0, null, "the env file is not UTF-8 text");
        }
        return parse(file, text, mode);
    }

    /** Reads text that came from {@code file} (for messages and edits), such as a file at a git commit. */
    public static EnvFile parse(Path file, String text, Mode mode) {
        Reader reader = new Reader(file, text, mode);
        reader.readAll();
        if (reader.problems.size() == 1) {
            throw reader.problems.get(0);
        }
        if (!reader.problems.isEmpty()) {
            throw new InputProblemsException(reader.problems);
        }
        return new EnvFile(file, text, reader.entries);
    }

    /** The variable's last assignment, or null. */
    public Entry get(String name) {
        return entries.get(name);
    }

    /** Every variable's value, in the order the names first appear. */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((name, entry) -> out.put(name, entry.value()));
        return Collections.unmodifiableMap(out);
    }

    public Path file() {
        return file;
    }

    /** The file's text exactly as read, byte order mark included. */
    public String text() {
        return text;
    }

    /** The file's bytes exactly as read (the text is strict UTF-8, so it encodes back to the same bytes). */
    public byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One pass over the text, statement by statement; a statement may span lines inside quotes. */
    private static final class Reader {
        private final Path file;
        private final String text;
        private final Mode mode;
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final List<BadInputException> problems = new ArrayList<>();
        private int pos;
        private int line = 1;

        Reader(Path file, String text, Mode mode) {
            this.file = file;
            this.text = text;
            this.mode = mode;
            this.pos = text.startsWith(BYTE_ORDER_MARK) ? BYTE_ORDER_MARK.length() : 0;
        }

        void readAll() {
            while (pos < text.length()) {
                int next = statement();
                line += count('\n', pos, Math.min(next, text.length()));
                pos = next;
            }
        }

        /** Reads the statement on the current line and returns where the next line starts. */
        private int statement() {
            int eol = lineEnd(pos);
            int end = eol > pos && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            int i = skipBlanks(pos, end);
            if (i >= end || text.charAt(i) == '#') {
                return eol + 1;
            }
            if (text.startsWith("export", i) && i + 6 < end && isBlank(text.charAt(i + 6))) {
                i = skipBlanks(i + 6, end);
            }
            int nameStart = i;
            while (i < end && isNameChar(text.charAt(i))) {
                i++;
            }
            String name = text.substring(nameStart, i);
            i = skipBlanks(i, end);
            if (name.isEmpty() || i < end && text.charAt(i) != '=') {
                refuse(name.isEmpty() ? null : name, "expected NAME=value, with a name of "
                        + (mode == Mode.STRICT_SHELL_NAMES ? "letters, digits and _" : "letters, digits, _ . and -"));
                return eol + 1;
            }
            if (i >= end) {
                refuse(name, "has no '=': Compose would take its value from the environment of whoever runs it;"
                        + " write " + name + "=value");
                return eol + 1;
            }
            if (Character.isDigit(name.charAt(0))) {
                refuse(name, "starts with a digit, and Compose ignores such names");
                return eol + 1;
            }
            if (mode == Mode.STRICT_SHELL_NAMES && !SHELL_NAME.matcher(name).matches()) {
                refuse(name, "'" + name + "' is not a shell variable name (letters, digits and _, not starting"
                        + " with a digit)");
                return eol + 1;
            }
            int value = skipBlanks(i + 1, end);
            if (value < end && (text.charAt(value) == '"' || text.charAt(value) == '\'')) {
                return quoted(name, value, eol);
            }
            int valueEnd = text.indexOf(" #", value);
            valueEnd = valueEnd < 0 || valueEnd > end ? end : valueEnd;
            while (valueEnd > value && isBlank(text.charAt(valueEnd - 1))) {
                valueEnd--;
            }
            entries.put(name, new Entry(name, text.substring(value, valueEnd), value, valueEnd, line));
            return eol + 1;
        }

        private int quoted(String name, int open, int eol) {
            char quote = text.charAt(open);
            int close = open + 1;
            while (close < text.length() && text.charAt(close) != quote) {
                close += text.charAt(close) == '\\' ? 2 : 1;
            }
            if (close >= text.length()) {
                refuse(name, "the quoted value is never closed");
                return eol + 1;
            }
            int closingEol = lineEnd(close);
            int rest = skipBlanks(close + 1, closingEol);
            if (rest < closingEol && text.charAt(rest) != '#' && !(text.charAt(rest) == '\r'
                    && rest == closingEol - 1)) {
                refuse(name, "text after the closing quote; Compose would read it as another statement");
            }
            String raw = text.substring(open + 1, close);
            entries.put(name, new Entry(name, quote == '"' ? unescapeDouble(raw) : unescapeSingle(raw), open + 1,
                    close, line));
            return closingEol + 1;
        }

        private void refuse(String name, String message) {
            if (mode != Mode.LENIENT) {
                problems.add(new BadInputException(file.toString(), line, name, message));
            }
        }

        private int lineEnd(int from) {
            int newline = text.indexOf('\n', from);
            return newline < 0 ? text.length() : newline;
        }

        private int skipBlanks(int i, int end) {
            while (i < end && isBlank(text.charAt(i))) {
                i++;
            }
            return i;
        }

        private int count(char c, int from, int to) {
            int n = 0;
            for (int i = from; i < to; i++) {
                if (text.charAt(i) == c) {
                    n++;
                }
            }
            return n;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Compose's name characters: letters and digits of any script, {@code _ . - [ ]}. */
    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
    }

    /** In single quotes only the quote itself is escaped. */
    private static String unescapeSingle(String raw) {
        return raw.replace("\\'", "'");
    }

    private static String unescapeDouble(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            String escaped = c == '\\' && i + 1 < raw.length() ? DOUBLE_QUOTE_ESCAPES.get(raw.charAt(i + 1)) : null;
            if (escaped != null) {
                out.append(escaped);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
