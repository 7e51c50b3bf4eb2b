package io.deployflow.compose;

import io.deployflow.core.BadInputException;
import io.deployflow.core.InputProblemsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvFileTest {
    private static final Path ENV = Path.of(".env");
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

    @TempDir
    Path dir;

    @Test
    void locatesEachValueExactlyAndTheLastAssignmentWins() {
        EnvFile env = EnvFile.parse(ENV, TEXT, EnvFile.Mode.LENIENT);
        assertValue(env, TEXT, "A", "1.1.0", "1.1.0", 9);
        assertValue(env, TEXT, "B", "2.0.0", "2.0.0", 3);
        assertValue(env, TEXT, "C", "3.0.0", "3.0.0", 4);
        assertValue(env, TEXT, "D", "say \"hi\" 4", "say \\\"hi\\\" 4", 5);
        assertValue(env, TEXT, "E", "5.0.0#not-a-comment", "5.0.0#not-a-comment", 6);
        assertValue(env, TEXT, "F", "6.0.0", "6.0.0", 7);
        assertValue(env, TEXT, "G", "", "", 8);
        assertNull(env.get("H"), "lenient: an unterminated quote is skipped");
        assertNull(env.get("comment"));
        assertEquals(List.of("A", "B", "C", "D", "E", "F", "G"), List.copyOf(env.values().keySet()));
    }

    @Test
    void readsQuotesExportAndCommentsAsCompose() throws IOException {
        Path file = dir.resolve(".env");
        Files.writeString(file, "# versions\nFHIR_GATEWAY_VERSION=1.3.0\nexport LOG_LEVEL=\"info\"\n\n"
                + "GREETING='a # b'\nTAG=2.0 # pinned\nexported=x\nTABS=a\t#b\nIT='it\\'s'\nNL=\"a\\nb\"\r\n"
                + "LITERAL='a\\nb'\n");

        assertEquals(Map.of("FHIR_GATEWAY_VERSION", "1.3.0", "LOG_LEVEL", "info", "GREETING", "a # b", "TAG", "2.0",
                        "exported", "x", "TABS", "a\t#b", "IT", "it's", "NL", "a\nb", "LITERAL", "a\\nb"),
                EnvFile.read(file, EnvFile.Mode.STRICT).values());
    }

    @Test
    void aQuotedValueMaySpanLinesAndLaterLinesKeepTheirNumbers() {
        String text = "CERT=\"line one\nline two\"\nNEXT=1\n";
        EnvFile env = EnvFile.parse(ENV, text, EnvFile.Mode.STRICT);
        assertEquals("line one\nline two", env.get("CERT").value());
        assertEquals(1, env.get("CERT").line());
        assertEquals(3, env.get("NEXT").line());
    }

    @Test
    void aByteOrderMarkIsSkippedAndKeptInTheText() throws IOException {
        Path file = dir.resolve(".env");
        byte[] bytes = "\uFEFFTAG=1.2.0\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);

        EnvFile env = EnvFile.read(file, EnvFile.Mode.STRICT);

        assertEquals("1.2.0", env.get("TAG").value());
        assertEquals("1.2.0", env.text().substring(env.get("TAG").start(), env.get("TAG").end()));
        assertArrayEquals(bytes, env.bytes(), "the bytes are the file's, mark included");
    }

    @Test
    void strictRefusesEveryLineComposeWouldNotReadNamingFileAndLine() {
        String text = "OK=1\nbroken line\nLONELY\n9LIVES=x\nQ=\"open\nR=1\n";
        InputProblemsException e = assertThrows(InputProblemsException.class,
                () -> EnvFile.parse(Path.of("tested.env"), text, EnvFile.Mode.STRICT));
        assertEquals(List.of(
                "tested.env:2: broken: expected NAME=value, with a name of letters, digits, _ . and -",
                "tested.env:3: LONELY: has no '=': Compose would take its value from the environment of whoever"
                        + " runs it; write LONELY=value",
                "tested.env:4: 9LIVES: starts with a digit, and Compose ignores such names",
                "tested.env:5: Q: the quoted value is never closed"),
                e.problems().stream().map(BadInputException::getMessage).toList());
        assertFalse(e.getMessage().contains("line"), "a line's text is never echoed: it may hold a secret");
    }

    @Test
    void strictRefusesTextAfterAClosingQuote() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> EnvFile.parse(ENV, "A=\"x\" B=y\nC='z' # fine\n", EnvFile.Mode.STRICT));
        assertEquals(1, e.line());
        assertEquals("A", e.field());
        assertEquals(Map.of("C", "z"), EnvFile.parse(ENV, "C='z' # fine\n", EnvFile.Mode.STRICT).values());
    }

    @Test
    void lenientSkipsWhatStrictRefuses() {
        EnvFile env = EnvFile.parse(ENV, "OK=1\nbroken line\nLONELY\n9LIVES=x\nA=\"x\" B=y\n",
                EnvFile.Mode.LENIENT);
        assertEquals(Map.of("OK", "1", "A", "x"), env.values());
    }

    @Test
    void composeNamesAllowDotsAndDashesShellNamesDoNot() {
        String text = "my.var=1\nother-var=2\n";
        assertEquals(Map.of("my.var", "1", "other-var", "2"), EnvFile.parse(ENV, text, EnvFile.Mode.STRICT).values());

        InputProblemsException e = assertThrows(InputProblemsException.class,
                () -> EnvFile.parse(ENV, text, EnvFile.Mode.STRICT_SHELL_NAMES));
        assertEquals(List.of(1, 2), e.problems().stream().map(BadInputException::line).toList());
        assertTrue(e.problems().get(0).getMessage().endsWith(".env:1: my.var: 'my.var' is not a shell variable name"
                + " (letters, digits and _, not starting with a digit)"), e.getMessage());
    }

    @Test
    void aMissingOrNonUtf8FileIsBadInput() throws IOException {
        assertTrue(assertThrows(BadInputException.class,
                () -> EnvFile.read(dir.resolve("nope.env"), EnvFile.Mode.LENIENT)).getMessage()
                .endsWith("nope.env: env file not found"));
        Path latin1 = Files.write(dir.resolve("latin1.env"), new byte[] {'A', '=', (byte) 0xE9, '\n'});
        assertTrue(assertThrows(BadInputException.class, () -> EnvFile.read(latin1, EnvFile.Mode.LENIENT))
                .getMessage().endsWith("the env file is not UTF-8 text"));
    }

    private static void assertValue(EnvFile env, String text, String key, String value, String raw, int line) {
        EnvFile.Entry entry = env.get(key);
        assertEquals(value, entry.value(), key);
        assertEquals(raw, text.substring(entry.start(), entry.end()), key + " span");
        assertEquals(line, entry.line(), key + " line");
    }
}
