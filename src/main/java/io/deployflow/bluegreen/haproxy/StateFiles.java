package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.LockHolder;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.RolloutStateJson;
import io.deployflow.core.OutsideSystemException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The rollout state and lock of an HAProxy target, as two files next to HAProxy's configuration:
 * {@code deployflow-<target>.rollout.json} and {@code deployflow-<target>.lock}. That directory belongs to the load
 * balancer, not to a Jenkins workspace, so any agent that runs HAProxy's CLI calls finds them after any restart.
 * Writes are atomic (temp file + rename); the lock is taken with a hard link, which the kernel refuses atomically
 * when the name exists, so two agents cannot both take it.
 */
public final class StateFiles {
    private final Path state;
    private final Path lock;

    public StateFiles(Path dir, String target) {
        this.state = dir.resolve("deployflow-" + target + ".rollout.json");
        this.lock = dir.resolve("deployflow-" + target + ".lock");
    }

    public Path stateFile() {
        return state;
    }

    public Path lockFile() {
        return lock;
    }

    public Optional<RolloutState> readState() {
        return read(state).map(text -> RolloutStateJson.readState(text, state.toString()));
    }

    public void writeState(RolloutState value) {
        try {
            Path tmp = temp(RolloutStateJson.write(value));
            Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new OutsideSystemException(state.toString(), "cannot write the rollout state: " + e.getMessage(),
                    e);
        }
    }

    public Optional<LockHolder> acquire(LockHolder candidate) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<LockHolder> holder = readLock();
            if (holder.isPresent()) {
                return holder.get().rolloutId().equals(candidate.rolloutId()) ? Optional.empty() : holder;
            }
            Path tmp = null;
            try {
                tmp = temp(RolloutStateJson.write(candidate));
                Files.createLink(lock, tmp);
                return Optional.empty();
            } catch (FileAlreadyExistsException raced) {
                // another agent took it between our read and our link: read who, and try again
            } catch (IOException e) {
                throw new OutsideSystemException(lock.toString(), "cannot take the rollout lock: " + e.getMessage(),
                        e);
            } finally {
                deleteQuietly(tmp);
            }
        }
        return readLock();
    }

    public void release(String rolloutId) {
        Optional<LockHolder> holder = readLock();
        if (holder.isPresent() && holder.get().rolloutId().equals(rolloutId)) {
            try {
                Files.deleteIfExists(lock);
            } catch (IOException e) {
                throw new OutsideSystemException(lock.toString(), "cannot release the rollout lock: "
                        + e.getMessage(), e);
            }
        }
    }

    public Optional<LockHolder> readLock() {
        return read(lock).map(text -> RolloutStateJson.readLock(text, lock.toString()));
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new OutsideSystemException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    private Path temp(String text) throws IOException {
        Files.createDirectories(state.getParent());
        Path tmp = Files.createTempFile(state.getParent(), ".deployflow-", ".tmp");
        Files.writeString(tmp, text);
        return tmp;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file changes nothing
            }
        }
    }
}
