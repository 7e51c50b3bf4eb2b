package io.deployflow.portainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Finds the line of an env file that sets a variable, so an error about that variable can point at it. */
final class EnvFileLines {
    private EnvFileLines() {
    }

    /** 1-based line of the last assignment to {@code name} (the one that counts), or 0 when not found. */
    static int lineOf(Path file, String name) {
        if (file == null) {
            return 0;
        }
        Pattern assignment = Pattern.compile("\\s*(export\\s+)?" + Pattern.quote(name) + "\\s*=.*");
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (assignment.matcher(lines.get(i)).matches()) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // the file was read moments ago; without it the error still names the file and the variable
        }
        return 0;
    }
}
