package io.deployflow.meeting;

import io.deployflow.release.SemVer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionBumpTest {
    private static final SemVer LAST = SemVer.parse("1.2.3");

    private static String next(String... messages) {
        List<ConventionalCommit> commits = java.util.Arrays.stream(messages).map(ConventionalCommit::parse).toList();
        return VersionBump.of(LAST, commits).apply(LAST).toString();
    }

    @Test
    void breakingChangeBumpsMajor() {
        assertEquals("2.0.0", next("fix: a", "feat!: drop STU3"));
        assertEquals("2.0.0", next("refactor(api)!: rename endpoints"));
        assertEquals("2.0.0", next("feat: new search\n\nBREAKING CHANGE: _count is required"));
        assertEquals("2.0.0", next("chore: deps\n\nBREAKING-CHANGE: Java 21 needed"));
    }

    @Test
    void featureBumpsMinor() {
        assertEquals("1.3.0", next("fix: a", "feat(search): _include", "docs: b"));
        assertEquals("1.3.0", next("Feat: capitalised type still counts"));
    }

    @Test
    void anythingElseBumpsPatch() {
        assertEquals("1.2.4", next("fix: a", "chore: b", "Update README", "feature: not a conventional type"));
        assertEquals("1.2.4", next("fix: mentions BREAKING CHANGE: only in the subject"));
    }

    @Test
    void neverReleasedStartsAtZeroOne() {
        assertEquals("0.1.0", VersionBump.of(null, List.of(ConventionalCommit.parse("feat!: x")))
                .apply(null).toString());
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
    }
}
