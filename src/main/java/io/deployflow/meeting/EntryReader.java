package io.deployflow.meeting;

import org.eclipse.jgit.lib.ObjectId;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of a meeting memory entry ({@link ScanMemory}, {@link PlanMemory}) from its bytes, in the format
 * {@code DataOutputStream} wrote them: big-endian numbers, a boolean as one byte, a string as its UTF-8 length and
 * bytes. Why not {@code DataInputStream}: a meeting reads 200 plans of 100 changes each in a new JVM, and each string
 * went through a synchronized read per length byte, an array of its own and a second copy; here it is decoded
 * straight from the entry. Reading past the end, or a length or count that cannot be, is an {@link IOException}: the
 * entry is then not used.
 */
final class EntryReader {
    private static final int MAX_COUNT = 10_000_000;

    private final byte[] bytes;
    private int at;

    EntryReader(byte[] bytes) {
        this.bytes = bytes;
    }

    int readInt() throws IOException {
        need(Integer.BYTES);
        int value = (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                | bytes[at + 3] & 0xff;
        at += Integer.BYTES;
        return value;
    }

    long readLong() throws IOException {
        return (long) readInt() << 32 | readInt() & 0xffffffffL;
    }

    boolean readBoolean() throws IOException {
        need(1);
        return bytes[at++] != 0;
    }

    String string() throws IOException {
        int length = readInt();
        if (length < 0) {
            throw new IOException("implausible length " + length);
        }
        need(length);
        String value = new String(bytes, at, length, StandardCharsets.UTF_8);
        at += length;
        return value;
    }

    /** A string that is present only when the boolean before it says so. */
    String optional() throws IOException {
        return readBoolean() ? string() : null;
    }

    /** A commit id, checked as one. */
    String sha() throws IOException {
        String sha = string();
        if (!ObjectId.isId(sha)) {
            throw new IOException("not a commit id: " + sha);
        }
        return sha;
    }

    /** How many items follow; a count no entry can hold means the entry is damaged. */
    int count() throws IOException {
        int n = readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IOException("implausible count " + n);
        }
        return n;
    }

    boolean atEnd() {
        return at == bytes.length;
    }

    private void need(int n) throws EOFException {
        if (n > bytes.length - at) {
            throw new EOFException("entry ends after " + bytes.length + " bytes");
        }
    }
}
