package io.deployflow.delivery;

import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.git.GitCredentials;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A working clone of a customer repository, kept under the cache directory and reused: each run deletes local
 * tags, fetches everything, and resets each local branch it uses to the remote's, so a failed earlier run leaves
 * nothing behind that could be pushed by mistake. All git work is JGit; no git program is needed. Credentials
 * come the one way every command gets them ({@link GitCredentials}): username/password for http(s), the agent's
 * ssh with DEPLOYFLOW_GIT_SSH_KEY for ssh remotes.
 */
final class CustomerClone implements AutoCloseable {
    static final String ORIGIN = "origin";
    private static final int TIMEOUT_SECONDS = 60;
    private static final int ATTEMPTS = 3;

    private final Git git;
    private final String shownUrl;
    private final GitCredentials credentials;

    private CustomerClone(Git git, String url, GitCredentials credentials) {
        this.git = git;
        this.shownUrl = redact(url);
        this.credentials = credentials;
    }

    /**
     * Clones into {@code dir}, or reuses a clone of the same URL there, then fetches branches and tags. Reading is
     * safe to repeat, so a failing remote gets {@value #ATTEMPTS} attempts before the delivery gives up (exit 3).
     */
    static CustomerClone open(Path dir, String url, Map<String, String> env) {
        for (int attempt = 1; ; attempt++) {
            try {
                return openOnce(dir, url, env);
            } catch (OutsideSystemException e) {
                if (attempt == ATTEMPTS) {
                    throw new OutsideSystemException(redact(url), "cannot reach the customer repository after "
                            + ATTEMPTS + " attempts: " + reason(e, url), e.getCause());
                }
                long wait = 500L * attempt;
                Progress.line(redact(url) + ": " + reason(e, url) + "; retrying in " + wait + " ms");
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** JGit's message without the URL it repeats, since the error already starts with it. */
    private static String reason(OutsideSystemException e, String url) {
        return rootMessage(e.getCause()).replace(redact(url) + ": ", "");
    }

    private static CustomerClone openOnce(Path dir, String url, Map<String, String> env) {
        GitCredentials credentials = new GitCredentials(env);
        CustomerClone clone = null;
        try {
            clone = reuse(dir, url, credentials);
            if (clone == null) {
                deleteTree(dir);
                Files.createDirectories(dir.getParent());
                Progress.line("cloning " + redact(url));
                Git git = credentials.apply(Git.cloneRepository().setURI(url).setDirectory(dir.toFile())
                        .setNoCheckout(true).setTimeout(TIMEOUT_SECONDS)).call();
                clone = new CustomerClone(git, url, credentials);
            }
            clone.fetch();
            return clone;
        } catch (GitAPIException e) {
            closeQuietly(clone);
            throw new OutsideSystemException(redact(url), "cannot reach the customer repository: "
                    + rootMessage(e), e);
        } catch (IOException e) {
            closeQuietly(clone);
            throw new UncheckedIOException("cannot prepare the working clone in " + dir, e);
        }
    }

    private static void closeQuietly(CustomerClone clone) {
        if (clone != null) {
            clone.close();
        }
    }

    private static CustomerClone reuse(Path dir, String url, GitCredentials credentials) throws IOException {
        if (!Files.isDirectory(dir.resolve(".git"))) {
            return null;
        }
        Git git = Git.open(dir.toFile());
        String origin = git.getRepository().getConfig().getString("remote", ORIGIN, "url");
        if (!url.equals(origin)) {
            git.close();
            return null;
        }
        Progress.line("reusing the working clone in " + dir);
        return new CustomerClone(git, url, credentials);
    }

    private void fetch() throws GitAPIException, IOException {
        // Tags from an earlier run that failed before its push must not survive: the remote's tags are the truth.
        for (Ref tag : git.getRepository().getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            RefUpdate delete = git.getRepository().updateRef(tag.getName());
            delete.setForceUpdate(true);
            delete.delete();
        }
        credentials.apply(git.fetch().setRemote(ORIGIN).setTimeout(TIMEOUT_SECONDS).setRemoveDeletedRefs(true)
                .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
                        new RefSpec("+refs/tags/*:refs/tags/*")))
                .call();
        Progress.line("fetched " + shownUrl);
    }

    String shownUrl() {
        return shownUrl;
    }

    Path workTree() {
        return git.getRepository().getWorkTree().toPath();
    }

    /** The remote's branch tip as last fetched, or null when the remote has no such branch. */
    ObjectId remoteBranch(String branch) throws IOException {
        Ref ref = git.getRepository().exactRef("refs/remotes/" + ORIGIN + "/" + branch);
        return ref == null ? null : ref.getObjectId();
    }

    /** Tag names (short) whose tag points at this commit. */
    List<String> tagsAt(ObjectId commit) throws IOException {
        List<String> out = new ArrayList<>();
        for (Ref tag : git.getRepository().getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            Ref peeled = git.getRepository().getRefDatabase().peel(tag);
            ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : tag.getObjectId();
            if (target.equals(commit)) {
                out.add(Repository.shortenRefName(tag.getName()));
            }
        }
        return out;
    }

    List<String> tagNames() throws IOException {
        return git.getRepository().getRefDatabase().getRefsByPrefix(Constants.R_TAGS).stream()
                .map(r -> Repository.shortenRefName(r.getName())).toList();
    }

    boolean isAncestor(ObjectId ancestor, ObjectId of) throws IOException {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(of));
        }
    }

    /** A file's content at a commit, or null when absent. */
    String fileAt(ObjectId commit, String path) throws IOException {
        try (RevWalk walk = new RevWalk(git.getRepository());
             TreeWalk tree = TreeWalk.forPath(git.getRepository(), path, walk.parseCommit(commit).getTree())) {
            if (tree == null) {
                return null;
            }
            return new String(git.getRepository().open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Sets the local branch to {@code commit} and checks it out, discarding anything left in the work tree. */
    void switchTo(String branch, ObjectId commit) throws GitAPIException, IOException {
        if (head() != null) {
            git.reset().setMode(ResetCommand.ResetType.HARD).call();
        }
        git.clean().setCleanDirectories(true).setIgnore(false).setForce(true).call();
        git.checkout().setName(commit.name()).setForced(true).call();
        RefUpdate update = git.getRepository().updateRef(Constants.R_HEADS + branch);
        update.setNewObjectId(commit);
        update.setForceUpdate(true);
        update.update();
        git.checkout().setName(branch).setForced(true).call();
    }

    ObjectId head() throws IOException {
        return git.getRepository().resolve(Constants.HEAD);
    }

    /**
     * Stages these paths, like {@code git add -f}: a file the delivery was explicitly given (say, the tested .env)
     * is delivered even when the customer repository's .gitignore lists it. Returns the paths that differ from HEAD.
     */
    List<String> stage(List<String> paths) throws GitAPIException, IOException {
        for (String path : paths) {
            git.add().addFilepattern(path).call();
        }
        var ignored = git.status().call().getIgnoredNotInIndex();
        List<String> forced = paths.stream().filter(ignored::contains).toList();
        if (!forced.isEmpty()) {
            forceAdd(forced);
            Progress.line("delivering " + String.join(", ", forced) + " although .gitignore lists it");
        }
        var status = git.status().call();
        return paths.stream().filter(p -> status.getAdded().contains(p) || status.getChanged().contains(p))
                .toList();
    }

    /** AddCommand skips ignored files and has no force option, so these go into the index directly. */
    private void forceAdd(List<String> paths) throws IOException {
        Repository repository = git.getRepository();
        DirCache index = repository.lockDirCache();
        try (ObjectInserter inserter = repository.newObjectInserter()) {
            DirCacheEditor editor = index.editor();
            for (String path : paths) {
                Path file = workTree().resolve(path);
                byte[] bytes = Files.readAllBytes(file);
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, bytes);
                editor.add(new DirCacheEditor.PathEdit(path) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                        entry.setLength(bytes.length);
                        entry.setLastModified(Instant.now());
                    }
                });
            }
            inserter.flush();
            editor.commit();
        } finally {
            index.unlock();
        }
    }

    RevCommit commit(String message, PersonIdent author, PersonIdent committer) throws GitAPIException {
        return git.commit().setMessage(message).setAuthor(author).setCommitter(committer).setSign(false)
                .setNoVerify(true).call();
    }

    /**
     * Merges {@code from} into the checked-out branch with a merge commit. Returns the merge commit, or throws
     * {@link MergeConflict} after restoring the branch as it was.
     */
    RevCommit mergeNoFastForward(String fromName, ObjectId from, String message, PersonIdent author,
                                 PersonIdent committer) throws GitAPIException, IOException {
        MergeResult result = git.merge().include(fromName, from).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                .setCommit(false).setMessage(message).call();
        if (result.getMergeStatus() == MergeResult.MergeStatus.CONFLICTING) {
            List<String> files = result.getConflicts() == null ? List.of()
                    : result.getConflicts().keySet().stream().sorted().toList();
            git.reset().setMode(ResetCommand.ResetType.HARD).call();
            throw new MergeConflict(files);
        }
        if (result.getMergeStatus() != MergeResult.MergeStatus.MERGED_NOT_COMMITTED) {
            git.reset().setMode(ResetCommand.ResetType.HARD).call();
            throw new IllegalStateException("unexpected merge result " + result.getMergeStatus() + " merging "
                    + fromName + (result.getFailingPaths() == null ? "" : ": " + result.getFailingPaths()));
        }
        return commit(message, author, committer);
    }

    void annotatedTag(String name, ObjectId commit, String message, PersonIdent tagger)
            throws GitAPIException, IOException {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            git.tag().setName(name).setObjectId(walk.parseCommit(commit)).setAnnotated(true).setSigned(false)
                    .setMessage(message).setTagger(tagger).call();
        }
    }

    /**
     * Pushes refs without force, atomically where the remote supports it (all or none are updated), else one by
     * one in the given order. A rejected ref stops with the remote's reason; nothing is ever force-pushed.
     */
    void push(List<String> refs) throws IOException {
        List<RefSpec> specs = refs.stream().map(r -> new RefSpec(r + ":" + r)).toList();
        try {
            check(pushCommand(specs).setAtomic(true).call(), refs, refs.size() > 1);
        } catch (TransportException e) {
            if (!String.valueOf(e.getMessage()).toLowerCase().contains("atomic")) {
                throw pushFailed(refs, e);
            }
            Progress.line(shownUrl + " cannot push atomically; pushing " + String.join(", ", refs) + " in order");
            for (RefSpec spec : specs) {
                try {
                    check(pushCommand(List.of(spec)).call(), List.of(spec.getSource()), false);
                } catch (GitAPIException one) {
                    throw pushFailed(List.of(spec.getSource()), one);
                }
            }
        } catch (GitAPIException e) {
            throw pushFailed(refs, e);
        }
    }

    private PushCommand pushCommand(List<RefSpec> specs) {
        return credentials.apply(git.push().setRemote(ORIGIN).setRefSpecs(specs).setForce(false)
                .setTimeout(TIMEOUT_SECONDS));
    }

    private void check(Iterable<PushResult> results, List<String> refs, boolean atomic) {
        List<String> rejected = new ArrayList<>();
        StringBuilder remoteSays = new StringBuilder();
        for (PushResult result : results) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                if (update.getStatus() != RemoteRefUpdate.Status.OK
                        && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                    rejected.add(Repository.shortenRefName(update.getRemoteName()) + " ("
                            + describe(update) + ")");
                }
            }
            if (result.getMessages() != null && !result.getMessages().isBlank()) {
                remoteSays.append(result.getMessages().strip());
            }
        }
        if (!rejected.isEmpty()) {
            throw new PushRejected(shownUrl, "the remote rejected the push of " + String.join(", ", rejected)
                    + (remoteSays.length() == 0 ? "" : "; the remote says: " + remoteSays.toString()
                    .replaceAll("\\s*\\R\\s*", " / "))
                    + (atomic ? ". The push was atomic: none of these refs changed on the remote" : ""), rejected);
        }
        Progress.line("pushed " + String.join(", ", refs.stream().map(Repository::shortenRefName).toList())
                + " to " + shownUrl);
    }

    private static String describe(RemoteRefUpdate update) {
        return switch (update.getStatus()) {
            case REJECTED_NONFASTFORWARD -> "not a fast-forward: the remote moved on; run deliver again";
            case REJECTED_NODELETE -> "deletion refused";
            case REJECTED_REMOTE_CHANGED -> "changed on the remote meanwhile";
            default -> update.getMessage() == null ? update.getStatus().toString() : update.getMessage();
        };
    }

    private OutsideSystemException pushFailed(List<String> refs, Exception e) {
        return new OutsideSystemException(shownUrl, "push of " + String.join(", ", refs) + " failed: "
                + rootMessage(e), e);
    }

    /** A push the remote refused (protected branch, hook, non-fast-forward). */
    static final class PushRejected extends OutsideSystemException {
        private final List<String> refs;

        PushRejected(String system, String message, List<String> refs) {
            super(system, message);
            this.refs = List.copyOf(refs);
        }

        List<String> refs() {
            return refs;
        }
    }

    /** A merge that git cannot complete without a person; the branch is left as it was. */
    static final class MergeConflict extends RuntimeException {
        private final List<String> files;

        MergeConflict(List<String> files) {
            super("conflicts in " + String.join(", ", files));
            this.files = files;
        }

        List<String> files() {
            return files;
        }
    }

    /** The URL without any user info, so a password written into a URL never reaches a log. */
    static String redact(String url) {
        try {
            URIish uri = new URIish(url);
            return uri.getPass() == null ? url : uri.setPass(null).setUser(null).toString();
        } catch (URISyntaxException e) {
            return url.replaceAll("//[^/@]*@", "//");
        }
    }

    /** The exception's message and its root cause's, which is often the useful part ("Connection refused"). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += ": " + root.getMessage();
        }
        return message.replaceAll("://[^/@\\s]*@", "://");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        git.close();
    }
}
