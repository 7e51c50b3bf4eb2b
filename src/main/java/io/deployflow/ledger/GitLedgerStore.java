package io.deployflow.ledger;

import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.git.GitCredentials;
import io.deployflow.git.RepoCache;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ledger in a git repository the team chose. A bare clone under the cache directory holds the objects; every
 * update fetches the branch, builds one commit on top of the remote's tip in memory (no working tree to get out of
 * step) and pushes it without force. When another writer pushed first, the push is refused as not a fast-forward;
 * the update is then computed again on the new tip and pushed again, so concurrent writers on different agents all
 * land, one after the other, and the hash chain stays linear. This is a rebase by recomputation: replaying the old
 * commit would copy a {@code prev} hash that no longer names the last entry.
 */
final class GitLedgerStore implements LedgerStore {
    private static final ConcurrentMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();
    /** Losing a race is normal with several writers; each attempt costs a fetch and a push. */
    private static final int PUSH_ATTEMPTS = 20;
    /** Network failures (not lost races) get fewer attempts before the command exits 3. */
    private static final int NETWORK_ATTEMPTS = 3;
    private static final int TIMEOUT_SECONDS = 60;

    private final String url;
    private final String shown;
    private final String branch;
    private final Path clone;
    private final GitCredentials credentials;
    private final PersonIdent committer;
    private final String author;

    GitLedgerStore(String url, String branch, Path cacheDir, Map<String, String> env) {
        this.url = url;
        this.shown = RepoCache.redact(url);
        this.branch = branch;
        this.credentials = new GitCredentials(env);
        this.clone = new RepoCache(cacheDir, credentials).pathFor(url + "#" + branch);
        String name = env.getOrDefault("GIT_COMMITTER_NAME", "");
        String email = env.getOrDefault("GIT_COMMITTER_EMAIL", "");
        this.committer = new PersonIdent(name.isBlank() ? "deployflow" : name,
                email.isBlank() ? "deployflow@localhost" : email);
        String user = env.getOrDefault("DEPLOYFLOW_USER", "");
        this.author = user.isBlank() ? committer.getName() : user;
    }

    @Override
    public String read(String path) {
        return locked(repo -> {
            ObjectId tip = fetch(repo);
            return tip == null ? null : readAt(repo, tip, path);
        });
    }

    @Override
    public <T> T update(Change<T> change) {
        return locked(repo -> {
            for (int attempt = 1; ; attempt++) {
                ObjectId tip = fetch(repo);
                Outcome<T> outcome = change.apply(path -> tip == null ? null : readAtOrFail(repo, tip, path));
                if (outcome.files().isEmpty()) {
                    return outcome.result();
                }
                ObjectId commit = commit(repo, tip, outcome);
                String refused = push(repo, commit);
                if (refused == null) {
                    change.committed();
                    return outcome.result();
                }
                if (attempt == PUSH_ATTEMPTS) {
                    throw new OutsideSystemException(shown, "the ledger push was refused " + PUSH_ATTEMPTS
                            + " times (" + refused + "); nothing was recorded");
                }
                Progress.line("ledger: " + branch + " moved on " + shown + " (" + refused
                        + "); writing again on top of it");
                sleepJitter(attempt);
            }
        });
    }

    @Override
    public List<Version> history(String path) {
        return locked(repo -> {
            ObjectId tip = fetch(repo);
            List<Version> versions = new ArrayList<>();
            if (tip == null) {
                return versions;
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit commit = walk.parseCommit(tip);
                ObjectId last = null;
                List<RevCommit> chain = new ArrayList<>();
                while (commit != null) {
                    chain.add(commit);
                    commit = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
                }
                Collections.reverse(chain);
                for (RevCommit c : chain) {
                    ObjectId blob = blobAt(repo, c, path);
                    if (blob == null ? last == null : blob.equals(last)) {
                        continue;
                    }
                    last = blob;
                    String text = blob == null ? null : new String(repo.open(blob).getBytes(), StandardCharsets.UTF_8);
                    versions.add(new Version(c.abbreviate(10).name(), c.getAuthorIdent().getName(),
                            c.getCommitterIdent().getWhenAsInstant(), text));
                }
            }
            return versions;
        });
    }

    @Override
    public String describe() {
        return shown + " (branch " + branch + ")";
    }

    @Override
    public Path spoolFile() {
        return clone.resolveSibling(clone.getFileName() + ".waiting.jsonl");
    }

    @Override
    public void underLock(Runnable work) {
        synchronized (IN_PROCESS.computeIfAbsent(clone, c -> new Object())) {
            try {
                Files.createDirectories(clone.getParent());
                try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                    work.run();
                }
            } catch (IOException e) {
                throw new OutsideSystemException("ledger cache " + clone, "cannot lock: " + e, e);
            }
        }
    }

    private Path lockFile() {
        return clone.resolveSibling(clone.getFileName() + ".lock");
    }

    private interface RepoWork<T> {
        T run(Repository repo) throws IOException;
    }

    /** One writer per clone: threads of this process, and other processes on this machine through a lock file. */
    private <T> T locked(RepoWork<T> work) {
        synchronized (IN_PROCESS.computeIfAbsent(clone, c -> new Object())) {
            try {
                Files.createDirectories(clone.getParent());
                try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    if (!Files.isDirectory(clone.resolve("objects"))) {
                        Git.init().setBare(true).setDirectory(clone.toFile()).setInitialBranch(branch).call().close();
                    }
                    try (Repository repo = new FileRepositoryBuilder().setGitDir(clone.toFile()).setBare()
                            .setMustExist(true).build()) {
                        return work.run(repo);
                    }
                }
            } catch (IOException | GitAPIException e) {
                throw new OutsideSystemException("ledger cache " + clone, "cannot use the ledger's clone: " + e, e);
            }
        }
    }

    /**
     * Fetches and returns the remote's tip of the branch, or null when the branch does not exist yet (an empty
     * repository: the first entry creates it). All branches are fetched because a named branch that does not
     * exist fails the fetch; a ledger repository has few.
     */
    private ObjectId fetch(Repository repo) throws IOException {
        String tracking = "refs/remotes/origin/" + branch;
        for (int attempt = 1; ; attempt++) {
            try {
                credentials.apply(Git.wrap(repo).fetch().setRemote(remote())
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"))
                        .setRemoveDeletedRefs(true).setTimeout(TIMEOUT_SECONDS)).call();
                return repo.resolve(tracking);
            } catch (GitAPIException | RuntimeException e) {
                if (attempt == NETWORK_ATTEMPTS) {
                    throw new OutsideSystemException(shown, "cannot fetch the ledger: " + message(e), e);
                }
                sleepJitter(attempt);
            }
        }
    }

    /** Pushes the commit to the branch without force; returns null when it landed, else why it was refused. */
    private String push(Repository repo, ObjectId commit) throws IOException {
        String outgoing = "refs/deployflow/outgoing";
        RefUpdate local = repo.updateRef(outgoing);
        local.setNewObjectId(commit);
        local.setForceUpdate(true);
        local.update();
        for (int attempt = 1; ; attempt++) {
            try {
                Iterable<PushResult> results = credentials.apply(Git.wrap(repo).push().setRemote(remote())
                        .setRefSpecs(new RefSpec(outgoing + ":refs/heads/" + branch)).setForce(false)
                        .setTimeout(TIMEOUT_SECONDS)).call();
                for (PushResult result : results) {
                    for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                        switch (update.getStatus()) {
                            case OK, UP_TO_DATE -> {
                                // landed
                            }
                            case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED ->
                                    {
                                        return "not a fast-forward: another writer pushed first";
                                    }
                            case REJECTED_OTHER_REASON -> {
                                // e.g. "failed to lock" while another push updates the same branch
                                return String.valueOf(update.getMessage());
                            }
                            default -> throw new OutsideSystemException(shown, "the ledger push was refused: "
                                    + update.getStatus() + " " + (update.getMessage() == null ? ""
                                    : update.getMessage()));
                        }
                    }
                }
                return null;
            } catch (GitAPIException | RuntimeException e) {
                if (e instanceof OutsideSystemException outside) {
                    throw outside;
                }
                if (attempt == NETWORK_ATTEMPTS) {
                    throw new OutsideSystemException(shown, "cannot push the ledger: " + message(e), e);
                }
                sleepJitter(attempt);
            }
        }
    }

    private ObjectId commit(Repository repo, ObjectId tip, Outcome<?> outcome) throws IOException {
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            DirCache index = DirCache.newInCore();
            if (tip != null) {
                DirCacheBuilder builder = index.builder();
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, walk.parseCommit(tip).getTree());
                builder.finish();
            }
            DirCacheEditor editor = index.editor();
            for (Map.Entry<String, String> file : outcome.files().entrySet()) {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
                editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                    }
                });
            }
            editor.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            if (tip != null) {
                commit.setParentId(tip);
            }
            Instant now = Instant.now();
            commit.setAuthor(new PersonIdent(new PersonIdent(author, committer.getEmailAddress()), now));
            commit.setCommitter(new PersonIdent(committer, now));
            commit.setMessage(outcome.message());
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private String readAtOrFail(Repository repo, ObjectId commitId, String path) {
        try {
            return readAt(repo, commitId, path);
        } catch (IOException e) {
            throw new OutsideSystemException("ledger cache " + clone, "cannot read " + path + ": " + e, e);
        }
    }

    private static String readAt(Repository repo, ObjectId commitId, String path) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId blob = blobAt(repo, walk.parseCommit(commitId), path);
            return blob == null ? null : new String(repo.open(blob).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ObjectId blobAt(Repository repo, RevCommit commit, String path) throws IOException {
        try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
            return tree == null ? null : tree.getObjectId(0);
        }
    }

    /** A plain path becomes a file URL: JGit would resolve it against the bare clone otherwise. */
    private String remote() {
        boolean isUrl = url.contains("://") || url.matches("[^/]+@[^/:]+:.*");
        return isUrl ? url : Path.of(url).toAbsolutePath().normalize().toUri().toString();
    }

    private String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() + (root != e && root.getMessage() != null ? " (" + root.getMessage() + ")" : "");
        return text.replace(url, shown);
    }

    private static void sleepJitter(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 60L * Math.min(attempt, 8) + 21));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutsideSystemException("ledger", "interrupted while waiting to write again");
        }
    }
}
