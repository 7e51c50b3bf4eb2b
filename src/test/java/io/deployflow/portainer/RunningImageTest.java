package io.deployflow.portainer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunningImageTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String OTHER = "sha256:" + "cd".repeat(32);

    @Test
    void swarmRunsTheFilesTagPinnedToADigest() {
        assertTrue(RunningImage.matches("registry.example.org/fhir/gw:1.3.0", "registry.example.org/fhir/gw:1.3.0@"
                + DIGEST));
        assertFalse(RunningImage.matches("registry.example.org/fhir/gw:1.3.0", "registry.example.org/fhir/gw:1.2.0@"
                + DIGEST), "another tag is another image, pinned or not");
    }

    @Test
    void aFileThatPinsADigestNeedsThatDigest() {
        assertTrue(RunningImage.matches("reg.example/gw:1.3.0@" + DIGEST, "reg.example/gw:1.3.0@" + DIGEST));
        assertTrue(RunningImage.matches("reg.example/gw@" + DIGEST, "reg.example/gw:1.3.0@" + DIGEST));
        assertFalse(RunningImage.matches("reg.example/gw:1.3.0@" + DIGEST, "reg.example/gw:1.3.0@" + OTHER));
        assertFalse(RunningImage.matches("reg.example/gw:1.3.0@" + DIGEST, "reg.example/gw:1.3.0"),
                "made from the tag alone: not known to be the pinned content");
    }

    @Test
    void dockerHubSpellingsAndImplicitLatestAreTheSame() {
        assertTrue(RunningImage.matches("busybox", "docker.io/library/busybox:latest"));
        assertTrue(RunningImage.matches("docker.io/library/postgres:16", "postgres:16"));
        assertFalse(RunningImage.matches("postgres:16", "postgres:15"));
        assertFalse(RunningImage.matches("127.0.0.1:5000/app:1", "127.0.0.1:5000/other:1"), "a port is no tag");
    }

    @Test
    void anImageIdCannotBeComparedAndCounts() {
        assertTrue(RunningImage.matches("reg.example/gw:1.3.0", DIGEST));
    }
}
