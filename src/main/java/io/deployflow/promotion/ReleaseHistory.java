package io.deployflow.promotion;

import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.git.RepoCache;
import io.deployflow.release.SemVer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * When the first change of a release was committed: the start of its lead time for changes. A release of a
 * component is its tag; its changes are the commits the tag has and the release before it (the highest lower
 * version) has not. The earliest commit time among them is the answer. Services that are not components, and
 * versions without a tag, have none (their deployments count, but not towards lead time).
 */
public interface ReleaseHistory {
    Optional<Instant> firstCommit(String service, String version);

    /** Knows nothing: for commands that do not record production deployments. */
    ReleaseHistory NONE = (service, version) -> Optional.empty();

    /** From the component's repository, through the repository cache. A repository that cannot be read is a warning. */
    static ReleaseHistory fromGit(DeployflowConfig config, RepoCache cache) {
        return (service, version) -> {
            Optional<Component> component = config.components().stream().filter(c -> c.name().equals(service))
                    .findFirst();
            if (component.isEmpty()) {
                return Optional.empty();
            }
            try (Repository repo = cache.open(RepoCache.resolve(component.get().repo(), config.file()))) {
                return firstCommit(repo, component.get(), version);
            } catch (OutsideSystemException | IOException e) {
                Progress.line("warning: cannot read " + RepoCache.redact(component.get().repo()) + " to find when "
                        + service + " " + version + " was first committed (" + e.getMessage() + "); this deployment"
                        + " will not count towards lead time");
                return Optional.empty();
            }
        };
    }

    private static Optional<Instant> firstCommit(Repository repo, Component component, String version)
            throws IOException {
        Ref tag = repo.exactRef(Constants.R_TAGS + component.tagFor(version));
        Optional<SemVer> released = SemVer.tryParse(version);
        if (tag == null || released.isEmpty()) {
            Progress.line("warning: " + component.name() + " has no tag " + component.tagFor(version)
                    + "; this deployment will not count towards lead time");
            return Optional.empty();
        }
        SemVer before = null;
        ObjectId beforeId = null;
        for (Ref other : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS + component.tagPrefix())) {
            String text = other.getName().substring((Constants.R_TAGS + component.tagPrefix()).length());
            Optional<SemVer> v = SemVer.tryParse(text);
            if (v.isPresent() && v.get().isRelease() && v.get().compareTo(released.get()) < 0
                    && (before == null || v.get().compareTo(before) > 0)) {
                before = v.get();
                beforeId = other.getObjectId();
            }
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(tag.getObjectId()));
            if (beforeId != null) {
                walk.markUninteresting(walk.parseCommit(beforeId));
            }
            Instant first = null;
            for (RevCommit commit : walk) {
                Instant when = commit.getCommitterIdent().getWhenAsInstant();
                first = first == null || when.isBefore(first) ? when : first;
            }
            return Optional.ofNullable(first);
        }
    }
}
