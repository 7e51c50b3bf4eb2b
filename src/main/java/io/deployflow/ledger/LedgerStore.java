package io.deployflow.ledger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the ledger and the records beside it are kept: a git repository ({@link GitLedgerStore}) or a directory on
 * this machine ({@link LocalLedgerStore}). Paths are relative, '/'-separated.
 */
interface LedgerStore {
    /** A file's current content, or null when it does not exist. */
    String read(String path);

    /**
     * Reads the current state, lets {@code change} compute the files to write, and writes them as one change. When
     * another writer got there first, the change is computed again on top of theirs, so nothing either wrote is
     * lost and a hash chain computed by {@code change} always continues from the real last entry.
     */
    <T> T update(Change<T> change);

    /** Every version the file had, oldest first; empty where the store keeps no history. */
    List<Version> history(String path);

    /** Where this is, for messages (never with a password in it). */
    String describe();

    /**
     * Where entries wait that could not be written because the store was unreachable, or null when this store is
     * never unreachable (a local directory). Read and cleared inside {@link #update}, written through
     * {@link #underLock}, so no writer on this machine loses a waiting entry.
     */
    Path spoolFile();

    /** Runs {@code work} holding the store's lock, without touching the store itself. */
    void underLock(Runnable work);

    /** What one update computes from the current state. */
    interface Change<T> {
        Outcome<T> apply(Function<String, String> currentFile);

        /** Called once the change is durably written (pushed), still under the store's lock. */
        default void committed() {
        }
    }

    /** The files to write (path to whole new content; empty: nothing to write), a commit message, a result. */
    record Outcome<T>(Map<String, String> files, String message, T result) {
    }

    /** One version of a file: the commit that wrote it (short id), its author and time, and the text. */
    record Version(String commit, String author, Instant time, String text) {
    }
}
