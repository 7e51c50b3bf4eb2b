package io.deployflow.git;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The branches and tags of a git repository on this machine, read straight from git's files: the loose ref files
 * under {@code refs/heads} and {@code refs/tags}, then {@code packed-refs}, a loose ref winning over a packed one as
 * in git. Why not JGit's {@code RefDirectory}: a release meeting asks every component's remote for its refs on every
 * run, and for 200 repositories on this machine opening each as a JGit repository (its configuration, the user and
 * system configuration checked again, a file snapshot per ref) was most of a meeting where nothing moved, and the
 * first one paid for JGit's whole set-up.
 * <p>
 * Only git's plain "files" layout is read here. Anything else — a reftable repository, a linked worktree or another
 * {@code commondir}, a sha256 repository, a ref file that is not a 40-digit id or a {@code ref:} line, a file that
 * changes while it is read — answers null, and the caller asks JGit, which knows every layout and reports what is
 * wrong. {@code LocalRefsTest} holds the answers to JGit's on loose, packed, overridden, nested and symbolic refs.
 */
final class LocalRefs {
    private static final int ID_LENGTH = Constants.OBJECT_ID_STRING_LENGTH;

    private LocalRefs() {
    }

    /** {@code refs/heads/*} and {@code refs/tags/*} by name, unpeeled, symbolic refs left out; or null (see above). */
    static Map<String, ObjectId> read(File gitDir) {
        if (!isPlainFilesLayout(gitDir)) {
            return null;
        }
        try {
            Map<String, ObjectId> refs = new HashMap<>();
            // loose before packed: git packs refs by writing packed-refs first and deleting loose files after, so
            // a ref missed in one is found in the other
            Set<String> looseNames = new HashSet<>();
            if (!loose(new File(gitDir, Constants.R_HEADS), Constants.R_HEADS, refs, looseNames)
                    || !loose(new File(gitDir, Constants.R_TAGS), Constants.R_TAGS, refs, looseNames)
                    || !packed(new File(gitDir, Constants.PACKED_REFS), refs, looseNames)) {
                return null;
            }
            return refs;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isPlainFilesLayout(File gitDir) {
        if (!new File(gitDir, Constants.OBJECTS).isDirectory() || !new File(gitDir, Constants.HEAD).isFile()
                || new File(gitDir, "commondir").exists() || new File(gitDir, "reftable").exists()) {
            return false;
        }
        try {
            byte[] content = content(new File(gitDir, Constants.CONFIG));
            if (content == null) {
                return false;
            }
            String config = new String(content, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            // extensions.refStorage (reftable) and extensions.objectFormat (sha256) change what the files mean
            return !config.contains("refstorage") && !config.contains("objectformat");
        } catch (IOException e) {
            return false;
        }
    }

    /** The loose refs under {@code dir}, recursively; false on a file this reader does not understand. */
    private static boolean loose(File dir, String prefix, Map<String, ObjectId> refs, Set<String> names)
            throws IOException {
        String[] entries = dir.list();
        if (entries == null) {
            return !dir.exists(); // a repository without tags has no refs/tags directory
        }
        for (String entry : entries) {
            if (entry.endsWith(".lock")) {
                continue; // a ref being written: git and JGit read the ref file itself, not its lock
            }
            File file = new File(dir, entry);
            byte[] content = content(file);
            if (content == null) {
                if (!file.isDirectory() || !loose(file, prefix + entry + "/", refs, names)) {
                    return false; // deleted while listed (being packed or deleted): JGit sorts it out
                }
                continue;
            }
            String name = prefix + entry;
            names.add(name);
            if (isSymbolic(content)) {
                continue;
            }
            ObjectId id = id(content, 0, content.length);
            if (id == null) {
                return false;
            }
            refs.put(name, id);
        }
        return true;
    }

    /** The packed refs that no loose file overrides; false when {@code packed-refs} is not as git writes it. */
    private static boolean packed(File file, Map<String, ObjectId> refs, Set<String> looseNames)
            throws IOException {
        byte[] content = content(file);
        if (content == null) {
            return !file.exists();
        }
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            byte first = content[start];
            if (first != '#' && first != '^') { // the header, and the peeled id of the annotated tag above
                if (end - start < ID_LENGTH + 2 || content[start + ID_LENGTH] != ' ') {
                    return false;
                }
                ObjectId id = id(content, start, start + ID_LENGTH);
                String name = new String(content, start + ID_LENGTH + 1, end - start - ID_LENGTH - 1,
                        StandardCharsets.UTF_8);
                if (id == null) {
                    return false;
                }
                if ((name.startsWith(Constants.R_HEADS) || name.startsWith(Constants.R_TAGS))
                        && !looseNames.contains(name)) {
                    refs.put(name, id);
                }
            }
            start = end + 1;
        }
        return true;
    }

    /**
     * A file's bytes, or null when it cannot be opened as a file (a directory, or gone). Plain {@code FileInputStream}
     * and no stat first: for thousands of tiny ref files, NIO's channels took half as long again.
     */
    private static byte[] content(File file) throws IOException {
        try (FileInputStream in = new FileInputStream(file)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    private static boolean isSymbolic(byte[] content) {
        return content.length > 5 && content[0] == 'r' && content[1] == 'e' && content[2] == 'f'
                && content[3] == ':' && content[4] == ' ';
    }

    /** 40 hex digits, alone or followed by whitespace (git writes one newline); else null. */
    private static ObjectId id(byte[] content, int from, int to) {
        if (to - from < ID_LENGTH || to - from > ID_LENGTH && !Character.isWhitespace(content[from + ID_LENGTH])) {
            return null;
        }
        for (int i = from; i < from + ID_LENGTH; i++) {
            byte b = content[i];
            if (!(b >= '0' && b <= '9' || b >= 'a' && b <= 'f')) {
                return null;
            }
        }
        return ObjectId.fromString(content, from);
    }
}
