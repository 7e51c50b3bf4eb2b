package io.deployflow.compose;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EnvFileTest {
    private static final String TEXT = String.join("\n",
            "# comment=not a variable",
            "  A=1.0.0",
            "export B = \"2.0.0\"  # quoted",
            "C='3.0.0' # single",
            "D=\"say \\\"hi\\\" 4\" # escaped quotes",
            "E=5.0.0#not-a-comment",
            "F=6.0.0 # a comment",
            "G=",
            "A=1.1.0",
            "H=\"unterminated",
            "no equals sign here",
            "");

    @Test
    void locatesEachValueExactlyAndTheLastAssignmentWins() {
        EnvFile env = EnvFile.parse(Path.of(".env"), TEXT);
        assertValue(env, "A", "1.1.0", 9);
        assertValue(env, "B", "2.0.0", 3);
        assertValue(env, "C", "3.0.0", 4);
        assertValue(env, "D", "say \\\"hi\\\" 4", 5);
        assertValue(env, "E", "5.0.0#not-a-comment", 6);
        assertValue(env, "F", "6.0.0", 7);
        assertValue(env, "G", "", 8);
        assertNull(env.get("H"));
        assertNull(env.get("comment"));
    }

    private static void assertValue(EnvFile env, String key, String value, int line) {
        EnvFile.Entry entry = env.get(key);
        assertEquals(value, entry.value(), key);
        assertEquals(value, TEXT.substring(entry.start(), entry.end()), key + " span");
        assertEquals(line, entry.line(), key + " line");
    }
}
