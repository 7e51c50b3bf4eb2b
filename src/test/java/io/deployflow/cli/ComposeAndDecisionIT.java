package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar as a pipeline runs it: compose set-versions, then a decision that needs the bundled template. */
class ComposeAndDecisionIT {
    @TempDir
    Path dir;

    private int jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", System.getProperty("deployflow.jar")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the jar did not finish");
        return p.exitValue();
    }

    @Test
    void setVersionsThenDoNotRelease() throws Exception {
        Files.writeString(dir.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Developer One, emails: [dev1@example.org]}]
                components: [{name: portal, repo: file:///p, image: registry.example.org/fhir/portal}]
                customers: [{name: acme, repo: file:///acme, contacts: [ops@acme.example]}]
                """);
        Files.writeString(dir.resolve("docker-compose.yml"),
                "services:\n  portal:   # keep\n    image: 'registry.example.org/fhir/portal:${PV:-2.0.0}'\n");
        assertEquals(0, jar("compose", "set-versions", "--config", "deployflow.yaml", "--customer", "acme",
                "--set", "portal=2.1.0", "--json", "set.json"), () -> log());
        assertEquals("services:\n  portal:   # keep\n    image: 'registry.example.org/fhir/portal:${PV:-2.1.0}'\n",
                Files.readString(dir.resolve("docker-compose.yml")));
        assertEquals(2, jar("compose", "set-versions", "--config", "deployflow.yaml", "--customer", "acme",
                "--set", "portal=2.1"), () -> log());
        assertTrue(log().contains("'2.1' is not a valid semantic version") && log().contains("Nothing was changed."),
                this::log);

        assertEquals(0, jar("decision", "--config", "deployflow.yaml", "--customer", "acme", "--choice",
                "do-not-release", "--by", "dev1", "--reason", "portal fails", "--component", "portal", "--json",
                "decision.json"), () -> log());
        try (var files = Files.list(dir.resolve("retrospectives"))) {
            String retro = Files.readString(files.findFirst().orElseThrow());
            assertTrue(retro.contains("- Why: portal fails"), retro);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("out.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
