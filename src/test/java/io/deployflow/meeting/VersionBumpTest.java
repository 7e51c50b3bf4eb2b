package io.deployflow.meeting;

import io.deployflow.config.ReleaseRules;
import io.deployflow.release.SemVer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionBumpTest {
    private static final SemVer LAST = SemVer.parse("1.2.3");
    /** The rules of a team that releases every change, as deployflow did before release rules. */
    private static final ReleaseRules EVERY_CHANGE = new ReleaseRules(Map.of("feat", "minor"), "patch");

    private static List<ConventionalCommit> commits(String... messages) {
        return Arrays.stream(messages).map(ConventionalCommit::parse).toList();
    }

    private static String next(String... messages) {
        return next(ReleaseRules.defaults(), messages);
    }

    private static String next(ReleaseRules rules, String... messages) {
        return VersionBump.of(LAST, commits(messages), rules).map(b -> b.apply(LAST).toString())
                .orElse("no release");
    }

    @Test
    void breakingChangeBumpsMajorWhateverItsType() {
        assertEquals("2.0.0", next("fix: a", "feat!: drop STU3"));
        assertEquals("2.0.0", next("refactor(api)!: rename endpoints"));
        assertEquals("2.0.0", next("feat: new search\n\nBREAKING CHANGE: _count is required"));
        assertEquals("2.0.0", next("chore: deps\n\nBREAKING-CHANGE: Java 21 needed"));
        assertEquals("2.0.0", next("docs!: the API reference moved"));
    }

    @Test
    void featureBumpsMinor() {
        assertEquals("1.3.0", next("fix: a", "feat(search): _include", "docs: b"));
        assertEquals("1.3.0", next("Feat: capitalised type still counts"));
    }

    @Test
    void fixPerfAndRevertBumpPatchAsSemanticReleaseDoes() {
        assertEquals("1.2.4", next("fix: a", "chore: b"));
        assertEquals("1.2.4", next("perf: cache expansions", "docs: b"));
        assertEquals("1.2.4", next("revert: feat: paging"));
        assertEquals("1.2.4", next("Revert \"feat: paging\"\n\nThis reverts commit 0123abc."));
        assertEquals("1.2.4", next("fix: mentions BREAKING CHANGE: only in the subject"));
    }

    @Test
    void otherChangesMakeNoReleaseByDefault() {
        assertEquals("no release", next("docs: README", "chore: deps", "ci: cache", "style: x", "test: y",
                "refactor: z", "build: w", "Update README", "feature: not a conventional type"));
    }

    @Test
    void aTeamCanReleaseEveryChangeOrSilenceAType() {
        assertEquals("1.2.4", next(EVERY_CHANGE, "docs: README", "Update README"));
        assertEquals("1.3.0", next(EVERY_CHANGE, "docs: README", "feat: x"));
        ReleaseRules quietFixes = new ReleaseRules(Map.of("feat", "minor", "fix", "none"), "none");
        assertEquals("no release", next(quietFixes, "fix: typo in a log line"));
        assertEquals("2.0.0", next(quietFixes, "fix!: a breaking fix is still major"));
    }

    @Test
    void neverReleasedStartsAtZeroOneAndNothingNewIsNoBump() {
        assertEquals("0.1.0", VersionBump.of(null, commits("docs: x"), ReleaseRules.defaults()).orElseThrow()
                .apply(null).toString());
        assertTrue(VersionBump.of(LAST, List.of(), ReleaseRules.defaults()).isEmpty());
    }

    @Test
    void parsesTypeScopeAndBreaking() {
        ConventionalCommit c = ConventionalCommit.parse("fix(gateway)!: stop\n\nbody");
        assertEquals("fix", c.type());
        assertEquals("gateway", c.scope());
        assertTrue(c.breaking());
        ConventionalCommit plain = ConventionalCommit.parse("Merge branch 'x'");
        assertNull(plain.type());
        assertFalse(plain.breaking());
        assertEquals("revert", ConventionalCommit.parse("Revert \"fix: a\"").type());
    }
}
