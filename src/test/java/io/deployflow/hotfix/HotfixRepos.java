package io.deployflow.hotfix;

import io.deployflow.testpeers.GitDaemonPeer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Real repositories for the hotfix lane, served by {@code git daemon} with push enabled: a component whose 1.3.0
 * release production runs and whose develop has moved on (touching the same file the fix will touch, when asked),
 * and a customer stack whose main branch runs 1.3.0. Developers' work (the fix, a merge by hand) is done in
 * working clones and pushed, as people would.
 */
final class HotfixRepos implements AutoCloseable {
    static final PersonIdent ALICE = new PersonIdent("Alice Dev", "dev1@example.org", Instant.parse(
            "2026-11-02T09:00:00Z"), ZoneOffset.UTC);
    static final String SEARCH_V1 = "search: exact match\n";

    final Path dir;
    final GitDaemonPeer daemon;

    HotfixRepos(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir.resolve("served"));
        daemon = GitDaemonPeer.start(dir.resolve("served"));
    }

    String url(String name) {
        return daemon.url(name);
    }

    /**
     * The component: v1.3.0 on develop, then develop moves on. With {@code conflictingDevelop}, develop rewrites
     * the line of {@code src/search.txt} the fix will change.
     */
    void component(String name, boolean conflictingDevelop) throws Exception {
        Path work = dir.resolve("seed-" + name);
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("develop").call()) {
            write(work, "README.md", "# " + name + "\n");
            write(work, "src/search.txt", SEARCH_V1);
            commit(git, "feat: patient search", ALICE);
            git.tag().setName("v1.2.0").setAnnotated(true).setMessage("1.2.0").setTagger(ALICE).call();
            write(work, "src/paging.txt", "paging\n");
            commit(git, "feat: paging", at(ALICE, "2026-11-09T09:00:00Z"));
            git.tag().setName("v1.3.0").setAnnotated(true).setMessage("1.3.0").setTagger(ALICE).call();
            write(work, "src/export.txt", "export\n");
            if (conflictingDevelop) {
                write(work, "src/search.txt", "search: fuzzy match\n");
            }
            commit(git, "feat: bulk export", at(ALICE, "2026-11-16T09:00:00Z"));
        }
        Git.cloneRepository().setURI(work.toUri().toString()).setBare(true)
                .setDirectory(dir.resolve("served").resolve(name + ".git").toFile()).call().close();
    }

    /** The customer stack: main runs the component at {@code version}. */
    void customer(String name, String image, String version) throws Exception {
        Path work = dir.resolve("seed-" + name);
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            write(work, "docker-compose.yml", "services:\n  gateway:\n    image: " + image + ":" + version + "\n");
            commit(git, "acme stack", ALICE);
            git.branchCreate().setName("develop").call();
        }
        Git.cloneRepository().setURI(work.toUri().toString()).setBare(true)
                .setDirectory(dir.resolve("served").resolve(name + ".git").toFile()).call().close();
    }

    /** A developer merges a fix into the branch: clone, change, commit, push. */
    ObjectId pushFix(String repo, String branch, String file, String text, String message) throws Exception {
        Path work = dir.resolve("fix-" + System.nanoTime());
        try (Git git = Git.cloneRepository().setURI(url(repo)).setDirectory(work.toFile()).setBranch(branch).call()) {
            write(work, file, text);
            RevCommit commit = commit(git, message, at(new PersonIdent("Bob Dev", "dev2@example.org"),
                    "2026-11-20T10:15:00Z"));
            git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/" + branch)).call();
            return commit.getId();
        }
    }

    /** A developer resolves the merge of {@code from} into {@code into} by hand, keeping {@code resolved}. */
    void mergeByHand(String repo, String into, String from, String file, String resolved) throws Exception {
        Path work = dir.resolve("merge-" + System.nanoTime());
        try (Git git = Git.cloneRepository().setURI(url(repo)).setDirectory(work.toFile()).setBranch(into).call()) {
            MergeResult result = git.merge().include(git.getRepository().resolve("refs/remotes/origin/" + from))
                    .setCommit(false).call();
            if (result.getMergeStatus() != MergeResult.MergeStatus.CONFLICTING) {
                throw new IllegalStateException("expected a conflict, got " + result.getMergeStatus());
            }
            write(work, file, resolved);
            git.add().addFilepattern(file).call();
            git.commit().setMessage("Merge " + from + " by hand").setAuthor(ALICE).setCommitter(ALICE).call();
            git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/" + into)).call();
        }
    }

    /** A ref of a served repository, peeled to its commit; null when absent. */
    ObjectId commitOf(String repo, String ref) throws Exception {
        try (Git git = Git.open(dir.resolve("served").resolve(repo).toFile())) {
            Ref found = git.getRepository().exactRef(ref);
            if (found == null) {
                return null;
            }
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                return walk.parseCommit(found.getObjectId()).getId();
            }
        }
    }

    String tagMessage(String repo, String tag) throws Exception {
        try (Git git = Git.open(dir.resolve("served").resolve(repo).toFile());
             RevWalk walk = new RevWalk(git.getRepository())) {
            return walk.parseTag(git.getRepository().exactRef("refs/tags/" + tag).getObjectId()).getFullMessage();
        }
    }

    String fileAt(String repo, String ref, String path) throws Exception {
        try (Git git = Git.open(dir.resolve("served").resolve(repo).toFile())) {
            var repository = git.getRepository();
            var commit = repository.parseCommit(repository.resolve(ref));
            try (var tree = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository, path, commit.getTree())) {
                return tree == null ? null : new String(repository.open(tree.getObjectId(0)).getBytes(),
                        StandardCharsets.UTF_8);
            }
        }
    }

    RevCommit parse(String repo, ObjectId id) throws Exception {
        try (Git git = Git.open(dir.resolve("served").resolve(repo).toFile());
             RevWalk walk = new RevWalk(git.getRepository())) {
            return walk.parseCommit(id);
        }
    }

    private static void write(Path work, String file, String text) throws Exception {
        Path path = work.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    private static RevCommit commit(Git git, String message, PersonIdent who) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
    }

    private static PersonIdent at(PersonIdent who, String time) {
        return new PersonIdent(who.getName(), who.getEmailAddress(), Instant.parse(time), ZoneOffset.UTC);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
