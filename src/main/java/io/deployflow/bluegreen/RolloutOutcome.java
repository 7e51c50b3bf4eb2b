package io.deployflow.bluegreen;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The ledger's entry type: {@code rollback} for a rollback after promotion, {@code deploy} for the rest (a
     * promotion, or a deployment that was aborted before it), the types the deployment history shows.
     */
    public String ledgerType() {
        return status.startsWith("rolled-back") || status.startsWith("rollback") ? "rollback" : "deploy";
    }

    /**
     * What the deployment history keeps: the target, the rollout, the version and images, which colour serves
     * afterwards, the status, why, and how the switch back was verified.
     */
    public Map<String, Object> ledgerData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("target", target);
        data.put("rollout", rollout.id());
        data.put("version", rollout.version() == null ? "" : rollout.version());
        data.put("images", rollout.images());
        data.put("previousImages", rollout.previousImages());
        data.put("status", status);
        data.put("serving", !verified() ? "not verified" : (status.equals("promoted") ? rollout.to()
                : rollout.from()).label());
        data.put("from", rollout.from().label());
        data.put("to", rollout.to().label());
        data.put("phase", phase);
        data.put("reason", reason);
        data.put("verified", verified());
        data.put("verification", verification);
        data.put("startedBy", rollout.startedBy());
        return data;
    }
}
