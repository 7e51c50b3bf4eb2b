package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReleaseNotesCommandTest {
    private static final String CONFIG = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
            components:
              - {name: gw, repo: file:///r/gw, image: registry.example.org/gw}
            releaseNotes:
              ticketUrl: https://jira.example.org/browse/{key}
            """;
    private static final String PLAN = """
            {"meetingDate":"2026-11-23","components":[{"name":"gw","image":"registry.example.org/gw",
             "hasChanges":true,"lastRelease":"1.2.0","nextVersion":"1.3.0","releaseVersion":"1.3.0",
             "repoPerson":{"id":"dev1","name":"Developer One","email":"dev1@example.org","known":true},
             "changes":[{"sha":"abcdef0123","subject":"feat: FHIR-7 paging","type":"feat","breaking":false,
               "tickets":["FHIR-7"]}]}],
             "customers":[]}
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void writesMarkdownAndHtmlByExtensionAndAJsonResult() throws IOException {
        Path config = write("deployflow.yaml", CONFIG);
        Path plan = write("plan.json", PLAN);
        CliRun md = CliRun.of("release-notes", "--config", config.toString(), "--plan", plan.toString(),
                "--out", dir.resolve("out/notes.md").toString(), "--json", dir.resolve("result.json").toString());
        assertEquals(0, md.exitCode(), md.err());
        String notes = Files.readString(dir.resolve("out/notes.md"));
        assertTrue(notes.contains("## gw 1.2.0 → 1.3.0"), notes);
        assertTrue(notes.contains("[FHIR-7](https://jira.example.org/browse/FHIR-7) paging"), notes);
        assertTrue(md.err().contains("release notes for 1 of 1 components"), md.err());
        assertTrue(Files.readString(dir.resolve("result.json")).contains("\"format\" : \"markdown\""));

        CliRun html = CliRun.of("release-notes", "--config", config.toString(), "--plan", plan.toString(),
                "--out", dir.resolve("notes.html").toString());
        assertEquals(0, html.exitCode(), html.err());
        assertTrue(Files.readString(dir.resolve("notes.html")).contains("<h2>gw 1.2.0 → 1.3.0</h2>"));
    }

    @Test
    void unknownExtensionIsBadInputAndWritesNothing() throws IOException {
        CliRun run = CliRun.of("release-notes", "--config", write("deployflow.yaml", CONFIG).toString(),
                "--plan", write("plan.json", PLAN).toString(), "--out", dir.resolve("notes.txt").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--out") && run.err().contains(".md or .html"), run.err());
        assertTrue(run.err().contains("Nothing was changed."), run.err());
        assertFalse(Files.exists(dir.resolve("notes.txt")));
    }

    @Test
    void badPlanIsBadInputNamingFileLineAndFieldAndKeepsOldNotes() throws IOException {
        Path out = write("notes.md", "previous notes");
        Path plan = write("plan.json", "{\"meetingDate\":\"2026-11-23\",\n\"components\":[{\"name\":\"gw\",\n"
                + "\"hasChanges\":true}]}");
        CliRun run = CliRun.of("release-notes", "--config", write("deployflow.yaml", CONFIG).toString(),
                "--plan", plan.toString(), "--out", out.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains(plan + ":2: components[0].nextVersion: required"), run.err());
        assertEquals("previous notes", Files.readString(out));
    }

    @Test
    void ownTemplateReplacesTheBundledOneAndItsTyposAreBadInput() throws IOException {
        Path config = write("deployflow.yaml", CONFIG);
        Path plan = write("plan.json", PLAN);
        Path template = write("team.md", "Release {{meetingDate}}\n{{#components}}\n* {{name}}: {{versionChange}}\n"
                + "{{/components}}\n");
        CliRun run = CliRun.of("release-notes", "--config", config.toString(), "--plan", plan.toString(),
                "--out", dir.resolve("notes.md").toString(), "--template", template.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("Release 2026-11-23\n* gw: 1.2.0 → 1.3.0\n", Files.readString(dir.resolve("notes.md")));

        Path typo = write("typo.md", "Release {{meetingDate}}\n{{#components}}\n* {{nmae}}\n{{/components}}\n");
        CliRun bad = CliRun.of("release-notes", "--config", config.toString(), "--plan", plan.toString(),
                "--out", dir.resolve("typo-notes.md").toString(), "--template", typo.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains(typo + ":3: nmae: unknown placeholder"), bad.err());
        assertFalse(Files.exists(dir.resolve("typo-notes.md")));
    }
}
