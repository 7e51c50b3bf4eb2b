package io.deployflow.meeting;

import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.git.RepoCache;
import io.deployflow.meeting.MeetingPlan.Change;
import io.deployflow.meeting.MeetingPlan.ComponentPlan;
import io.deployflow.meeting.MeetingPlan.Person;
import io.deployflow.meeting.UnreleasedHistory.Commit;
import io.deployflow.release.ReleaseTags;
import io.deployflow.release.SemVer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one component has to release, read from its repository (S0 "Meeting"):
 * <ul>
 * <li><b>latest release</b>: the highest {@code <tagPrefix>X.Y.Z} tag; pre-release tags do not count;</li>
 * <li><b>changes</b>: develop commits the release tag does not contain ({@code git log <tag>..develop}), all
 * develop commits when never released, newest first. Merge commits are left out of the list (their content is the
 * merged commits), so a develop that only got the release merged back has nothing to release;</li>
 * <li><b>repo-person</b>: the author of the newest merge commit on develop's first-parent history since the release
 * — for {@code git merge --no-ff} and web-UI merges alike, that merge's author is who merged. With no merge
 * commit (fast-forward or squash merges), the author of develop's tip;</li>
 * <li><b>nextVersion</b>: see {@link VersionBump}; none when no change makes a release (release rules).</li>
 * </ul>
 * Cost: the meeting remembers each repository's unreleased commits, and each release's history
 * ({@link ScanMemory}). It first asks the remote for its refs (one round trip); when develop and the latest release
 * tag are where they were, that is all: no fetch, no walk. When develop only moved forward, only the new commits are
 * read and added; otherwise (a new or deleted release, a force-pushed develop, no or an unusable memory) the
 * unreleased commits are read again. A new release's history is read once, in full. The plan derived from the
 * commits is remembered too ({@link PlanMemory}), so a repository that did not move costs its refs and one small read.
 */
public final class RepositoryScanner {
    /** How a scan got its commits: from memory alone, by adding new commits to it, or by a full walk. */
    public enum Source { REMEMBERED, EXTENDED, FULL }

    /** A component's plan and how it was found; {@code walked} counts the commits read from git this time. */
    public record Scan(ComponentPlan plan, Source source, int walked) {
    }

    private final DeployflowConfig config;
    /** The settings every component's plan is derived with, as {@link #planInputs} keys them; the same for all. */
    private final String sharedInputs;

    public RepositoryScanner(DeployflowConfig config) {
        this.config = config;
        Pattern tickets = config.releaseNotes().ticketPattern();
        this.sharedInputs = String.join("\0", tickets.pattern(), Integer.toString(tickets.flags()),
                // sorted: the rules' map may be an immutable Map.of, whose order changes from one JVM to the next
                new TreeMap<>(config.meeting().releaseRules().byType()).toString(),
                String.valueOf(config.meeting().releaseRules().otherwise()));
    }

    /**
     * Scans a component through the repository cache: asks the remote for its refs, and fetches and walks only
     * when develop or the latest release moved since the remembered scan.
     */
    public Scan scan(RepoCache cache, String url, Component component, String repoForPlan) {
        Map<String, ObjectId> remote = cache.remoteRefs(url);
        Path entry = ScanMemory.entry(cache.pathFor(url), component);
        String inputs = planInputs(component, repoForPlan);
        PlanMemory.Remembered concluded = PlanMemory.read(PlanMemory.entry(entry), inputs);
        if (concluded != null && sameInputs(concluded.developTip(), concluded.releaseTag(), concluded.releaseRefId(),
                remote, component)) {
            return new Scan(withRepoPerson(concluded), Source.REMEMBERED, 0);
        }
        UnreleasedHistory remembered = ScanMemory.read(entry, component);
        if (remembered != null && sameInputs(remembered.developTip(), remembered.releaseTag(),
                remembered.releaseRefId(), remote, component)) {
            return new Scan(planRemembered(entry, inputs, component, repoForPlan, remembered), Source.REMEMBERED, 0);
        }
        try (Repository repo = cache.open(url, remote)) {
            Collected collected = collect(repo, cache.pathFor(url), component, remembered);
            try {
                ScanMemory.write(entry, component, collected.history());
            } catch (IOException e) {
                // only the next run's speed depends on it; the cache directory's own errors show when fetching
            }
            return new Scan(planRemembered(entry, inputs, component, repoForPlan, collected.history()),
                    collected.source(), collected.walked());
        }
    }

    /**
     * Every setting {@link #plan} reads besides the commits and the team, as one string: a remembered plan is used
     * only when this is unchanged.
     */
    private String planInputs(Component component, String repoForPlan) {
        return String.join("\0", component.name(), String.valueOf(component.image()), component.developBranch(),
                component.tagPrefix(), repoForPlan, sharedInputs);
    }

    /** The plan of a history, remembered for the next meeting. */
    private ComponentPlan planRemembered(Path entry, String inputs, Component component, String repoForPlan,
                                         UnreleasedHistory history) {
        ComponentPlan plan = plan(component, repoForPlan, history);
        try {
            PlanMemory.write(PlanMemory.entry(entry), inputs, history, plan,
                    plan.repoPerson() == null ? null : history.mergerOrTip());
        } catch (IOException e) {
            // only the next run's speed depends on it
        }
        return plan;
    }

    /** A remembered plan with its repo-person looked up in today's team. */
    private ComponentPlan withRepoPerson(PlanMemory.Remembered concluded) {
        ComponentPlan p = concluded.plan();
        Person person = concluded.mergerEmail() == null ? null
                : repoPerson(concluded.mergerName(), concluded.mergerEmail());
        return new ComponentPlan(p.name(), p.repo(), p.image(), p.developBranch(), p.hasChanges(), p.releaseNeeded(),
                p.lastRelease(), p.lastReleaseTag(), p.nextVersion(), p.releaseVersion(), p.bump(), person,
                p.changes(), p.developTip());
    }

    /** A full scan of a repository as it is, without memory; what every other path must agree with. */
    public ComponentPlan scan(Repository repo, Component component, String repoForPlan) {
        return plan(component, repoForPlan, collect(repo, null, component, null).history());
    }

    /** The remote's develop tip and latest release tag are the ones the remembered history was read from. */
    private static boolean sameInputs(String developTip, String releaseTag, String releaseRefId,
                                      Map<String, ObjectId> remote, Component component) {
        ObjectId tip = remote.get(Constants.R_HEADS + component.developBranch());
        if (tip == null || !tip.name().equals(developTip)) {
            return false;
        }
        String latest = null;
        SemVer latestVersion = null;
        for (String name : remote.keySet()) {
            SemVer version = ReleaseTags.releaseVersion(name, component.tagPrefix()).orElse(null);
            if (version != null && (latestVersion == null || version.compareTo(latestVersion) > 0)) {
                latest = name;
                latestVersion = version;
            }
        }
        if (latest == null || releaseTag == null) {
            return latest == null && releaseTag == null;
        }
        return latest.equals(Constants.R_TAGS + releaseTag) && remote.get(latest).name().equals(releaseRefId);
    }

    private record Collected(UnreleasedHistory history, Source source, int walked) {
    }

    /** @param mirror where the release's history is remembered, or null to remember nothing */
    private Collected collect(Repository repo, Path mirror, Component component, UnreleasedHistory remembered) {
        try {
            Ref develop = repo.exactRef(Constants.R_HEADS + component.developBranch());
            if (develop == null) {
                throw missingBranch(repo, component);
            }
            ReleaseTags tags = ReleaseTags.of(repo, component.tagPrefix());
            ReleaseTags.Release latest = tags.latest().orElse(null);
            String releaseTag = latest == null ? null : latest.tagName();
            String releaseRefId = latest == null ? null : latest.ref().getObjectId().name();
            ObjectId tip = develop.getObjectId();
            try (RevWalk walk = new RevWalk(repo)) {
                walk.setRetainBody(true);
                Set<ObjectId> released = latest == null ? Set.of() : released(repo, mirror, tags.commitOf(latest));
                if (remembered != null && Objects.equals(releaseTag, remembered.releaseTag())
                        && Objects.equals(releaseRefId, remembered.releaseRefId())) {
                    List<Commit> added = added(walk, tip, released, remembered);
                    if (added != null) {
                        return new Collected(remembered.extendedTo(tip.name(), added), Source.EXTENDED,
                                added.size());
                    }
                }
                List<Commit> all = unreleased(walk, tip, released, Set.of());
                return new Collected(new UnreleasedHistory(tip.name(), releaseTag, releaseRefId, List.copyOf(all)),
                        Source.FULL, all.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + repo.getDirectory(), e);
        }
    }

    /**
     * Every commit in a release's history. Read once per release commit and remembered (a commit's history never
     * changes); knowing it exactly is what makes the scan exact where dates mislead: a date-ordered walk such as
     * {@code git log tag..develop} can list released commits when clocks were wrong.
     */
    private static Set<ObjectId> released(Repository repo, Path mirror, ObjectId releaseCommit) throws IOException {
        Set<ObjectId> remembered = mirror == null ? null : ScanMemory.readReleased(mirror, releaseCommit);
        if (remembered != null) {
            return remembered;
        }
        Set<ObjectId> all = new HashSet<>();
        try (RevWalk history = new RevWalk(repo)) {
            history.setRetainBody(false);
            history.markStart(history.parseCommit(releaseCommit));
            for (RevCommit commit : history) {
                all.add(commit.copy());
            }
        }
        if (mirror != null) {
            try {
                ScanMemory.writeReleased(mirror, releaseCommit, all);
            } catch (IOException e) {
                // only the next scan's speed depends on it
            }
        }
        return all;
    }

    /**
     * The commits develop gained since the remembered tip, or null when develop did not move forward from it
     * (force-pushed, or the old tip is gone). What is new is what neither the release nor the remembered commits
     * reach; the old tip is in develop's history exactly when one of the new commits has it as a parent, since any
     * path to it from develop's tip meets no other remembered commit first.
     */
    private static List<Commit> added(RevWalk walk, ObjectId tip, Set<ObjectId> released,
                                      UnreleasedHistory remembered) throws IOException {
        String oldTip = remembered.developTip();
        if (oldTip.equals(tip.name())) {
            return List.of();
        }
        Set<String> known = new HashSet<>();
        remembered.commits().forEach(c -> known.add(c.sha()));
        List<Commit> added = unreleased(walk, tip, released, known);
        if (remembered.commits().isEmpty()) {
            return added; // the old tip was released: what the release does not reach is all there is
        }
        for (Commit commit : added) {
            if (commit.parents().contains(oldTip)) {
                return added;
            }
        }
        return null;
    }

    /**
     * The commits {@code tip} reaches without passing a released or a {@code known} commit, merges included. A plain
     * graph walk, exact whatever the commit dates say; it reads the unreleased commits and their parents only.
     */
    private static List<Commit> unreleased(RevWalk walk, ObjectId tip, Set<ObjectId> released, Set<String> known)
            throws IOException {
        List<Commit> out = new ArrayList<>();
        Set<ObjectId> seen = new HashSet<>();
        Deque<ObjectId> todo = new ArrayDeque<>();
        todo.push(tip);
        while (!todo.isEmpty()) {
            ObjectId id = todo.pop();
            if (!seen.add(id) || released.contains(id) || known.contains(id.name())) {
                continue;
            }
            RevCommit commit = walk.parseCommit(id);
            List<String> parents = new ArrayList<>(commit.getParentCount());
            for (RevCommit parent : commit.getParents()) {
                parents.add(parent.name());
                todo.push(parent);
            }
            PersonIdent author = commit.getAuthorIdent();
            out.add(new Commit(commit.name(), commit.getCommitTime(), List.copyOf(parents), author.getName(),
                    author.getEmailAddress(), commit.getShortMessage(), commit.getFullMessage()));
        }
        return out;
    }

    /**
     * Reads the unreleased commits as this run's config says: change types, tickets, whether a release is needed
     * (release rules), next version, repo-person.
     */
    private ComponentPlan plan(Component component, String repoForPlan, UnreleasedHistory history) {
        SemVer last = history.releaseTag() == null ? null
                : ReleaseTags.releaseVersion(Constants.R_TAGS + history.releaseTag(), component.tagPrefix())
                .orElseThrow();
        List<Change> changes = new ArrayList<>();
        List<ConventionalCommit> kinds = new ArrayList<>();
        for (Commit commit : history.newestFirst()) {
            if (commit.isMerge()) {
                continue;
            }
            ConventionalCommit kind = ConventionalCommit.parse(commit.message());
            kinds.add(kind);
            changes.add(new Change(commit.sha(), commit.subject(), commit.authorEmail(), commit.authorName(),
                    kind.type(), kind.breaking(), tickets(commit.message())));
        }
        VersionBump bump = VersionBump.of(last, kinds, config.meeting().releaseRules()).orElse(null);
        String next = bump == null ? null : bump.apply(last).toString();
        return new ComponentPlan(component.name(), repoForPlan, component.image(),
                component.developBranch(), !changes.isEmpty(), bump != null, last == null ? null : last.toString(),
                history.releaseTag(), next,
                bump != null ? next : (last == null ? null : last.toString()),
                bump == null ? null : bump.label(),
                bump != null ? repoPerson(history.mergerOrTip()) : null, List.copyOf(changes), history.developTip());
    }

    /** The person behind a commit's author email: a team member when the email is theirs. */
    private Person repoPerson(Commit who) {
        return repoPerson(who.authorName(), who.authorEmail());
    }

    private Person repoPerson(String name, String email) {
        return config.memberByEmail(email).map(Person::of).orElseGet(() -> Person.unknown(name, email));
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
