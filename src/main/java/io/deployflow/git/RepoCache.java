package io.deployflow.git;

import io.deployflow.core.OutsideSystemException;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

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

    private final Path dir;
    private final GitCredentials credentials;
    private final ConcurrentMap<Path, Object> inProcessLocks = new ConcurrentHashMap<>();
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
     * The up-to-date mirror of {@code url}: cloned on first use, fetched on every later one. The caller closes the
     * repository. An unreachable remote is an {@link OutsideSystemException} naming the URL (credentials removed).
     */
    public Repository open(String url) {
        Path mirror = pathFor(url);
        synchronized (inProcessLocks.computeIfAbsent(mirror, k -> new Object())) {
            try {
                Files.createDirectories(dir);
                try (FileChannel lockFile = FileChannel.open(dir.resolve(mirror.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    if (Files.isDirectory(mirror.resolve("objects"))) {
                        Repository repo = openMirror(mirror);
                        fetch(repo, url);
                        fetches.increment();
                        return repo;
                    }
                    cloneInto(mirror, url);
                    clones.increment();
                    return openMirror(mirror);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot use the repository cache " + dir, e);
            }
        }
    }

    /** The mirror directory for a URL: a readable name plus a hash of the whole URL, so names never collide. */
    public Path pathFor(String url) {
        String name = url.replaceAll("[/\\\\]+$", "").replaceAll("\\.git$", "");
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf(':')) + 1)
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
        if (name.length() > 40 || name.isEmpty() || name.startsWith(".")) {
            name = "repo";
        }
        return dir.resolve(name + "-" + sha256(url).substring(0, 16) + ".git");
    }

    public Path dir() {
        return dir;
    }

    /** How many first clones this cache made; tests use it to prove later runs only fetch. */
    public long cloneCount() {
        return clones.sum();
    }

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

    /** A plain path becomes a file URL, because JGit otherwise resolves relative paths against the mirror. */
    private static String remote(String url) {
        if (url.contains("://") || url.matches("[^/]+@[^/:]+:.*")) {
            return url;
        }
        return Path.of(url).toAbsolutePath().normalize().toUri().toString();
    }

    private static Repository openMirror(Path mirror) throws IOException {
        return new FileRepositoryBuilder().setGitDir(mirror.toFile()).setMustExist(true).setBare().build();
    }

    /** The URL without any user:password part, fit for messages and logs. */
    public static String redact(String url) {
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

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
