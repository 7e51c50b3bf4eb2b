package io.deployflow.git;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Writes a git history on purpose: commits by named authors at a controlled clock, branches, merges the way people
 * and web UIs make them, and tags. The demo builds its example repositories with it, and tests build theirs, so
 * both exercise the same real repositories the release meeting reads.
 */
public final class RepoBuilder implements AutoCloseable {
    private final Git git;
    private Instant clock;

    private RepoBuilder(Git git, Instant start) {
        this.git = git;
        this.clock = start;
    }

    /** A new working repository in {@code dir} whose first branch is {@code branch}. */
    public static RepoBuilder init(Path dir, String branch, Instant start) {
        try {
            return new RepoBuilder(Git.init().setDirectory(dir.toFile()).setInitialBranch(branch).call(), start);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot create a repository in " + dir, e);
        }
    }

    public Repository repository() {
        return git.getRepository();
    }

    public Path dir() {
        return git.getRepository().getWorkTree().toPath();
    }

    /** Writes the files and commits them as {@code email}, one minute after the previous commit. */
    public RevCommit commit(String email, String message, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = dir().resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                git.add().addFilepattern(file.getKey()).call();
            }
            PersonIdent who = person(email);
            return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setAllowEmpty(true).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A commit touching one file named after the message, so commits never conflict. */
    public RevCommit commit(String email, String message) {
        String file = "src/" + message.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase() + "-" + clock.getEpochSecond()
                + ".txt";
        return commit(email, message, Map.of(file, message + "\n"));
    }

    public RepoBuilder branch(String name) {
        try {
            git.branchCreate().setName(name).call();
            return checkout(name);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public RepoBuilder checkout(String name) {
        try {
            git.checkout().setName(name).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Merges {@code branch} into the current branch. With {@code noFastForward} a merge commit authored by
     * {@code email} is always made ({@code git merge --no-ff}, and what GitHub/GitLab's merge button does); without,
     * the branch is fast-forwarded when possible and no merge commit exists.
     */
    public RevCommit merge(String branch, String email, String message, boolean noFastForward) {
        try {
            MergeResult result = git.merge().include(repository().resolve(branch))
                    .setFastForward(noFastForward ? MergeCommand.FastForwardMode.NO_FF
                            : MergeCommand.FastForwardMode.FF)
                    .setCommit(false).call();
            if (result.getMergeStatus() == MergeResult.MergeStatus.FAST_FORWARD) {
                return git.log().setMaxCount(1).call().iterator().next();
            }
            if (!result.getMergeStatus().isSuccessful()) {
                throw new IllegalStateException("merge of " + branch + " failed: " + result.getMergeStatus());
            }
            PersonIdent who = person(email);
            return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An annotated tag on the current commit (what release tooling makes), or lightweight when message is null. */
    public RepoBuilder tag(String name, String message) {
        try {
            if (message == null) {
                git.tag().setName(name).setAnnotated(false).call();
            } else {
                git.tag().setName(name).setMessage(message).setTagger(person("release@example.org")).call();
            }
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    private PersonIdent person(String email) {
        clock = clock.plus(Duration.ofMinutes(1));
        String name = email.substring(0, email.indexOf('@')).replace('.', ' ');
        return new PersonIdent(name, email, clock, ZoneOffset.UTC);
    }

    @Override
    public void close() {
        git.close();
    }
}
