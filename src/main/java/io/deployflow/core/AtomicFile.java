package io.deployflow.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a result file so that whoever reads it (a Jenkins {@code junit} step, the next pipeline step) sees the old
 * file or the whole new one: the bytes go to a temporary file beside it, which then replaces it in one rename.
 * <p>
 * The temporary file is not made with {@code Files.createTempFile}: its random names come from {@code SecureRandom},
 * whose set-up cost every step's new JVM ~15 ms of CPU. Here the name is the target's, the process id and a counter,
 * and the file is created exclusively ({@code O_EXCL}: an existing file or link of that name is never opened, only
 * skipped), readable and writable by its owner alone, as {@code createTempFile} makes it.
 */
public final class AtomicFile {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int ATTEMPTS = 100;
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** What writes a file's bytes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** Writes {@code file} (its directory is created when missing); on failure the old file is untouched. */
    public static void write(Path file, Content content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = temporaryBeside(parent, file.getFileName().toString());
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The number the next temporary name gets; {@code AtomicFileTest} takes the names ahead of it. */
    static int nextNumber() {
        return COUNTER.get();
    }

    /** Writes text as UTF-8; see {@link #write(Path, Content)}. */
    public static void writeString(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, out -> out.write(bytes));
    }

    private static Path temporaryBeside(Path dir, String name) throws IOException {
        FileAttribute<?>[] attributes = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {OWNER_ONLY} : new FileAttribute<?>[0];
        String prefix = "." + name + "." + ProcessHandle.current().pid() + ".";
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return Files.createFile(dir.resolve(prefix + COUNTER.getAndIncrement() + ".tmp"), attributes);
            } catch (FileAlreadyExistsException e) {
                // left behind by an earlier process that had this id: take the next number
            }
        }
        return Files.createTempFile(dir, "." + name, ".tmp", attributes);
    }
}
