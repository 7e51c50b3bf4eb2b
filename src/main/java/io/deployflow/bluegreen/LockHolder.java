package io.deployflow.bluegreen;

/**
 * Who holds a target's rollout lock. The lock belongs to a rollout, not to a process: it is taken by {@code deploy}
 * and released when the rollout finishes (cleanup, abort, rollback), so later phases of the same rollout, run by
 * other JVMs or other agents, carry on under it, and a second rollout is refused while it is held.
 *
 * @param rolloutId the rollout holding the lock
 * @param by        who started it (Jenkins user id or the agent's user)
 * @param build     the build that started it (BUILD_URL), or empty
 * @param since     when it was taken, ISO-8601 UTC
 */
public record LockHolder(String rolloutId, String by, String build, String since) {
    public String describe() {
        return "rollout '" + rolloutId + "' started by " + (by == null || by.isEmpty() ? "unknown" : by)
                + " at " + since + (build == null || build.isEmpty() ? "" : " (" + build + ")");
    }
}
