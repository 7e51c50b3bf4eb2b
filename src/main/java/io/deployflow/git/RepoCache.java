package io.deployflow.git;

import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Sha256;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LsRemoteCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FileUtils;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Bare mirrors of remote repositories, one directory per URL, so a release meeting clones a repository once and
 * afterwards only fetches what changed. Only branches and tags are mirrored ({@code refs/heads/*},
 * {@code refs/tags/*}); refs deleted on the remote are deleted here, so a removed tag stops counting as a release.
 * <p>
 * A first clone is made in a temporary directory and moved into place when complete, so an interrupted clone never
 * leaves a half-filled mirror behind. A lock file per mirror serialises fetches from parallel runs (two Jenkins
 * jobs on one agent) and from threads of this process.
 */
public final class RepoCache {
    private static final List<RefSpec> MIRROR = List.of(new RefSpec("+refs/heads/*:refs/heads/*"),
            new RefSpec("+refs/tags/*:refs/tags/*"));
    private static final int TIMEOUT_SECONDS = 120;
    private static final Pattern TRAILING_SLASHES = Pattern.compile("[/\\\\]+$");
    private static final Pattern GIT_SUFFIX = Pattern.compile("\\.git$");
    private static final Pattern NOT_IN_NAMES = Pattern.compile("[^a-z0-9._-]");
    private static final Pattern SCP_LIKE = Pattern.compile("[^/]+@[^/:]+:.*");

    private final Path dir;
    private final GitCredentials credentials;
    private final ConcurrentMap<Path, Object> inProcessLocks = new ConcurrentHashMap<>();
    /** Each URL's mirror, worked out once: a meeting asks several times per component. */
    private final ConcurrentMap<String, Path> mirrors = new ConcurrentHashMap<>();
    private final LongAdder clones = new LongAdder();
    private final LongAdder fetches = new LongAdder();

    public RepoCache(Path cacheDir) {
        this(cacheDir, GitCredentials.fromEnvironment());
    }

    public RepoCache(Path cacheDir, GitCredentials credentials) {
        this.dir = cacheDir.toAbsolutePath();
        this.credentials = credentials;
    }

    /** {@code $XDG_CACHE_HOME/deployflow/repos}, else {@code ~/.cache/deployflow/repos}. */
    public static Path defaultDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("deployflow").resolve("repos");
    }

    /**
     * The up-to-date mirror of {@code url}: cloned on first use, fetched on every later one (a local source whose
     * branches and tags did not move is not fetched at all). The caller closes the repository. An unreachable remote
     * is an {@link OutsideSystemException} naming the URL (credentials removed), as is a cache directory that cannot
     * be written.
     */
    public Repository open(String url) {
        return open(url, null);
    }

    /**
     * Like {@link #open(String)}, with the remote's branches and tags just read by {@link #remoteRefs}: when the
     * mirror already has exactly those, there is nothing to fetch, for network remotes too.
     */
    public Repository open(String url, Map<String, ObjectId> remoteRefs) {
        Path mirror = pathFor(url);
        synchronized (inProcessLocks.computeIfAbsent(mirror, k -> new Object())) {
            try {
                Files.createDirectories(dir);
                try (FileChannel lockFile = FileChannel.open(dir.resolve(mirror.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    if (Files.isDirectory(mirror.resolve("objects"))) {
                        Repository repo = openMirror(mirror);
                        try {
                            boolean current = remoteRefs != null ? remoteRefs.equals(mirroredRefs(repo))
                                    : sameRefsAsLocalSource(repo, url);
                            if (!current) {
                                fetch(repo, url);
                                fetches.increment();
                            }
                            return repo;
                        } catch (RuntimeException e) {
                            repo.close();
                            throw e;
                        }
                    }
                    cloneInto(mirror, url);
                    clones.increment();
                    return openMirror(mirror);
                }
            } catch (IOException e) {
                throw new OutsideSystemException("repository cache " + dir, "cannot write: " + e, e);
            }
        }
    }

    /**
     * The remote's branches and tags ({@code refs/heads/*}, {@code refs/tags/*}, unpeeled) in one round trip, without
     * touching the mirror: a network remote is asked with ls-remote, a repository on this machine is read directly.
     * What a release meeting compares with what it remembers before deciding to fetch at all.
     */
    public Map<String, ObjectId> remoteRefs(String url) {
        Path source = localPath(url);
        if (source != null) {
            try {
                return localRefs(source);
            } catch (IOException | RuntimeException e) {
                throw new OutsideSystemException(redact(url), "cannot read the repository: " + rootMessage(e), e);
            }
        }
        LsRemoteCommand lsRemote = Git.lsRemoteRepository().setRemote(url).setHeads(true).setTags(true)
                .setTimeout(TIMEOUT_SECONDS);
        try {
            Map<String, ObjectId> out = new HashMap<>();
            for (Ref ref : credentials.apply(lsRemote).call()) {
                if (!ref.isSymbolic() && ref.getObjectId() != null) {
                    out.put(ref.getName(), ref.getObjectId());
                }
            }
            return out;
        } catch (GitAPIException | RuntimeException e) {
            throw new OutsideSystemException(redact(url), "cannot list refs: "
                    + rootMessage(e).replace(url, redact(url)), e);
        }
    }

    /** The mirror directory for a URL: a readable name plus a hash of the whole URL, so names never collide. */
    public Path pathFor(String url) {
        return mirrors.computeIfAbsent(url, this::mirrorPath);
    }

    private Path mirrorPath(String url) {
        String name = GIT_SUFFIX.matcher(TRAILING_SLASHES.matcher(url).replaceAll("")).replaceAll("");
        name = NOT_IN_NAMES.matcher(name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf(':')) + 1)
                .toLowerCase(Locale.ROOT)).replaceAll("_");
        if (name.length() > 40 || name.isEmpty() || name.startsWith(".")) {
            name = "repo";
        }
        return dir.resolve(name + "-" + Sha256.hex(url).substring(0, 16) + ".git");
    }

    public Path dir() {
        return dir;
    }

    /** How many first clones this cache made; tests use it to prove later runs only fetch or skip. */
    public long cloneCount() {
        return clones.sum();
    }

    /** How many fetches this cache made (a local source whose refs did not move needs none). */
    public long fetchCount() {
        return fetches.sum();
    }

    private void cloneInto(Path mirror, String url) throws IOException {
        Path tmp = Files.createTempDirectory(dir, ".clone-");
        try {
            try (Git git = Git.init().setBare(true).setDirectory(tmp.toFile()).call()) {
                git.getRepository().getConfig().setString("deployflow", null, "url", redact(url));
                git.getRepository().getConfig().save();
                fetch(git.getRepository(), url);
                writeCommitPack(git.getRepository());
            } catch (GitAPIException e) {
                throw new IOException(e);
            }
            try {
                Files.move(tmp, mirror, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, mirror);
            }
        } finally {
            if (Files.exists(tmp)) {
                FileUtils.delete(tmp.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
            }
        }
    }

    /** Only a speed-up: a mirror without the commit pack is complete and correct, just slower to scan. */
    private static void writeCommitPack(Repository repo) {
        try {
            CommitPack.write(repo);
        } catch (IOException | RuntimeException e) {
            // the full pack has everything; scanning merely loads its larger index
        }
    }

    private void fetch(Repository repo, String url) {
        FetchCommand fetch = Git.wrap(repo).fetch().setRemote(remote(url)).setRefSpecs(MIRROR)
                .setRemoveDeletedRefs(true).setTagOpt(TagOpt.NO_TAGS).setTimeout(TIMEOUT_SECONDS)
                .setCheckFetchedObjects(false);
        try {
            credentials.apply(fetch).call();
        } catch (GitAPIException | RuntimeException e) {
            throw new OutsideSystemException(redact(url), "cannot fetch: "
                    + rootMessage(e).replace(url, redact(url)), e);
        }
    }

    /**
     * A repository as written in deployflow.yaml: a URL, an scp-like {@code user@host:path}, or a plain path; a
     * relative plain path is relative to the config file, so the config works from any working directory.
     */
    public static String resolve(String repo, Path configFile) {
        if (isUrl(repo) || Path.of(repo).isAbsolute()) {
            return repo;
        }
        return configFile.toAbsolutePath().getParent().resolve(repo).normalize().toString();
    }

    private static boolean isUrl(String repo) {
        return repo.contains("://") || SCP_LIKE.matcher(repo).matches();
    }

    /** A plain path becomes a file URL, because JGit otherwise resolves relative paths against the mirror. */
    private static String remote(String url) {
        return isUrl(url) ? url : Path.of(url).toAbsolutePath().normalize().toUri().toString();
    }

    /**
     * For a repository on this machine (a path or file URL), compares its branches and tags with the mirror's
     * directly: when nothing moved there is nothing to fetch, and skipping JGit's fetch machinery (a pack protocol
     * conversation with an in-process upload-pack) makes a warm meeting over local mirrors several times faster.
     * Network remotes always go through fetch, whose ref advertisement is the same comparison.
     */
    private static boolean sameRefsAsLocalSource(Repository mirror, String url) {
        Path source = localPath(url);
        if (source == null) {
            return false;
        }
        try {
            return localRefs(source).equals(mirroredRefs(mirror));
        } catch (IOException | RuntimeException e) {
            return false; // let the fetch report what is wrong with the source
        }
    }

    /**
     * The branches and tags of a repository on this machine: read from its files ({@link LocalRefs}), or by JGit
     * when the repository is laid out in a way only JGit reads, or is not a repository (JGit says what is wrong).
     */
    private static Map<String, ObjectId> localRefs(Path source) throws IOException {
        Path gitDir = Files.isDirectory(source.resolve(".git")) ? source.resolve(".git") : source;
        Map<String, ObjectId> read = LocalRefs.read(gitDir.toFile());
        if (read != null) {
            return read;
        }
        // opened as bare whatever it is: only its refs are read, and JGit then skips looking for a work tree
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().setMustExist(true)
                .build()) {
            return mirroredRefs(repo);
        }
    }

    private static Map<String, ObjectId> mirroredRefs(Repository repo) throws IOException {
        Map<String, ObjectId> out = new HashMap<>();
        for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
            if (!ref.isSymbolic()) {
                out.put(ref.getName(), ref.getObjectId());
            }
        }
        return out;
    }

    private static Path localPath(String url) {
        if (url.startsWith("file:")) {
            try {
                return Path.of(java.net.URI.create(url));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return isUrl(url) ? null : Path.of(url);
    }

    private static Repository openMirror(Path mirror) throws IOException {
        return new FileRepositoryBuilder().setGitDir(mirror.toFile()).setMustExist(true).setBare().build();
    }

    /** The URL without any user:password part, fit for messages and logs. */
    public static String redact(String url) {
        if (url.indexOf('@') < 0) {
            return url; // no user part, so no password: spares URIish's patterns, once per component per meeting
        }
        try {
            URIish uri = new URIish(url);
            return uri.getPass() == null ? url : uri.setPass(null).toString();
        } catch (URISyntaxException e) {
            return url.replaceAll("//[^/@]*@", "//");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return e.getMessage() != null && !e.getMessage().equals(message) ? e.getMessage() + " (" + message + ")"
                : message;
    }
}
