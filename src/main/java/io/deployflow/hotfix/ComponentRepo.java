package io.deployflow.hotfix;

import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.git.GitCredentials;
import io.deployflow.git.RepoCache;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A component's repository, as the hotfix lane works on it: a bare clone under the cache directory, refreshed from
 * the remote before each use, in which branches, tags and merges are built as git objects (no working tree to
 * leave half-changed) and pushed without force. A push the remote refuses changes nothing there; the lane reports
 * it and can be run again.
 */
final class ComponentRepo implements AutoCloseable {
    private static final int TIMEOUT_SECONDS = 60;
    private static final String OUTGOING = "refs/deployflow/outgoing";

    private final Repository repo;
    private final String url;
    private final String shown;
    private final GitCredentials credentials;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private ComponentRepo(Repository repo, String url, GitCredentials credentials, FileChannel lockChannel,
                          FileLock lock) {
        this.repo = repo;
        this.url = url;
        this.shown = RepoCache.redact(url);
        this.credentials = credentials;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (or creates) the clone of {@code url} under {@code cacheDir} and fetches every branch and tag. The clone
     * is locked until {@link #close()}, so two builds on one agent do not interleave their pushes.
     */
    static ComponentRepo open(Path cacheDir, String url, Map<String, String> env) {
        Path dir = new RepoCache(cacheDir).pathFor(url);
        FileChannel channel = null;
        try {
            Files.createDirectories(cacheDir);
            channel = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            if (!Files.isDirectory(dir.resolve("objects"))) {
                Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
            }
            Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
            ComponentRepo opened = new ComponentRepo(repo, url, new GitCredentials(env), channel, lock);
            opened.fetch();
            return opened;
        } catch (IOException | GitAPIException e) {
            closeQuietly(channel);
            throw new OutsideSystemException("hotfix cache " + dir, "cannot prepare the clone: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private void fetch() {
        try {
            credentials.apply(Git.wrap(repo).fetch().setRemote(remote())
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
                            new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setRemoveDeletedRefs(true).setTimeout(TIMEOUT_SECONDS)).call();
            Progress.line("fetched " + shown);
        } catch (GitAPIException | RuntimeException e) {
            throw new OutsideSystemException(shown, "cannot fetch: " + rootMessage(e), e);
        }
    }

    String shown() {
        return shown;
    }

    /** The remote branch's tip as fetched, or null when it does not exist. */
    ObjectId branch(String name) throws IOException {
        Ref ref = repo.exactRef("refs/remotes/origin/" + name);
        return ref == null ? null : ref.getObjectId();
    }

    /** The commit a tag points at, or null when there is no such tag. */
    ObjectId tagCommit(String tag) throws IOException {
        Ref ref = repo.exactRef(Constants.R_TAGS + tag);
        if (ref == null) {
            return null;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(ref.getObjectId()).getId();
        }
    }

    boolean isAncestor(ObjectId ancestor, ObjectId of) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(of));
        }
    }

    /** The commits {@code tip} has and {@code base} has not, oldest first, merges left out. */
    List<RevCommit> commitsSince(ObjectId base, ObjectId tip) throws IOException {
        List<RevCommit> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(tip));
            walk.markUninteresting(walk.parseCommit(base));
            for (RevCommit commit : walk) {
                if (commit.getParentCount() < 2) {
                    out.add(0, commit);
                }
            }
        }
        return out;
    }

    /** Creates the branch on the remote at {@code commit}; refused when it exists there already. */
    void createBranch(String branch, ObjectId commit) throws IOException {
        push(commit, Constants.R_HEADS + branch);
    }

    /** Creates an annotated tag object on {@code commit} and pushes it as {@code tag}. */
    void createTag(String tag, ObjectId commit, String message, PersonIdent tagger) throws IOException {
        TagBuilder builder = new TagBuilder();
        builder.setTag(tag);
        builder.setObjectId(commit, Constants.OBJ_COMMIT);
        builder.setTagger(tagger);
        builder.setMessage(message);
        ObjectId id;
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            id = inserter.insert(builder);
            inserter.flush();
        }
        push(id, Constants.R_TAGS + tag);
    }

    /** What a merge of {@code from} into a branch did: the merge commit pushed, or the files in conflict. */
    record Merge(ObjectId commit, List<String> conflicts) {
    }

    /**
     * Merges {@code from} into {@code branch} in memory, with a merge commit, and pushes the branch without force.
     * Conflicts stop it with the files named and nothing pushed.
     */
    Merge merge(String branch, ObjectId from, String message, PersonIdent who) throws IOException {
        ObjectId into = branch(branch);
        if (into == null) {
            throw new OutsideSystemException(shown, "there is no branch '" + branch + "' to merge into");
        }
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
        if (!merger.merge(into, from)) {
            TreeSet<String> files = new TreeSet<>(merger.getUnmergedPaths());
            if (merger.getFailingPaths() != null) {
                files.addAll(merger.getFailingPaths().keySet());
            }
            return new Merge(null, List.copyOf(files));
        }
        ObjectId commit;
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            CommitBuilder builder = new CommitBuilder();
            builder.setTreeId(merger.getResultTreeId());
            builder.setParentIds(into, from);
            builder.setAuthor(who);
            builder.setCommitter(who);
            builder.setMessage(message);
            commit = inserter.insert(builder);
            inserter.flush();
        }
        push(commit, Constants.R_HEADS + branch);
        return new Merge(commit, List.of());
    }

    RevCommit commit(ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(id);
        }
    }

    /** Pushes an object to a remote ref, never forced; the remote's refusal is an exit 3 with its reason. */
    private void push(ObjectId object, String remoteRef) throws IOException {
        RefUpdate local = repo.updateRef(OUTGOING);
        local.setNewObjectId(object);
        local.setForceUpdate(true);
        local.update();
        try {
            Iterable<PushResult> results = credentials.apply(Git.wrap(repo).push().setRemote(remote())
                    .setRefSpecs(new RefSpec(OUTGOING + ":" + remoteRef)).setForce(false)
                    .setTimeout(TIMEOUT_SECONDS)).call();
            for (PushResult result : results) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    if (update.getStatus() != RemoteRefUpdate.Status.OK
                            && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new OutsideSystemException(shown, "the remote refused " + Repository.shortenRefName(
                                remoteRef) + ": " + update.getStatus() + (update.getMessage() == null ? ""
                                : " (" + update.getMessage() + ")") + "; nothing changed there");
                    }
                }
            }
        } catch (GitAPIException e) {
            throw new OutsideSystemException(shown, "push of " + Repository.shortenRefName(remoteRef) + " failed: "
                    + rootMessage(e), e);
        }
        Progress.line("pushed " + Repository.shortenRefName(remoteRef) + " to " + shown);
        fetch();
    }

    /** A plain path becomes a file URL: JGit would resolve it against the bare clone otherwise. */
    private String remote() {
        boolean isUrl = url.contains("://") || url.matches("[^/]+@[^/:]+:.*");
        return isUrl ? url : Path.of(url).toAbsolutePath().normalize().toUri().toString();
    }

    private String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() + (root != e && root.getMessage() != null ? " (" + root.getMessage() + ")" : "");
        return text.replace(url, shown);
    }

    @Override
    public void close() {
        repo.close();
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a lock file's channel cannot lose anything
            }
        }
    }
}
