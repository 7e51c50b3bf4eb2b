package io.deployflow.meeting;

import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.meeting.MeetingPlan.Change;
import io.deployflow.meeting.MeetingPlan.ComponentPlan;
import io.deployflow.meeting.MeetingPlan.Person;
import io.deployflow.release.ReleaseTags;
import io.deployflow.release.SemVer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevFlag;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * What one component has to release, read from its repository (S0 "Meeting"):
 * <ul>
 * <li><b>latest release</b>: the highest {@code <tagPrefix>X.Y.Z} tag; pre-release tags do not count;</li>
 * <li><b>changes</b>: develop commits the release tag does not contain ({@code git log <tag>..develop}), all
 * develop commits when never released. Merge commits are left out of the list (their content is the merged
 * commits), so a develop that only got the release merged back has nothing to release;</li>
 * <li><b>repo-person</b>: the author of the newest merge commit on develop's first-parent history since the release
 * — for {@code git merge --no-ff} and web-UI merges alike, that merge's author is who merged. With no merge
 * commit (fast-forward or squash merges), the author of develop's tip;</li>
 * <li><b>nextVersion</b>: see {@link VersionBump}.</li>
 * </ul>
 * Cost: one RevWalk from develop with the release commit marked uninteresting, so only the unreleased commits and a
 * thin boundary are parsed, never the whole history.
 */
public final class RepositoryScanner {
    private final DeployflowConfig config;

    public RepositoryScanner(DeployflowConfig config) {
        this.config = config;
    }

    public ComponentPlan scan(Repository repo, Component component, String repoForPlan) {
        try {
            Ref develop = repo.exactRef(Constants.R_HEADS + component.developBranch());
            if (develop == null) {
                throw missingBranch(repo, component);
            }
            ReleaseTags tags = ReleaseTags.of(repo, component.tagPrefix());
            ReleaseTags.Release latest = tags.latest().orElse(null);
            try (RevWalk walk = new RevWalk(repo)) {
                walk.setRetainBody(true);
                RevCommit tip = walk.parseCommit(develop.getObjectId());
                walk.markStart(tip);
                if (latest != null) {
                    walk.markUninteresting(walk.parseCommit(tags.commitOf(latest)));
                }
                RevFlag unreleased = walk.newFlag("unreleased");
                List<Change> changes = new ArrayList<>();
                List<ConventionalCommit> kinds = new ArrayList<>();
                for (RevCommit commit : walk) {
                    commit.add(unreleased);
                    if (commit.getParentCount() > 1) {
                        continue;
                    }
                    String message = commit.getFullMessage();
                    ConventionalCommit kind = ConventionalCommit.parse(message);
                    kinds.add(kind);
                    PersonIdent author = commit.getAuthorIdent();
                    changes.add(new Change(commit.name(), commit.getShortMessage(), author.getEmailAddress(),
                            author.getName(), kind.type(), kind.breaking(), tickets(message)));
                }
                boolean hasChanges = !changes.isEmpty();
                SemVer last = latest == null ? null : latest.version();
                VersionBump bump = hasChanges ? VersionBump.of(last, kinds) : null;
                String next = bump == null ? null : bump.apply(last).toString();
                return new ComponentPlan(component.name(), repoForPlan, component.image(),
                        component.developBranch(), hasChanges, last == null ? null : last.toString(),
                        latest == null ? null : latest.tagName(), next,
                        hasChanges ? next : (last == null ? null : last.toString()),
                        bump == null ? null : bump.label(),
                        hasChanges ? repoPerson(tip, unreleased) : null, List.copyOf(changes), tip.name());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + repoForPlan, e);
        }
    }

    /** The author of the newest merge on develop's first-parent line since the release, else of develop's tip. */
    private Person repoPerson(RevCommit tip, RevFlag unreleased) {
        RevCommit merge = null;
        for (RevCommit c = tip; c != null && c.has(unreleased); c = c.getParentCount() == 0 ? null : c.getParent(0)) {
            if (c.getParentCount() > 1) {
                merge = c;
                break;
            }
        }
        PersonIdent who = (merge == null ? tip : merge).getAuthorIdent();
        return config.memberByEmail(who.getEmailAddress()).map(Person::of)
                .orElseGet(() -> Person.unknown(who.getName(), who.getEmailAddress()));
    }

    private List<String> tickets(String message) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = config.releaseNotes().ticketPattern().matcher(message);
        while (m.find()) {
            found.add(m.group());
        }
        return List.copyOf(found);
    }

    private BadInputException missingBranch(Repository repo, Component component) throws IOException {
        List<String> branches = repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).stream()
                .map(r -> Repository.shortenRefName(r.getName())).sorted().toList();
        int index = config.components().indexOf(component);
        return new BadInputException(config.file().toString(), 0, "components[" + index + "].developBranch",
                "branch '" + component.developBranch() + "' does not exist in " + component.repo()
                        + "; its branches: " + (branches.isEmpty() ? "(none)" : String.join(", ", branches)));
    }
}
