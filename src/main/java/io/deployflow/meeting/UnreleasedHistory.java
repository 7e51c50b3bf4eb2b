package io.deployflow.meeting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * What a component's repository holds that its last release does not: develop's commits since the release tag
 * ({@code git log <tag>..develop}), merges included, as raw commits. It is what the release meeting remembers
 * between runs ({@link ScanMemory}) and what it extends with new commits, so it stays at the level of git facts:
 * reading them (change types, tickets, the next version, who is who) is {@link RepositoryScanner}'s job and
 * follows the config of the run.
 *
 * @param developTip   the develop commit this history ends at
 * @param releaseTag   the latest release tag's name ({@code v1.2.0}), or null when never released
 * @param releaseRefId what that tag ref points at (the tag object of an annotated tag), or null
 * @param commits      the unreleased commits, in no particular order; {@link #newestFirst} orders them
 */
public record UnreleasedHistory(String developTip, String releaseTag, String releaseRefId, List<Commit> commits) {

    /** One commit as git has it; {@code subject} is git's one-line subject, {@code message} the whole message. */
    public record Commit(String sha, long commitTime, List<String> parents, String authorName, String authorEmail,
                         String subject, String message) {
        boolean isMerge() {
            return parents.size() > 1;
        }
    }

    /**
     * The commits newest first, a child always before its parents, as {@code git log --date-order} lists them;
     * commits with the same time in sha order. Defined on the set of commits alone, so a history extended with new
     * commits lists exactly as a full scan of the same repository does.
     */
    public List<Commit> newestFirst() {
        Map<String, Commit> bySha = bySha();
        Map<String, Integer> children = new HashMap<>();
        for (Commit commit : commits) {
            for (String parent : commit.parents()) {
                if (bySha.containsKey(parent)) {
                    children.merge(parent, 1, Integer::sum);
                }
            }
        }
        PriorityQueue<Commit> ready = new PriorityQueue<>(Comparator.comparingLong(Commit::commitTime).reversed()
                .thenComparing(Commit::sha));
        for (Commit commit : commits) {
            if (!children.containsKey(commit.sha())) {
                ready.add(commit);
            }
        }
        List<Commit> out = new ArrayList<>(commits.size());
        while (!ready.isEmpty()) {
            Commit next = ready.poll();
            out.add(next);
            for (String parent : next.parents()) {
                Integer left = children.computeIfPresent(parent, (sha, n) -> n - 1);
                if (left != null && left == 0) {
                    children.remove(parent);
                    ready.add(bySha.get(parent));
                }
            }
        }
        if (out.size() != commits.size()) {
            throw new IllegalStateException("the unreleased commits of " + developTip + " are not a history");
        }
        return out;
    }

    /**
     * The newest merge on develop's first-parent line since the release (the web UI's or {@code git merge
     * --no-ff}'s merge: its author merged), else develop's tip; null when nothing is unreleased.
     */
    public Commit mergerOrTip() {
        Map<String, Commit> bySha = bySha();
        Commit tip = bySha.get(developTip);
        for (Commit c = tip; c != null; c = c.parents().isEmpty() ? null : bySha.get(c.parents().get(0))) {
            if (c.isMerge()) {
                return c;
            }
        }
        return tip;
    }

    /** This history with commits added that were made on top of it (none of them may already be in it). */
    UnreleasedHistory extendedTo(String newTip, Collection<Commit> newCommits) {
        List<Commit> all = new ArrayList<>(commits.size() + newCommits.size());
        all.addAll(newCommits);
        all.addAll(commits);
        return new UnreleasedHistory(newTip, releaseTag, releaseRefId, List.copyOf(all));
    }

    private Map<String, Commit> bySha() {
        Map<String, Commit> bySha = new LinkedHashMap<>();
        for (Commit commit : commits) {
            bySha.put(commit.sha(), commit);
        }
        return bySha;
    }
}
