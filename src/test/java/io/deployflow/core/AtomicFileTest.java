package io.deployflow.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileWholeForItsOwnerAndLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("reports/smoke.xml");
        AtomicFile.write(file, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        AtomicFile.write(file, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "as Files.createTempFile made it");
        assertEquals(List.of(file), list(file.getParent()));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("plan.json");
        Files.writeString(file, "old");
        assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void namesAlreadyTakenAreSkippedNotFollowed() throws IOException {
        // every name this process could try first is a link to a file that must not be written through it
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "untouched");
        Path work = Files.createDirectories(dir.resolve("work"));
        long pid = ProcessHandle.current().pid();
        int next = AtomicFile.nextNumber();
        for (int i = next; i < next + 2000; i++) { // more than it tries: the last resort is taken too
            Files.createSymbolicLink(work.resolve(".result.json." + pid + "." + i + ".tmp"), victim);
        }
        AtomicFile.write(work.resolve("result.json"), out -> out.write("{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("{}", Files.readString(work.resolve("result.json")));
        assertEquals("untouched", Files.readString(victim));
        assertEquals(2001, list(work).size(), "only the result was added");
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
