package io.deployflow.release;

import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.delivery.GitHubReleases;
import io.deployflow.git.GitCredentials;
import io.deployflow.git.RepoCache;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The release made by the pipeline ({@code release: pipeline}): an annotated tag {@code <tagPrefix><version>} on
 * the commit the release meeting saw at develop's tip (or on the merge the repo-person names, which must be on
 * develop), pushed to the component's repository, and a GitHub release when the repository is on GitHub. Pushing
 * the tag is what starts the component's CI, which builds the image the release then waits for.
 *
 * <p>Everything that can be refused is refused before the push: an unknown commit, a commit not on develop, a
 * GitHub repository without a token. A tag that already exists on the same commit is done already (a rerun);
 * on another commit it is a failed check, and nothing is moved: tags are never forced.
 */
public final class ReleaseTagger {
    /** What was done: {@code created}, or {@code unchanged} when the tag was already there on that commit. */
    public record Result(String component, String version, String tag, String commit, String action,
                         Release release) {
    }

    public record Release(String url, String action) {
    }

    /** A tag that exists on another commit: a check failed (exit 1), and the tag was left alone. */
    public static final class TagElsewhere extends RuntimeException {
        TagElsewhere(String message) {
            super(message);
        }
    }

    private final DeployflowConfig config;
    private final RepoCache cache;
    private final Map<String, String> env;

    public ReleaseTagger(DeployflowConfig config, RepoCache cache, Map<String, String> env) {
        this.config = config;
        this.cache = cache;
        this.env = env;
    }

    /** @param commit the commit the repo-person names, or null for develop's tip as the meeting saw it */
    public Result tag(PlannedRelease planned, String commit) {
        Component component = config.component(planned.component());
        String tagName = component.tagFor(planned.version());
        String wanted = commit != null ? commit : planned.developTip();
        if (wanted == null) {
            throw new BadInputException(null, 0, "--commit", "the plan does not say which commit develop pointed to"
                    + " (it was made by an older release-meeting): name the commit to release with --commit");
        }
        String url = RepoCache.resolve(component.repo(), config.file());
        Optional<GitHubReleases.Target> github = GitHubReleases.target(url, env);
        String token = github.map(t -> GitHubReleases.token(t, env)).orElse(null);
        try (Repository repo = cache.open(url); RevWalk walk = new RevWalk(repo)) {
            RevCommit target = commit(repo, walk, wanted, commit != null);
            ObjectId develop = repo.resolve(Constants.R_HEADS + component.developBranch());
            if (develop == null || !walk.isMergedInto(target, walk.parseCommit(develop))) {
                throw new BadInputException(null, 0, commit != null ? "--commit" : "developTip", "commit "
                        + target.abbreviate(10).name() + " is not on " + component.developBranch() + " of "
                        + RepoCache.redact(component.repo()) + ": a release is made from develop");
            }
            String action = existingTagOn(repo, tagName, target) ? "unchanged" : "created";
            if (action.equals("created")) {
                createAndPush(repo, url, component, planned, tagName, target);
            } else {
                Progress.line(component.name() + ": tag " + tagName + " is already on " + target.abbreviate(10).name());
            }
            Release release = github.map(t -> {
                GitHubReleases.Outcome outcome = GitHubReleases.publish(t, token, tagName,
                        component.name() + " " + planned.version(), body(planned));
                return new Release(outcome.url(), outcome.action());
            }).orElse(null);
            return new Result(component.name(), planned.version(), tagName, target.name(), action, release);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RepoCache.redact(component.repo()), e);
        }
    }

    private static RevCommit commit(Repository repo, RevWalk walk, String wanted, boolean named) throws IOException {
        ObjectId id = repo.resolve(wanted + "^{commit}");
        if (id == null) {
            throw new BadInputException(null, 0, named ? "--commit" : "developTip", "no commit '" + wanted
                    + "' in the repository");
        }
        return walk.parseCommit(id);
    }

    /** True when the tag is already on this commit; a tag on another commit stops the release. */
    private static boolean existingTagOn(Repository repo, String tagName, RevCommit target) throws IOException {
        ObjectId existing = repo.resolve(Constants.R_TAGS + tagName + "^{commit}");
        if (existing == null) {
            return false;
        }
        if (!existing.equals(target)) {
            throw new TagElsewhere("tag " + tagName + " already exists on " + existing.abbreviate(10).name()
                    + ", not on " + target.abbreviate(10).name() + "; a release tag is never moved: release the"
                    + " next version, or delete the tag by hand if it was made by mistake");
        }
        return true;
    }

    private void createAndPush(Repository repo, String url, Component component, PlannedRelease planned,
                               String tagName, RevCommit target) throws IOException {
        TagBuilder tag = new TagBuilder();
        tag.setTag(tagName);
        tag.setObjectId(target);
        tag.setTagger(tagger());
        tag.setMessage(message(planned));
        ObjectId tagId;
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            tagId = inserter.insert(tag);
            inserter.flush();
        }
        RefUpdate update = repo.updateRef(Constants.R_TAGS + tagName);
        update.setNewObjectId(tagId);
        update.setExpectedOldObjectId(ObjectId.zeroId());
        RefUpdate.Result created = update.update();
        if (created != RefUpdate.Result.NEW) {
            throw new IllegalStateException("cannot create tag " + tagName + " in the cache: " + created);
        }
        try {
            push(repo, url, tagName);
        } catch (RuntimeException e) {
            // the cache mirrors the remote: a tag the remote did not take must not stay here
            RefUpdate delete = repo.updateRef(Constants.R_TAGS + tagName);
            delete.setForceUpdate(true);
            delete.delete();
            throw e;
        }
        Progress.line(component.name() + ": tagged " + target.abbreviate(10).name() + " as " + tagName
                + " and pushed it to " + RepoCache.redact(component.repo()));
    }

    private void push(Repository repo, String url, String tagName) {
        String ref = Constants.R_TAGS + tagName;
        String remote = url.contains("://") || url.matches("[^/]+@[^/:]+:.*") ? url
                : Path.of(url).toAbsolutePath().toUri().toString();
        try {
            Iterable<PushResult> results = new GitCredentials(env).apply(Git.wrap(repo).push().setRemote(remote)
                    .setRefSpecs(new RefSpec(ref + ":" + ref)).setForce(false)).call();
            for (PushResult result : results) {
                for (RemoteRefUpdate u : result.getRemoteUpdates()) {
                    if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new OutsideSystemException(RepoCache.redact(url), "the remote refused the tag "
                                + tagName + ": " + u.getStatus() + (u.getMessage() == null ? "" : " (" + u.getMessage()
                                + ")"));
                    }
                }
            }
        } catch (GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw new OutsideSystemException(RepoCache.redact(url), "cannot push tag " + tagName + ": "
                    + e.getMessage(), e);
        }
    }

    /** The pipeline tags; who it is comes from git's own committer variables, as Jenkins' git plugin sets them. */
    private PersonIdent tagger() {
        String name = env.getOrDefault("GIT_COMMITTER_NAME", "");
        String email = env.getOrDefault("GIT_COMMITTER_EMAIL", "");
        return new PersonIdent(name.isBlank() ? "deployflow" : name, email.isBlank() ? "deployflow@localhost" : email);
    }

    private static String message(PlannedRelease planned) {
        return planned.component() + " " + planned.version() + "\n\n" + body(planned);
    }

    private static String body(PlannedRelease planned) {
        StringBuilder out = new StringBuilder();
        planned.changes().forEach(c -> out.append("- ").append(c).append('\n'));
        if (planned.repoPerson() != null) {
            out.append("\nReleased for ").append(planned.repoPerson().name() != null ? planned.repoPerson().name()
                    : planned.repoPerson().email()).append(" (repo-person) by the release pipeline.\n");
        }
        return out.toString();
    }
}
