package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar carries the templates from the top-level resources/ (the shared library's), for both formats. */
class ReleaseNotesIT {
    @TempDir
    Path dir;

    @Test
    void jarRendersWithItsBundledTemplates() throws Exception {
        Path config = Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
                components:
                  - {name: gw, repo: file:///r/gw, image: registry.example.org/gw}
                """);
        Path plan = Files.writeString(dir.resolve("plan.json"), """
                {"meetingDate":"2026-11-23","components":[{"name":"gw","hasChanges":true,"lastRelease":"1.2.0",
                 "nextVersion":"1.3.0","changes":[{"subject":"fix: <b>bold</b>"}]}]}
                """);
        for (String name : new String[] {"notes.md", "notes.html"}) {
            JarIT.Result result = JarIT.run("release-notes", "--config", config.toString(), "--plan", plan.toString(),
                    "--out", dir.resolve(name).toString());
            assertEquals(0, result.code(), result.err());
        }
        assertTrue(Files.readString(dir.resolve("notes.md")).contains("### Fixes\n\n- \\<b\\>bold\\</b\\>\n"));
        assertTrue(Files.readString(dir.resolve("notes.html")).contains("<li>&lt;b&gt;bold&lt;/b&gt;</li>"));
    }
}
