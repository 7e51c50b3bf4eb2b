package io.deployflow.bluegreen;

/**
 * One thing someone did to the target: a phase run (deploy, shift to 50 %, abort...) with who, from which build,
 * and what came of it. Kept in the target's state so anyone reading {@code status} sees who did what.
 *
 * @param at        ISO-8601 UTC
 * @param rolloutId the rollout it belongs to
 * @param action    the phase command: deploy, analyze, shift, promote, cleanup, abort, rollback
 * @param by        user id (DEPLOYFLOW_USER, else the agent's user)
 * @param build     BUILD_URL or empty
 * @param outcome   ok, failed, aborted, no-op...
 * @param detail    one human line: "weight 50 % on green, analysis passed (3/3)"
 */
public record HistoryEntry(String at, String rolloutId, String action, String by, String build, String outcome,
                           String detail) {
}
