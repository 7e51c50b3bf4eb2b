package io.deployflow.bluegreen;

import java.util.List;

/**
 * How a rollout ended up, told by the engine at the moment it happens, so the CLI can file it in the team's
 * deployment history (the ledger): promoted, aborted (automatically or on demand) or rolled back, each with the
 * reason and what verified it; an abort or rollback that could not be verified is told too.
 *
 * @param status       promoted, aborted, rolled-back, abort-not-verified or rollback-not-verified
 * @param phase        the CLI phase in which it happened (an automatic abort happens in deploy, analyze or shift)
 * @param rollout      the rollout as it stands afterwards
 * @param reason       why it was aborted or rolled back; empty for a promotion
 * @param verification what the revert checked (read back from the router, requests through the entry point)
 */
public record RolloutOutcome(String status, String phase, String target, Rollout rollout, String reason,
                             List<String> verification) {
    public RolloutOutcome {
        reason = reason == null ? "" : reason;
        verification = verification == null ? List.of() : List.copyOf(verification);
    }

    /** True for the outcomes that leave the target as promised (promoted, or all traffic back, verified). */
    public boolean verified() {
        return !status.endsWith("-not-verified");
    }
}
