package io.deployflow.ledger;

import io.deployflow.core.AtomicFile;
import io.deployflow.core.OutsideSystemException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The ledger in a directory on this machine, for teams that have not chosen a repository. A lock file serialises
 * writers (two builds on one agent, two threads); each file is replaced atomically, so a reader never sees half a
 * line.
 */
final class LocalLedgerStore implements LedgerStore {
    private static final ConcurrentMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();
    private final Path dir;

    LocalLedgerStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public String read(String path) {
        Path file = dir.resolve(path);
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new OutsideSystemException("ledger " + dir, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T update(Change<T> change) {
        synchronized (IN_PROCESS.computeIfAbsent(dir, d -> new Object())) {
            try {
                Files.createDirectories(dir);
                try (FileChannel lock = FileChannel.open(dir.resolve(".ledger.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = lock.lock()) {
                    Outcome<T> outcome = change.apply(this::read);
                    for (Map.Entry<String, String> file : outcome.files().entrySet()) {
                        write(dir.resolve(file.getKey()), file.getValue());
                    }
                    change.committed();
                    return outcome.result();
                }
            } catch (IOException e) {
                throw new OutsideSystemException("ledger " + dir, "cannot write: " + e.getMessage(), e);
            }
        }
    }

    private static void write(Path file, String text) throws IOException {
        AtomicFile.writeString(file, text);
    }

    @Override
    public List<Version> history(String path) {
        return List.of();
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    @Override
    public Path spoolFile() {
        return null;
    }

    @Override
    public void underLock(Runnable work) {
        update(current -> {
            work.run();
            return new Outcome<>(Map.of(), "", null);
        });
    }
}
