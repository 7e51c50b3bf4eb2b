package io.deployflow.meeting;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.git.GitCredentials;
import io.deployflow.git.RepoBuilder;
import io.deployflow.git.RepoCache;
import io.deployflow.meeting.MeetingPlan.Change;
import io.deployflow.meeting.MeetingPlan.ComponentPlan;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scanner on real repositories, built commit by commit the way teams and web UIs make them. */
class RepositoryScannerTest {
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");
    @TempDir
    Path dir;
    private DeployflowConfig config;

    @BeforeEach
    void config() throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org, dev1@users.noreply.example.org]}
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                  - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
                components:
                  - {name: gateway, repo: repo}
                  - {name: prefixed, repo: repo, tagPrefix: gateway/v}
                  - {name: trunk, repo: repo, developBranch: main}
                releaseNotes:
                  ticketPattern: '\\bFHIR-[0-9]+\\b'
                """);
        config = ConfigLoader.load(file);
    }

    private RepoBuilder repo() {
        return RepoBuilder.init(dir.resolve("repo"), "develop", T0);
    }

    private ComponentPlan scan(RepoBuilder repo, String component) {
        return new RepositoryScanner(config).scan(repo.repository(), config.component(component), "repo");
    }

    private static List<String> subjects(ComponentPlan plan) {
        return plan.changes().stream().map(Change::subject).toList();
    }

    @Test
    void noFastForwardMergeMakesTheMergerTheRepoPerson() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: first");
            r.tag("v1.0.0", "release 1.0.0");
            r.branch("feature/a");
            r.commit("dev3@example.org", "feat: patient search (FHIR-12)");
            r.commit("dev3@example.org", "fix: paging (FHIR-12, FHIR-13)");
            r.checkout("develop");
            r.merge("feature/a", "dev2@example.org", "Merge branch 'feature/a' into develop", true);

            ComponentPlan plan = scan(r, "gateway");
            assertTrue(plan.hasChanges());
            assertEquals("1.0.0", plan.lastRelease());
            assertEquals("v1.0.0", plan.lastReleaseTag());
            assertEquals("1.1.0", plan.nextVersion());
            assertEquals("1.1.0", plan.releaseVersion());
            assertEquals("minor", plan.bump());
            assertEquals("dev2", plan.repoPerson().id(), "the merger, not the commit authors");
            assertTrue(plan.repoPerson().known());
            assertEquals(List.of("fix: paging (FHIR-12, FHIR-13)", "feat: patient search (FHIR-12)"), subjects(plan),
                    "the merge commit itself is not a change");
            assertEquals(List.of("FHIR-12", "FHIR-13"), plan.changes().get(0).tickets());
            assertEquals("fix", plan.changes().get(0).type());
        }
    }

    @Test
    void fastForwardHistoryUsesTheTipAuthor() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: first");
            r.tag("v2.3.4", null);
            r.branch("fix/x");
            r.commit("dev2@example.org", "fix: one");
            r.commit("dev3@example.org", "fix: two");
            r.checkout("develop");
            RevCommit tip = r.merge("fix/x", "dev1@example.org", "unused", false);

            ComponentPlan plan = scan(r, "gateway");
            assertEquals(tip.name(), plan.changes().get(0).sha());
            assertEquals("dev3", plan.repoPerson().id());
            assertEquals("2.3.5", plan.nextVersion());
            assertEquals("patch", plan.bump());
        }
    }

    @Test
    void webUiMergeCountsItsAuthorAndOnlyTheFirstParentLineMatters() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: first");
            r.tag("v1.0.0", "1.0.0");
            r.branch("feature/b");
            r.commit("dev1@example.org", "feat!: drop STU3");
            r.branch("feature/b-part");
            r.commit("dev2@example.org", "test: part");
            r.checkout("feature/b");
            // a merge on the feature branch (second-parent side of develop's history) must not count
            r.merge("feature/b-part", "dev2@example.org", "Merge branch 'feature/b-part' into feature/b", true);
            r.checkout("develop");
            r.commit("dev2@example.org", "fix: meanwhile on develop");
            r.merge("feature/b", "dev1@users.noreply.example.org", "Merge pull request #41 from fhir/feature-b\n\n"
                    + "feat!: drop STU3", true);
            r.commit("dev2@example.org", "docs: after the merge, fast-forwarded");

            ComponentPlan plan = scan(r, "gateway");
            assertEquals("dev1", plan.repoPerson().id(), "web UI merge author, matched by a second email");
            assertEquals("2.0.0", plan.nextVersion());
            assertEquals(4, plan.changes().size());
            assertTrue(plan.changes().stream().anyMatch(Change::breaking));
        }
    }

    @Test
    void mergesBeforeTheReleaseDoNotCount() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: first");
            r.branch("f");
            r.commit("dev1@example.org", "feat: f");
            r.checkout("develop");
            r.merge("f", "dev2@example.org", "Merge f", true);
            r.tag("v1.0.0", "1.0.0");
            r.commit("dev3@example.org", "fix: after the release");

            assertEquals("dev3", scan(r, "gateway").repoPerson().id());
        }
    }

    @Test
    void neverReleasedCountsEveryCommitAndStartsAtZeroOne() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat!: first");
            r.commit("dev2@example.org", "Initial import without a convention");
            r.tag("not-a-version", "x");
            r.tag("vNext", null);

            ComponentPlan plan = scan(r, "gateway");
            assertNull(plan.lastRelease());
            assertNull(plan.lastReleaseTag());
            assertEquals("0.1.0", plan.nextVersion());
            assertEquals("initial", plan.bump());
            assertEquals(2, plan.changes().size());
            assertNull(plan.changes().get(0).type());
        }
    }

    @Test
    void preReleaseTagsAreNotReleasesAndTheHighestVersionWinsNotTheNewestTag() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: a");
            r.tag("v1.10.0", "1.10.0");
            r.commit("dev1@example.org", "feat: b");
            r.tag("v1.9.5", "a backport tagged later, lower version");
            r.commit("dev2@example.org", "fix: c");
            r.tag("v1.11.0-rc.1", "release candidate");
            r.tag("v2.0.0+build.1", "build metadata: not a plain release tag");
            r.tag("gateway/v9.0.0", "another component's prefix");

            ComponentPlan plan = scan(r, "gateway");
            assertEquals("1.10.0", plan.lastRelease());
            assertEquals(List.of("fix: c", "feat: b"), subjects(plan));
            assertEquals("1.11.0", plan.nextVersion());

            ComponentPlan prefixed = scan(r, "prefixed");
            assertEquals("9.0.0", prefixed.lastRelease());
            assertEquals("gateway/v9.0.0", prefixed.lastReleaseTag());
            assertFalse(prefixed.hasChanges());
        }
    }

    @Test
    void unknownAuthorIsReportedWithTheEmail() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: a");
            r.tag("v1.0.0", "1.0.0");
            r.commit("Contractor@Partner.example", "fix: from outside");

            ComponentPlan plan = scan(r, "gateway");
            assertFalse(plan.repoPerson().known());
            assertNull(plan.repoPerson().id());
            assertEquals("Contractor@Partner.example", plan.repoPerson().email());
            assertEquals("Contractor", plan.repoPerson().name());
        }
    }

    @Test
    void nothingSinceTheReleaseButTheMergeBackIsNoChange() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: a");
            r.branch("main");
            r.commit("dev1@example.org", "chore: release 1.0.0");
            r.tag("v1.0.0", "1.0.0");
            r.checkout("develop");
            r.merge("main", "dev1@example.org", "Merge branch 'main' into develop", true);

            ComponentPlan plan = scan(r, "gateway");
            assertFalse(plan.hasChanges());
            assertNull(plan.repoPerson());
            assertNull(plan.nextVersion());
            assertEquals("1.0.0", plan.releaseVersion());
            assertTrue(plan.changes().isEmpty());
        }
    }

    @Test
    void missingDevelopBranchIsBadInputNamingTheFieldAndTheBranchesThereAre() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: a");
            BadInputException e = assertThrows(BadInputException.class, () -> scan(r, "trunk"));
            assertEquals("components[2].developBranch", e.field());
            assertTrue(e.getMessage().contains("'main' does not exist") && e.getMessage().contains("develop"),
                    e.getMessage());
        }
    }

    @Test
    void docsChoreAndCiAfterAReleaseNeedNoRelease() {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: first");
            r.tag("v1.0.0", "release 1.0.0");
            r.commit("dev2@example.org", "docs: configuration example (FHIR-3)");
            r.branch("chore/deps");
            r.commit("dev3@example.org", "chore(deps): bump jackson");
            r.checkout("develop");
            r.merge("chore/deps", "dev2@example.org", "Merge branch 'chore/deps' into develop", true);
            r.commit("dev1@example.org", "ci: cache the maven repository");

            ComponentPlan plan = scan(r, "gateway");
            assertTrue(plan.hasChanges());
            assertFalse(plan.releaseNeeded());
            assertEquals(3, plan.changes().size(), "the changes are still listed");
            assertEquals("1.0.0", plan.releaseVersion(), "what runs after the meeting is the last release");
            assertNull(plan.nextVersion());
            assertNull(plan.bump());
            assertNull(plan.repoPerson(), "nobody releases");
            assertEquals("gateway: no release needed, 3 changes since 1.0.0 (ci, chore, docs) make none by the"
                    + " release rules", ReleaseMeeting.describe(plan));

            r.commit("dev2@example.org", "fix: null search parameter");
            ComponentPlan fixed = scan(r, "gateway");
            assertTrue(fixed.releaseNeeded());
            assertEquals("1.0.1", fixed.nextVersion());
            assertEquals("dev2", fixed.repoPerson().id());
        }
    }

    @Test
    void theReleaseRulesComeFromTheConfig() throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, Files.readString(file) + """
                meeting:
                  releaseRules: {feat: minor, fix: patch, docs: patch, "*": none}
                """);
        config = ConfigLoader.load(file);
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: first");
            r.tag("v1.0.0", "release 1.0.0");
            r.commit("dev2@example.org", "chore: tidy");
            assertFalse(scan(r, "gateway").releaseNeeded());
            r.commit("dev2@example.org", "docs: the user manual ships with the image");
            ComponentPlan plan = scan(r, "gateway");
            assertTrue(plan.releaseNeeded());
            assertEquals("1.0.1", plan.nextVersion());
        }
    }

    @Test
    void aTeamThatReleasesEveryChangeSaysSo() throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, Files.readString(file) + "meeting: {releaseRules: {feat: minor, '*': patch}}\n");
        config = ConfigLoader.load(file);
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "first");
            r.tag("v1.0.0", "release 1.0.0");
            r.commit("dev2@example.org", "Update the README");
            ComponentPlan plan = scan(r, "gateway");
            assertTrue(plan.releaseNeeded());
            assertEquals("patch", plan.bump());
        }
    }

    @Test
    void aRememberedScanIsJudgedByTheReleaseRulesOfThisRun() throws IOException {
        try (RepoBuilder r = repo()) {
            r.commit("dev1@example.org", "feat: first");
            r.tag("v1.0.0", "release 1.0.0");
            r.commit("dev2@example.org", "docs: the user manual");
            RepoCache cache = new RepoCache(dir.resolve("cache"), new GitCredentials(java.util.Map.of()));
            String url = dir.resolve("repo").toString();
            RepositoryScanner.Scan first = new RepositoryScanner(config).scan(cache, url,
                    config.component("gateway"), "repo");
            assertFalse(first.plan().releaseNeeded());

            Path file = dir.resolve("deployflow.yaml");
            Files.writeString(file, Files.readString(file) + "meeting: {releaseRules: {feat: minor, docs: patch}}\n");
            DeployflowConfig docsRelease = ConfigLoader.load(file);
            RepositoryScanner.Scan second = new RepositoryScanner(docsRelease).scan(cache, url,
                    docsRelease.component("gateway"), "repo");
            assertEquals(RepositoryScanner.Source.REMEMBERED, second.source(), "nothing moved upstream");
            assertTrue(second.plan().releaseNeeded(), "the rules are applied to the remembered commits");
            assertEquals("1.0.1", second.plan().nextVersion());
        }
    }

    /** The progress line's seconds, as %.2f would print them, without the formatter's start-up. */
    @Test
    void progressSecondsHaveTwoDecimalsRoundedHalfUp() {
        assertEquals("0.00", ReleaseMeeting.seconds(0));
        assertEquals("0.00", ReleaseMeeting.seconds(4_999_999));
        assertEquals("0.01", ReleaseMeeting.seconds(5_000_000));
        assertEquals("0.10", ReleaseMeeting.seconds(99_999_999));
        assertEquals("1.23", ReleaseMeeting.seconds(1_234_000_000));
        assertEquals("12.35", ReleaseMeeting.seconds(12_345_678_901L));
        assertEquals("0.00", ReleaseMeeting.seconds(-7), "a clock that went back counts as nothing");
    }
}
