package io.deployflow.bluegreen;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a rollout stands. Each CLI phase moves it forward; the phase is written to the target BEFORE the phase
 * changes anything that takes time (DEPLOYING, SHIFTING), so a CLI killed half-way leaves a phase that says what
 * was under way, and {@code status} can tell it.
 */
public enum RolloutPhase {
    /** deploy started: the new colour is being created/updated and is not known to be ready yet. */
    DEPLOYING,
    /** The new colour runs the new images, every replica ready (two polls in a row); it has no traffic. */
    DEPLOYED,
    /** The pre-promotion analysis (smoke routes against the preview) passed. */
    ANALYZED,
    /** A shift to {@link Rollout#targetWeight()} is under way: traffic may already be there, analysis is not done. */
    SHIFTING,
    /** Traffic is at {@link Rollout#weight()} on the new colour and the analysis of that step passed. */
    SHIFTED,
    /** 100 % on the new colour, which is now active; the old colour is kept at scaleDownReplicas until cleanup. */
    PROMOTED,
    /** The old colour was scaled down after promotion: the rollout is finished. */
    COMPLETED,
    /** Traffic went back to the old colour and the new colour was scaled to zero, before promotion. */
    ABORTED,
    /** After promotion, traffic went back to the kept old colour and the new colour was scaled to zero. */
    ROLLED_BACK;

    /** True once nothing more will happen in this rollout; the target's lock is released at that point. */
    public boolean finished() {
        return this == COMPLETED || this == ABORTED || this == ROLLED_BACK;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static RolloutPhase of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    @Override
    public String toString() {
        return label();
    }
}
