package io.deployflow.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar itself: what a Jenkins agent runs. */
class JarIT {
    static final Path JAR = Path.of(System.getProperty("deployflow.jar", "target/deployflow.jar"));

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        return new Result(process.waitFor(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void versionComesFromTheManifest() throws Exception {
        Result result = run("--version");
        assertEquals(0, result.code());
        assertTrue(result.out().matches("deployflow \\d+\\.\\d+\\.\\d+\\s*"), result.out());
    }

    @Test
    void everyCommandHasHelpInTheJar() throws Exception {
        for (String name : Main.COMMANDS.keySet()) {
            Result result = run(name, "--help");
            assertEquals(0, result.code(), name + ": " + result.err());
            assertTrue(result.out().contains("Usage: deployflow " + name), result.out());
        }
    }

    @Test
    void badConfigExitsTwoFromTheJar() throws Exception {
        Result result = run("validate", "--config", "does-not-exist.yaml");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("does-not-exist.yaml: config file not found"), result.err());
    }
}
