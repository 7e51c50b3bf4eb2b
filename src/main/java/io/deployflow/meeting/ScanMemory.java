package io.deployflow.meeting;

import io.deployflow.config.Component;
import io.deployflow.core.Sha256;
import io.deployflow.meeting.UnreleasedHistory.Commit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The release meeting's memory: per repository mirror and per (develop branch, tag prefix), the
 * {@link UnreleasedHistory} of the last scan, so the next meeting only looks at what is new; and per release
 * commit, the commits that release contains (a commit's history never changes), which is what makes a scan exact
 * without walking the whole history each time. Kept inside the mirror (a re-cloned mirror starts without memory)
 * as small binary files, each ending in a CRC-32C of its content (a check against damage, such as a disk filling up
 * or a crash mid-write on a file system without atomic renames; whoever can write the cache can write the mirror
 * anyway, so a cryptographic hash would protect nothing more, and it costs every meeting more CPU). An entry that does
 * not read back whole and exactly (truncated, edited, from another format, for another branch or prefix) is
 * treated as absent: the repository is scanned in full and the entry written again. It is never repaired or
 * partly used.
 */
final class ScanMemory {
    private static final String DIR = "deployflow-scans";
    private static final String MAGIC = "deployflow-scan";
    private static final int FORMAT = 1;
    private static final int DIGEST_BYTES = Long.BYTES;

    private ScanMemory() {
    }

    /** The entry of a component in a mirror. */
    static Path entry(Path mirror, Component component) {
        return mirror.resolve(DIR).resolve(Sha256.hex((component.developBranch() + "\0"
                + component.tagPrefix()).getBytes(StandardCharsets.UTF_8)).substring(0, 16));
    }

    /** The remembered history, or null when there is none that can be trusted. */
    static UnreleasedHistory read(Path entry, Component component) {
        byte[] body = unsealed(entry);
        if (body == null) {
            return null;
        }
        try {
            EntryReader in = new EntryReader(body);
            if (!MAGIC.equals(in.string()) || in.readInt() != FORMAT
                    || !component.developBranch().equals(in.string()) || !component.tagPrefix().equals(in.string())) {
                return null;
            }
            String tip = in.sha();
            String releaseTag = in.readBoolean() ? in.string() : null;
            String releaseRefId = releaseTag == null ? null : in.sha();
            int count = in.count();
            List<Commit> commits = new ArrayList<>(Math.min(count, 4096));
            for (int i = 0; i < count; i++) {
                String sha = in.sha();
                long time = in.readLong();
                int parentCount = in.count();
                List<String> parents = new ArrayList<>(Math.min(parentCount, 16));
                for (int p = 0; p < parentCount; p++) {
                    parents.add(in.sha());
                }
                commits.add(new Commit(sha, time, List.copyOf(parents), in.string(), in.string(), in.string(),
                        in.string()));
            }
            if (!in.atEnd()) {
                return null;
            }
            UnreleasedHistory history = new UnreleasedHistory(tip, releaseTag, releaseRefId, List.copyOf(commits));
            history.newestFirst(); // a set of commits that is not a history ending at the tip is not trusted
            if (!commits.isEmpty() && history.commits().stream().noneMatch(c -> c.sha().equals(tip))) {
                return null;
            }
            return history;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The remembered commits of a release (its whole history), or null. */
    static Set<ObjectId> readReleased(Path mirror, ObjectId releaseCommit) {
        byte[] body = unsealed(released(mirror, releaseCommit));
        if (body == null || body.length % Constants.OBJECT_ID_LENGTH != 0) {
            return null;
        }
        Set<ObjectId> out = new HashSet<>(body.length / Constants.OBJECT_ID_LENGTH * 2);
        for (int at = 0; at < body.length; at += Constants.OBJECT_ID_LENGTH) {
            out.add(ObjectId.fromRaw(body, at));
        }
        return out.contains(releaseCommit) ? out : null;
    }

    static void writeReleased(Path mirror, ObjectId releaseCommit, Set<ObjectId> commits) throws IOException {
        byte[] body = new byte[commits.size() * Constants.OBJECT_ID_LENGTH];
        int at = 0;
        for (ObjectId id : commits) {
            id.copyRawTo(body, at);
            at += Constants.OBJECT_ID_LENGTH;
        }
        sealed(released(mirror, releaseCommit), body);
    }

    private static Path released(Path mirror, ObjectId releaseCommit) {
        return mirror.resolve(DIR).resolve("released-" + releaseCommit.name());
    }

    /** A file's content without its check trailer, or null when it is missing, short or does not match it. */
    static byte[] unsealed(Path file) {
        byte[] bytes;
        try (InputStream in = new FileInputStream(file.toFile())) {
            bytes = in.readAllBytes(); // not Files.readAllBytes: NIO's channel set-up costs more, 200 entries a run
        } catch (IOException e) {
            return null;
        }
        if (bytes.length <= DIGEST_BYTES) {
            return null;
        }
        byte[] body = Arrays.copyOf(bytes, bytes.length - DIGEST_BYTES);
        return MessageDigest.isEqual(digest(body), Arrays.copyOfRange(bytes, body.length, bytes.length)) ? body
                : null;
    }

    /** Replaces the entry in one step, so a reader sees the old entry or the new one, never half of one. */
    static void write(Path entry, Component component, UnreleasedHistory history) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + history.commits().size() * 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            string(out, MAGIC);
            out.writeInt(FORMAT);
            string(out, component.developBranch());
            string(out, component.tagPrefix());
            string(out, history.developTip());
            out.writeBoolean(history.releaseTag() != null);
            if (history.releaseTag() != null) {
                string(out, history.releaseTag());
                string(out, history.releaseRefId());
            }
            out.writeInt(history.commits().size());
            for (Commit commit : history.commits()) {
                string(out, commit.sha());
                out.writeLong(commit.commitTime());
                out.writeInt(commit.parents().size());
                for (String parent : commit.parents()) {
                    string(out, parent);
                }
                string(out, commit.authorName());
                string(out, commit.authorEmail());
                string(out, commit.subject());
                string(out, commit.message());
            }
        }
        sealed(entry, bytes.toByteArray());
    }

    /** Writes body + its check in one step: a reader sees the old file or the new one, never half of one. */
    static void sealed(Path file, byte[] body) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".scan-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(body);
                out.write(digest(body));
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void string(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** The CRC-32C of the content, with the content's length, as the 8 bytes that end the file. */
    private static byte[] digest(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return ByteBuffer.allocate(DIGEST_BYTES).putInt(bytes.length).putInt((int) crc.getValue()).array();
    }
}
