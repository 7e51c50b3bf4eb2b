package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refusals of {@code stack up/down}: exit 2 before any engine is touched (no engine is needed for these). */
class StackCommandTest {
    @TempDir
    Path dir;

    @Test
    void aComposeFileThatComposeRejectsIsExit2WithComposesReason() throws Exception {
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, "services:\n  web:\n    image: localhost/x:1\n    bogus: 1\n");

        Captured run = run("stack", "up", "--file", file.toString(), "--project", "dftest-bad", "--wait", "5s");

        assertEquals(2, run.exit, run.err);
        assertTrue(run.err.contains(file.toString()), run.err);
        assertTrue(run.err.contains("rejects this file"), run.err);
        assertTrue(run.err.contains("bogus"), "Compose's own reason is shown: " + run.err);
        assertTrue(run.err.contains("Nothing was changed."), run.err);
    }

    @Test
    void downWithARejectedFileIsExit2Too() throws Exception {
        Path file = dir.resolve("compose.yml");
        Files.writeString(file, "services:\n  web: [\n");

        Captured run = run("stack", "down", "--project", "dftest-bad", "--file", file.toString());

        assertEquals(2, run.exit, run.err);
        assertTrue(run.err.contains("rejects this file"), run.err);
    }

    @Test
    void aProjectNameComposeWouldRewriteIsExit2() throws Exception {
        Path file = dir.resolve("compose.yml");
        Files.writeString(file, "services:\n  web:\n    image: localhost/x:1\n");

        Captured run = run("stack", "up", "--file", file.toString(), "--project", "Release_Build #12");

        assertEquals(2, run.exit, run.err);
        assertTrue(run.err.contains("--project: 'Release_Build #12' is not a valid Compose project name"), run.err);
    }

    @Test
    void aMissingFileIsExit2NamingIt() {
        Path file = dir.resolve("nowhere.yml");

        Captured run = run("stack", "up", "--file", file.toString(), "--project", "dftest-x");

        assertEquals(2, run.exit, run.err);
        assertTrue(run.err.contains(file + ": --file: no such compose file"), run.err);
    }

    @Test
    void aWaitThatIsNoDurationIsExit2() throws Exception {
        Path file = dir.resolve("compose.yml");
        Files.writeString(file, "services:\n  web:\n    image: localhost/x:1\n");

        Captured run = run("stack", "up", "--file", file.toString(), "--project", "dftest-x", "--wait", "soon");

        assertEquals(2, run.exit, run.err);
        assertTrue(run.err.contains("'soon' is not a duration"), run.err);
    }

    @Test
    void waitAcceptsSecondsMinutesAndIso() {
        StackCommand.WaitConverter converter = new StackCommand.WaitConverter();
        assertEquals(java.time.Duration.ofSeconds(90), converter.convert("90s"));
        assertEquals(java.time.Duration.ofMinutes(3), converter.convert("3m"));
        assertEquals(java.time.Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(java.time.Duration.ofMinutes(3), converter.convert("PT3M"));
    }

    private record Captured(int exit, String err) {
    }

    private static Captured run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Captured(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
