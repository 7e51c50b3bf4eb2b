package io.deployflow.portainer;

import io.deployflow.core.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A compose {@code .env} file: {@code KEY=value} lines, {@code #} comments, optional quotes and {@code export}. */
public final class EnvFile {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvFile() {
    }

    public static Map<String, String> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new BadInputException(file.toString(), 0, null, "cannot read the env file: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !NAME.matcher(name).matches()) {
                throw new BadInputException(file.toString(), i + 1, name.isEmpty() ? null : name,
                        "expected NAME=value (a variable name of letters, digits and _)");
            }
            out.put(name, unquote(line.substring(eq + 1).strip()));
        }
        return out;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        int comment = value.indexOf(" #");
        return comment < 0 ? value : value.substring(0, comment).strip();
    }
}
