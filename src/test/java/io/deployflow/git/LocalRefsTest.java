package io.deployflow.git;

import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meeting reads the refs of repositories on this machine from git's files itself ({@link LocalRefs}); every
 * answer it gives must be JGit's, on repositories the real git CLI wrote: loose, packed, packed then overridden by
 * loose, nested names, annotated tags, symbolic refs, lock files. Where it does not understand the layout it must
 * answer nothing rather than something, and the cache then gets JGit's answer.
 */
class LocalRefsTest {
    @TempDir
    Path dir;

    @Test
    void looseRefsAsGitWritesThemAreReadAsJGitReadsThem() throws Exception {
        Path repo = history("loose");
        git(repo, "symbolic-ref", "refs/heads/main", "refs/heads/develop");
        Files.writeString(repo.resolve(".git/refs/tags/v9.9.9.lock"), "0".repeat(40) + "\n");

        Map<String, ObjectId> read = LocalRefs.read(repo.resolve(".git").toFile());
        assertEquals(jgit(repo.resolve(".git")), read);
        assertEquals(5, read.size(), "develop, feature, v1.0.0, release/1.1.0, v1.2.0-rc.1: " + read.keySet());
        assertTrue(read.containsKey("refs/tags/release/1.1.0"), "nested names are read");
    }

    @Test
    void packedRefsAndLooseRefsThatOverrideThemAreReadAsJGitReadsThem() throws Exception {
        Path repo = history("packed");
        git(repo, "pack-refs", "--all");
        assertTrue(Files.readString(repo.resolve(".git/packed-refs")).contains("\n^"), "peeled lines are there");
        git(repo, "commit", "-q", "--allow-empty", "-m", "fix: after packing"); // develop now loose over packed
        git(repo, "tag", "-d", "v1.0.0"); // gone from packed-refs
        git(repo, "symbolic-ref", "refs/heads/feature", "refs/heads/develop"); // symbolic over a packed branch

        Map<String, ObjectId> read = LocalRefs.read(repo.resolve(".git").toFile());
        Map<String, ObjectId> expected = jgit(repo.resolve(".git"));
        assertEquals(expected, read);
        assertEquals(git(repo, "rev-parse", "develop"), read.get("refs/heads/develop").name());
        assertNull(read.get("refs/tags/v1.0.0"));
        assertNull(read.get("refs/heads/feature"), "a symbolic ref is left out, as JGit's answer leaves it out");
    }

    @Test
    void aBareRepositoryWithoutTagsHasItsBranchesOnly() throws Exception {
        Path repo = history("source");
        Path bare = dir.resolve("bare.git");
        run(dir, "git", "clone", "-q", "--bare", "--no-tags", repo.toString(), bare.toString());
        if (Files.exists(bare.resolve("refs/tags"))) {
            deleteTree(bare.resolve("refs/tags"));
        }

        Map<String, ObjectId> read = LocalRefs.read(bare.toFile());
        assertEquals(jgit(bare), read);
        assertEquals(2, read.size(), read.keySet().toString());
    }

    @Test
    void aRefChangedInPlaceIsReadAgainNotRemembered() throws Exception {
        // control: the equality above is not a constant; the next read sees what git changed
        Path repo = history("moving");
        Map<String, ObjectId> before = LocalRefs.read(repo.resolve(".git").toFile());
        git(repo, "commit", "-q", "--allow-empty", "-m", "feat: moved");
        Map<String, ObjectId> after = LocalRefs.read(repo.resolve(".git").toFile());
        assertNotEquals(before, after);
        assertEquals(jgit(repo.resolve(".git")), after);
    }

    @Test
    void layoutsItDoesNotReadAreLeftToJGit() throws Exception {
        Path gitDir = history("layouts").resolve(".git");
        assertNotNull(LocalRefs.read(gitDir.toFile()), "the plain layout itself is read");

        Path garbage = gitDir.resolve("refs/heads/broken");
        Files.writeString(garbage, "not an id\n");
        assertNull(LocalRefs.read(gitDir.toFile()), "a ref file that is not an id");
        Files.delete(garbage);

        Path packed = gitDir.resolve("packed-refs");
        Files.writeString(packed, "# pack-refs with: peeled fully-peeled sorted\nabc refs/heads/short\n");
        assertNull(LocalRefs.read(gitDir.toFile()), "a packed-refs line that is not an id and a name");
        Files.delete(packed);

        Path config = gitDir.resolve("config");
        String plain = Files.readString(config);
        Files.writeString(config, plain + "[extensions]\n\trefStorage = reftable\n");
        assertNull(LocalRefs.read(gitDir.toFile()), "extensions.refStorage");
        Files.writeString(config, plain + "[extensions]\n\tobjectFormat = sha256\n");
        assertNull(LocalRefs.read(gitDir.toFile()), "extensions.objectFormat");
        Files.writeString(config, plain);

        Files.writeString(gitDir.resolve("commondir"), "../other\n");
        assertNull(LocalRefs.read(gitDir.toFile()), "a linked worktree's refs live elsewhere");
        Files.delete(gitDir.resolve("commondir"));

        assertNull(LocalRefs.read(dir.resolve("not-a-repository").toFile()));
        assertNotNull(LocalRefs.read(gitDir.toFile()), "and the repository reads again as before");
    }

    @Test
    void aReftableRepositoryGetsJGitsAnswerThroughTheCache() throws Exception {
        Path gitDir = history("reftable").resolve(".git");
        Map<String, ObjectId> before = jgit(gitDir);
        try (FileRepository repo = (FileRepository) new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build()) {
            repo.convertRefStorage("reftable", false, false);
        }
        assertTrue(Files.isDirectory(gitDir.resolve("reftable")));
        assertNull(LocalRefs.read(gitDir.toFile()));

        Map<String, ObjectId> remote = new RepoCache(dir.resolve("cache")).remoteRefs(gitDir.toString());
        assertEquals(before, remote);
    }

    /** develop with a merged feature, a lightweight and an annotated release tag (one nested), a pre-release. */
    private Path history(String name) throws Exception {
        Path repo = dir.resolve(name);
        run(dir, "git", "init", "-q", "-b", "develop", repo.toString());
        git(repo, "commit", "-q", "--allow-empty", "-m", "feat: first");
        git(repo, "tag", "v1.0.0");
        git(repo, "checkout", "-q", "-b", "feature");
        git(repo, "commit", "-q", "--allow-empty", "-m", "fix: on the feature");
        git(repo, "checkout", "-q", "develop");
        git(repo, "merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature");
        git(repo, "tag", "-a", "-m", "release 1.1.0", "release/1.1.0");
        git(repo, "commit", "-q", "--allow-empty", "-m", "feat: next");
        git(repo, "tag", "-a", "-m", "rc", "v1.2.0-rc.1");
        return repo;
    }

    private static Map<String, ObjectId> jgit(Path gitDir) throws IOException {
        Map<String, ObjectId> out = new HashMap<>();
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
                if (!ref.isSymbolic()) {
                    out.put(ref.getName(), ref.getObjectId());
                }
            }
        }
        return out;
    }

    private static String git(Path repo, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(repo, command);
    }

    private static String run(Path cwd, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_AUTHOR_NAME", "Dana Dev");
        builder.environment().put("GIT_AUTHOR_EMAIL", "dana@example.org");
        builder.environment().put("GIT_COMMITTER_NAME", "Dana Dev");
        builder.environment().put("GIT_COMMITTER_EMAIL", "dana@example.org");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("HOME", cwd.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static void deleteTree(Path path) throws IOException {
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
