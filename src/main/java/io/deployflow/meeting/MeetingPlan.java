package io.deployflow.meeting;

import io.deployflow.config.TeamMember;

import java.util.List;

/**
 * The release meeting's result, written as {@code plan.json}: what each component releases and who releases it,
 * and who gets each customer's stack working. Field names are a contract with release-notes, compose, smoke,
 * deliver and the library steps; add fields, never rename them.
 */
public record MeetingPlan(String meetingDate, Rotation rotation, List<ComponentPlan> components,
                          List<CustomerPlan> customers) {

    /** Where the dc-person rotation stands on this date, so anyone can recompute the assignment by hand. */
    public record Rotation(String rotationStart, int cadenceDays, long meetingIndex, List<String> available) {
    }

    /**
     * One component. {@code hasChanges}: commits since the last release; {@code releaseNeeded}: one of them makes a
     * release by the meeting's release rules (a component with only {@code docs:} or {@code chore:} commits has
     * changes but needs no release). {@code nextVersion}, {@code bump} and {@code repoPerson} are set only when a
     * release is needed; {@code releaseVersion} is then {@code nextVersion}, else the last release (null when never
     * released). {@code developTip} is the commit develop pointed to when the meeting looked: what a release made
     * by the pipeline tags.
     */
    public record ComponentPlan(String name, String repo, String image, String developBranch, boolean hasChanges,
                                boolean releaseNeeded, String lastRelease, String lastReleaseTag, String nextVersion,
                                String releaseVersion, String bump, Person repoPerson, List<Change> changes,
                                String developTip) {
    }

    /** A commit to be released; merge commits are left out, as their content is in the commits they merge. */
    public record Change(String sha, String subject, String author, String authorName, String type,
                         boolean breaking, List<String> tickets) {
    }

    /** {@code rule} is {@code pin}, {@code rotation}, or {@code rotation (pin away)} when the pinned person is away. */
    public record CustomerPlan(String name, Person dcPerson, String rule) {
    }

    /** A person; {@code known} is false for a git author whose email is not on the team ({@code id} is null). */
    public record Person(String id, String name, String email, boolean known) {
        public static Person of(TeamMember member) {
            return new Person(member.id(), member.name(), member.primaryEmail(), true);
        }

        public static Person unknown(String name, String email) {
            return new Person(null, name, email, false);
        }

        /** How to name the person to humans: the Jenkins id, or the email when unknown. */
        public String label() {
            return known ? id : email + " (not on the team)";
        }
    }
}
