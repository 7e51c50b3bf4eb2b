package io.deployflow.release.notes;

import io.deployflow.config.DeployflowConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReleaseNotesTest {
    @TempDir
    Path dir;

    private String render(String config, NotesFormat format) {
        DeployflowConfig loaded = NotesFixture.config(dir, config);
        ReleasePlan plan = ReleasePlan.load(NotesFixture.write(dir, "plan.json", NotesFixture.PLAN));
        return new ReleaseNotes(loaded).render(plan, format, null);
    }

    /** The text between a heading line and the next heading of any level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "no heading '" + heading + "' in:\n" + markdown);
        int end = markdown.indexOf("\n#", start + heading.length() + 2);
        return markdown.substring(start + heading.length() + 2, end < 0 ? markdown.length() : end);
    }

    @Test
    void markdownGroupsChangesByKindPerComponent() {
        String md = render(NotesFixture.CONFIG, NotesFormat.MARKDOWN);
        String gateway = md.substring(md.indexOf("## fhir-gateway 1.2.0 → 2.0.0"), md.indexOf("## audit"));
        String features = section(gateway, "### Features");
        assertTrue(features.contains("- api: add $everything for [FHIR-12](https://jira.example.org/browse/FHIR-12)"
                + " ([OPS-3](https://jira.example.org/browse/OPS-3)) (aaaaaaa)"), features);
        assertFalse(features.contains("null"), features);
        String fixes = section(gateway, "### Fixes");
        assertTrue(fixes.contains("- null\\_pointer in \\*search\\* \\<script\\>alert('x')\\</script\\> (bbbbbbb)"),
                fixes);
        assertFalse(fixes.contains("$everything"), fixes);
        String other = section(gateway, "### Other");
        assertTrue(other.contains("- drop STU3 (ccccccc) **BREAKING**"), other);
        assertTrue(other.contains("- Update README (ddddddd)"), other);
        assertTrue(gateway.contains("Released by Developer Two (dev2)."), gateway);
    }

    @Test
    void breakingChangesAreCalledOutAtTheTopAndInTheComponent() {
        String md = render(NotesFixture.CONFIG, NotesFormat.MARKDOWN);
        assertTrue(md.indexOf("> **Breaking changes in fhir-gateway**") < md.indexOf("## Service versions"), md);
        assertFalse(md.contains("Breaking changes in audit"), md);
        String gateway = md.substring(md.indexOf("## fhir-gateway"), md.indexOf("### Features"));
        assertTrue(gateway.contains("**Breaking changes**\n\n- drop STU3 (ccccccc)\n"), gateway);
    }

    @Test
    void versionsTableListsEveryComponentReleasedOrNot() {
        String table = section(render(NotesFixture.CONFIG, NotesFormat.MARKDOWN), "## Service versions");
        assertTrue(table.contains("| fhir-gateway | 2.0.0 | 1.2.0 → 2.0.0 | registry.example.org/fhir/fhir-gateway:2.0.0 |"),
                table);
        assertTrue(table.contains("| terminology | 2.0.1 | unchanged | registry.example.org/fhir/terminology:2.0.1 |"),
                table);
        assertTrue(table.contains("| audit | 0.1.0 | first release 0.1.0 | registry.example.org/fhir/audit:0.1.0 |"),
                table);
        assertTrue(table.contains("| consent | not released yet | unchanged | - |"), table);
        assertEquals(4, table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Service")).count(), table);
    }

    @Test
    void componentsWithoutChangesGetNoSectionOnlyALine() {
        String md = render(NotesFixture.CONFIG, NotesFormat.MARKDOWN);
        assertFalse(md.contains("## terminology"), md);
        String without = section(md, "## Without a release");
        assertTrue(without.contains("- terminology: stays at 2.0.1"), without);
        assertTrue(without.contains("- consent: never released"), without);
        assertFalse(without.contains("fhir-gateway"), without);
    }

    @Test
    void whoReleasesNamesRepoPersonsUnknownAuthorsAndDcPersons() {
        String md = render(NotesFixture.CONFIG, NotesFormat.MARKDOWN);
        String who = section(md, "## Who releases");
        assertTrue(who.contains("- fhir-gateway 2.0.0: Developer Two (dev2)"), who);
        assertTrue(who.contains("- audit 0.1.0: Outside Helper, helper@elsewhere.example, not on the team"), who);
        assertTrue(who.contains("- acme: Developer One (dev1)"), who);
        assertFalse(who.contains("terminology"), who);
        assertTrue(md.contains("Release meeting of 2026-11-23: 2 of 4 components have changes"), md);
    }

    @Test
    void knownIssuesComeFromConfigWithTicketsLinked() {
        String issues = section(render(NotesFixture.CONFIG, NotesFormat.MARKDOWN), "## Known issues");
        assertTrue(issues.contains("- [FHIR-88](https://jira.example.org/browse/FHIR-88): $everything on very large"
                + " patients can \\<time out\\>"), issues);
    }

    @Test
    void withoutATicketUrlKeysStayPlainAndNoKnownIssuesSaysSo() {
        String config = NotesFixture.CONFIG.substring(0, NotesFixture.CONFIG.indexOf("releaseNotes:"));
        String md = render(config, NotesFormat.MARKDOWN);
        assertTrue(md.startsWith("# Release notes\n"), md);
        assertTrue(md.contains("add $everything for FHIR-12 (OPS-3) (aaaaaaa)"), md);
        assertFalse(md.contains("]("), md);
        assertTrue(section(md, "## Known issues").contains("None known."), md);
    }

    @Test
    void htmlEscapesEverythingFromPlanAndConfig() {
        String html = render(NotesFixture.CONFIG, NotesFormat.HTML);
        assertTrue(html.contains("<h1>FHIR &amp; friends &lt;release&gt;</h1>"), html);
        assertTrue(html.contains("<li>null_pointer in *search* &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
                + " (<code>bbbbbbb</code>)</li>"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("<li><a href=\"https://jira.example.org/browse/FHIR-88\">FHIR-88</a>: $everything on"
                + " very large patients can &lt;time out&gt;</li>"), html);
        assertTrue(html.contains("<tr><td>consent</td><td>not released yet</td><td>unchanged</td><td><code>-</code>"),
                html);
        assertTrue(html.contains("<h2>fhir-gateway 1.2.0 → 2.0.0</h2>"), html);
        assertTrue(html.contains("<span class=\"tag\">BREAKING</span>"), html);
    }

    @Test
    void planWithoutImageUsesTheConfiguredOne() {
        DeployflowConfig loaded = NotesFixture.config(dir, NotesFixture.CONFIG);
        ReleasePlan plan = ReleasePlan.load(NotesFixture.write(dir, "plan.json", """
                {"meetingDate":"2026-11-23","components":[{"name":"terminology","hasChanges":true,
                 "lastRelease":"2.0.1","nextVersion":"2.0.2","changes":[{"subject":"fix: x"}]}]}
                """));
        String md = new ReleaseNotes(loaded).render(plan, NotesFormat.MARKDOWN, null);
        assertTrue(md.contains("| terminology | 2.0.2 | 2.0.1 → 2.0.2 | registry.example.org/fhir/terminology:2.0.2 |"),
                md);
        assertTrue(md.contains("Released by nobody found."), md);
    }

    @Test
    void aComponentWhoseChangesMakeNoReleaseIsShownAsSuchAndNotReleased() {
        String plan = NotesFixture.PLAN
                .replace("\"registry.example.org/fhir/terminology\",\"hasChanges\":false,",
                        "\"registry.example.org/fhir/terminology\",\"hasChanges\":true,\"releaseNeeded\":false,")
                .replace("\"releaseVersion\":\"2.0.1\",\"repoPerson\":null,\"changes\":[]}", """
                        "releaseVersion":"2.0.1","repoPerson":null,"changes":[
                          {"sha":"f1","subject":"docs: expansion limits","type":"docs","breaking":false},
                          {"sha":"f2","subject":"chore: deps","type":"chore","breaking":false},
                          {"sha":"f3","subject":"docs: typo","type":"docs","breaking":false}]}""");
        assertTrue(plan.contains("\"releaseNeeded\":false"), "the fixture was changed");
        DeployflowConfig loaded = NotesFixture.config(dir, NotesFixture.CONFIG);
        ReleasePlan parsed = ReleasePlan.load(NotesFixture.write(dir, "plan.json", plan));
        String md = new ReleaseNotes(loaded).render(parsed, NotesFormat.MARKDOWN, null);

        assertTrue(md.contains("Release meeting of 2026-11-23: 2 of 4 components have changes to release."), md);
        assertTrue(section(md, "## Service versions").contains("| terminology | 2.0.1 | no release needed |"), md);
        assertFalse(md.contains("## terminology"), "no section of released changes: " + md);
        assertFalse(section(md, "## Who releases").contains("terminology"), md);
        assertTrue(section(md, "## Without a release").contains("- terminology: stays at 2.0.1; no release needed"
                + " (3 changes: docs, chore)"), md);
        assertTrue(section(md, "## Without a release").contains("- consent: never released\n"), md);

        String html = new ReleaseNotes(loaded).render(parsed, NotesFormat.HTML, null);
        assertTrue(html.contains("<li>terminology: stays at 2.0.1; no release needed (3 changes: docs, chore)</li>"),
                html);
    }

    @Test
    void aPlanWrittenBeforeReleaseRulesCountsEveryChange() {
        ReleasePlan plan = ReleasePlan.load(NotesFixture.write(dir, "plan.json", NotesFixture.PLAN));
        assertTrue(plan.components().get(0).releaseNeeded());
        assertFalse(plan.components().get(1).releaseNeeded());
    }

    @Test
    void aComponentHeldBackAfterTheTestsIsNotAnnouncedAndTheNotesSayWhy() {
        DeployflowConfig loaded = NotesFixture.config(dir, NotesFixture.CONFIG);
        String plan = NotesFixture.PLAN
                .replace("{\"name\":\"audit\",\"image\":\"registry.example.org/fhir/audit\",\"hasChanges\":true,",
                        "{\"name\":\"audit\",\"image\":\"registry.example.org/fhir/audit\",\"hasChanges\":false,"
                                + "\"heldBack\":{\"decision\":\"release-without\",\"customer\":\"acme\","
                                + "\"reason\":\"audit <breaks> login\",\"decidedBy\":{\"id\":\"dev1\","
                                + "\"name\":\"Developer One\"},\"decidedAt\":\"2026-11-24T09:00:00Z\","
                                + "\"plannedVersion\":\"0.1.0\",\"keptAt\":\"0.0.9\"},")
                .replace("\"nextVersion\":\"0.1.0\",\"releaseVersion\":\"0.1.0\"",
                        "\"nextVersion\":\"0.1.0\",\"releaseVersion\":\"0.0.9\"");
        String md = new ReleaseNotes(loaded).render(ReleasePlan.load(NotesFixture.write(dir, "held.json", plan)),
                NotesFormat.MARKDOWN, null);

        assertFalse(md.contains("## audit"), "no section announces it:\n" + md);
        assertTrue(section(md, "## Held back").contains("- audit 0.1.0 is not released to acme: it stays at 0.0.9."
                + " Why: audit \\<breaks\\> login (decided by Developer One on 2026-11-24)."), md);
        assertFalse(section(md, "## Without a release").contains("audit"), md);
        assertTrue(md.contains("| audit | 0.0.9 | held back (0.1.0 not released) |"), md);
        assertTrue(md.contains("1 of 4 components have changes"), md);
    }

    @Test
    void aComponentReleasedWithItsErrorIsAKnownIssue() {
        DeployflowConfig loaded = NotesFixture.config(dir, NotesFixture.CONFIG);
        String plan = NotesFixture.PLAN.replace("\"lastRelease\":\"1.2.0\",",
                "\"lastRelease\":\"1.2.0\",\"knownError\":{\"decision\":\"release-with-error\",\"customer\":\"acme\","
                        + "\"reason\":\"slow search on FHIR-99\",\"decidedBy\":{\"id\":\"dev1\","
                        + "\"name\":\"Developer One\"},\"failedRoutes\":[\"search\"]},");
        String md = new ReleaseNotes(loaded).render(ReleasePlan.load(NotesFixture.write(dir, "err.json", plan)),
                NotesFormat.MARKDOWN, null);

        String issues = section(md, "## Known issues");
        assertTrue(issues.startsWith("\n- fhir-gateway 2.0.0 is released with a known error: slow search on"
                + " [FHIR-99](https://jira.example.org/browse/FHIR-99) (decided by Developer One)\n- [FHIR-88]"),
                issues);
    }
}
