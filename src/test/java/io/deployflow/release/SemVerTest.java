package io.deployflow.release;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SemVerTest {
    @Test
    void parsesReleasesAndPreReleases() {
        SemVer release = SemVer.parse("1.12.3");
        assertEquals(List.of(1, 12, 3), List.of(release.major(), release.minor(), release.patch()));
        assertTrue(release.isRelease());
        SemVer rc = SemVer.parse("1.3.0-rc.1");
        assertFalse(rc.isRelease());
        assertEquals("rc.1", rc.preRelease());
        assertEquals("1.3.0-rc.1+build.7", SemVer.parse("1.3.0-rc.1+build.7").toString());
    }

    @Test
    void rejectsWhatIsNotSemver() {
        for (String bad : List.of("1.2", "1.2.3.4", "01.2.3", "v1.2.3", "1.2.x", "", "1.2.3-", "1.2.3-01")) {
            assertTrue(SemVer.tryParse(bad).isEmpty(), bad);
        }
    }

    @Test
    void ordersBySemverPrecedenceNotText() {
        List<String> expected = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.9.0", "1.10.0", "2.0.0");
        List<SemVer> shuffled = new ArrayList<>(expected.stream().map(SemVer::parse).toList());
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled.stream().map(SemVer::toString).toList());
    }

    @Test
    void bumpsResetLowerParts() {
        SemVer v = SemVer.parse("1.4.2");
        assertEquals("2.0.0", v.nextMajor().toString());
        assertEquals("1.5.0", v.nextMinor().toString());
        assertEquals("1.4.3", v.nextPatch().toString());
    }
}
