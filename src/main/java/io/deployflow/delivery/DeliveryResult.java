package io.deployflow.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * The machine-readable record of one delivery ({@code deliver --json}). Filled in as the delivery goes, so a
 * delivery that stops still reports what it did before stopping.
 */
public final class DeliveryResult {
    /** delivered, unchanged (already delivered), conflict, rejected, failed. */
    public String status = "failed";
    public String customer;
    public String repository;
    public String version;
    public String branch;
    public final List<Commit> commits = new ArrayList<>();
    public final List<Merge> merges = new ArrayList<>();
    public Tag tag;
    public Release release;
    public final List<String> filesChanged = new ArrayList<>();
    public final List<String> pushed = new ArrayList<>();
    public String message;
    /** The release notes that went out (tag message and GitHub release), generated from the plan as delivered. */
    public String notes;

    /** A commit this delivery created; {@code kind} is release (the files) or merge. */
    public record Commit(String sha, String branch, String kind, String message) {
    }

    /** {@code kind}: merge (a merge commit), fast-forward, or already-merged (nothing to do). */
    public record Merge(String from, String into, String kind, String sha) {
    }

    /** {@code created} is false when the tag already marked this delivery. */
    public record Tag(String name, String commit, boolean created) {
    }

    /** {@code action}: created, updated or unchanged. */
    public record Release(String url, String action) {
    }
}
