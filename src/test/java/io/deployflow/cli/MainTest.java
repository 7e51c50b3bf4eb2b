package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void everyRegisteredCommandLoadsAndIsListedInHelp() {
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.exitCode());
        for (String name : Main.COMMANDS.keySet()) {
            assertTrue(help.out().contains("  " + name), name + " missing from help:\n" + help.out());
        }
    }

    @Test
    void unknownCommandIsBadInputWithSuggestion() {
        CliRun run = CliRun.of("valdate");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Did you mean: deployflow validate"), run.err());
    }

    @Test
    void noCommandPrintsUsageAndIsBadInput() {
        CliRun run = CliRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Usage: deployflow"), run.err());
    }

    @Test
    void validateReportsFileLineAndField() throws IOException {
        Path config = dir.resolve("deployflow.yaml");
        Files.writeString(config, "team:\n  - id: dev1\n    emails: [dev1@example.org]\n    role: lead\n");
        CliRun run = CliRun.of("validate", "--config", config.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains(config + ":4: team[0].role: unknown key 'role'; did you mean 'roles'?"),
                run.err());
        assertTrue(run.err().contains("Nothing was changed."), run.err());
    }

    @Test
    void validatePrintsEveryProblemInFileOrder() throws IOException {
        Path config = dir.resolve("deployflow.yaml");
        Files.writeString(config, """
                team: []
                components:
                  - name: a
                    repo: r
                    imgae: x
                  - name: b
                    repo: r
                    tagPrefx: v
                """);
        CliRun run = CliRun.of("validate", "--config", config.toString());
        assertEquals(2, run.exitCode());
        List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(3, errors.size(), run.err());
        assertTrue(errors.get(0).startsWith("error: " + config + ":1: team: is empty"), run.err());
        assertTrue(errors.get(1).startsWith("error: " + config + ":5: components[0].imgae: unknown key"), run.err());
        assertTrue(errors.get(2).startsWith("error: " + config + ":8: components[1].tagPrefx: unknown key"),
                run.err());
        assertTrue(run.err().contains("3 problems. Nothing was changed."), run.err());
    }

    @Test
    void validateAcceptsTheExample() {
        Path example = Path.of(System.getProperty("deployflow.projectDir", "."), "examples", "deployflow.yaml");
        CliRun run = CliRun.of("validate", "--config", example.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("valid (3 people, 2 components, 2 customers)"), run.err());
    }

    @Test
    void subcommandRunsAreAudited() throws IOException {
        Path log = Path.of(System.getProperty("deployflow.audit"));
        long before = Files.exists(log) ? Files.readAllLines(log).size() : 0;
        CliRun.of("validate", "--config", dir.resolve("missing.yaml").toString());
        CliRun.of("validate", "--help");
        List<String> lines = Files.readAllLines(log);
        assertEquals(before + 1, lines.size(), "help is not audited, the run is");
        assertTrue(lines.get(lines.size() - 1).contains("\"command\":\"validate\""), lines.toString());
        assertTrue(lines.get(lines.size() - 1).contains("\"outcome\":\"bad-input\""), lines.toString());
    }

    @Test
    void versionIsAnsweredFirstAndNotAudited() throws IOException {
        Path log = Path.of(System.getProperty("deployflow.audit"));
        long before = Files.exists(log) ? Files.readAllLines(log).size() : 0;
        for (String option : List.of("--version", "-V")) {
            CliRun run = CliRun.of(option);
            assertEquals(0, run.exitCode());
            assertTrue(run.out().matches("deployflow \\S+\\R"), run.out());
        }
        assertEquals(before, Files.exists(log) ? Files.readAllLines(log).size() : 0, "version output is not audited");
    }

    @Test
    void missingRequiredOptionIsBadInput() {
        CliRun run = CliRun.of("validate");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing required option: '--config=FILE'"), run.err());
    }
}
