package io.deployflow.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control for every leak check: a planted value is found wherever a run could write it, and only then. */
class LeakScanTest {
    static final String SECRET = "ghp_Q8mZr2VtL0x7NcKa4PbYwE9sHd3fGj1TuU6i";

    @TempDir
    Path dir;

    static void git(Path repo, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=t",
                "-c", "user.email=t@example.org"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void findsAValueInATextAndNothingWhenItIsAbsent() {
        LeakScan scan = new LeakScan(List.of(SECRET));
        assertEquals(List.of(), scan.inTexts(Map.of("console", "token is ****")));
        List<String> found = scan.inTexts(Map.of("console", "token is " + SECRET));
        assertEquals(1, found.size());
        assertTrue(found.get(0).contains("console") && !found.get(0).contains(SECRET), found.get(0));
    }

    @Test
    void findsAValueInAnyFileBinaryOrNotAndInAFileName() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/clean.json"), "{\"ok\":true}");
        LeakScan scan = new LeakScan(List.of(SECRET));
        assertEquals(List.of(), scan.inFiles(dir, dir.resolve("missing")));
        byte[] binary = ("\u0000\u00ff" + SECRET + "\u0001").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("a/b/blob.bin"), binary);
        Files.writeString(dir.resolve("a/" + SECRET + ".txt"), "x");
        List<String> found = scan.inFiles(dir);
        assertEquals(2, found.size(), found.toString());
    }

    @Test
    void findsAValueCommittedToAGitRepositoryLooseAndPacked() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo);
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("config.env"), "TOKEN=" + SECRET + "\n");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "oops");
        Files.delete(repo.resolve("config.env"));
        LeakScan scan = new LeakScan(List.of(SECRET));
        List<String> loose = scan.inFiles(dir);
        assertEquals(1, loose.size(), "zlib-compressed loose objects are read through git: " + loose);
        assertTrue(loose.get(0).contains("git objects"));
        git(repo, "gc", "-q", "--aggressive");
        assertEquals(1, scan.inFiles(dir).size(), "and packed ones too");
    }

    @Test
    void refusesSecretsTooShortToFindReliably() {
        assertThrows(IllegalArgumentException.class, () -> new LeakScan(List.of("abc")));
    }
}
