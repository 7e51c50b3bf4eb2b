package io.deployflow.delivery;

import io.deployflow.core.BadInputException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compose {@code .env} file as docker-compose reads it: {@code KEY=VALUE} lines, {@code #} comments, optional
 * quotes. Kept as raw bytes too, because the customer gets the file exactly as it was tested.
 */
record EnvFile(Path source, byte[] bytes, Map<String, String> values) {
    private static final Pattern LINE = Pattern.compile("(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*(.*)");

    static EnvFile read(Path file) {
        String text = DeliveryFiles.readText(file, "env file");
        return new EnvFile(file, text.getBytes(StandardCharsets.UTF_8), parse(file.toString(), text));
    }

    static Map<String, String> parse(String fileName, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new BadInputException(fileName, i + 1, null,
                        "not a KEY=VALUE line: '" + line + "' (compose .env syntax)");
            }
            values.put(m.group(1), unquote(m.group(2).strip()));
        }
        return Collections.unmodifiableMap(values);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        int comment = value.indexOf(" #");
        return comment >= 0 ? value.substring(0, comment).strip() : value;
    }
}
