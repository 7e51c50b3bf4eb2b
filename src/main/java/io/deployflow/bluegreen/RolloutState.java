package io.deployflow.bluegreen;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything deployflow knows about a blue/green target, stored IN the target (annotations on the Kubernetes
 * Service, a JSON file next to HAProxy's configuration) so any agent, after any restart, can read where things
 * stand. The router's live weights are the truth for traffic; {@code status} shows both and says when they differ.
 *
 * @param schema  format version of this record, for readers of older states
 * @param target  the target's name in deployflow.yaml
 * @param active  the colour that serves production when no rollout is in progress (the "old" colour during one)
 * @param blue    what blue was last told to run (null if never)
 * @param green   what green was last told to run (null if never)
 * @param rollout the current rollout, or the last one when it finished; null before the first
 * @param history who did what, oldest first, at most {@link #HISTORY_LIMIT} entries (annotations have a size limit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutState(int schema, String target, Colour active, ColourSpec blue, ColourSpec green,
                           Rollout rollout, List<HistoryEntry> history) {
    public static final int SCHEMA = 1;
    public static final int HISTORY_LIMIT = 50;

    public RolloutState {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A target nobody rolled out to yet: {@code active} is the colour the router sends all traffic to. */
    public static RolloutState initial(String target, Colour active) {
        return new RolloutState(SCHEMA, target, active, null, null, null, List.of());
    }

    public ColourSpec spec(Colour colour) {
        return colour == Colour.BLUE ? blue : green;
    }

    /** True while a rollout holds the target (between deploy and cleanup/abort/rollback). */
    public boolean inProgress() {
        return rollout != null && !rollout.phase().finished();
    }

    public RolloutState withActive(Colour colour) {
        return new RolloutState(schema, target, colour, blue, green, rollout, history);
    }

    public RolloutState withSpec(Colour colour, ColourSpec spec) {
        return colour == Colour.BLUE ? new RolloutState(schema, target, active, spec, green, rollout, history)
                : new RolloutState(schema, target, active, blue, spec, rollout, history);
    }

    public RolloutState withRollout(Rollout next) {
        return new RolloutState(schema, target, active, blue, green, next, history);
    }

    /** Appends an entry, dropping the oldest beyond {@link #HISTORY_LIMIT}. */
    public RolloutState record(HistoryEntry entry) {
        List<HistoryEntry> next = new ArrayList<>(history);
        next.add(entry);
        while (next.size() > HISTORY_LIMIT) {
            next.remove(0);
        }
        return new RolloutState(schema, target, active, blue, green, rollout, next);
    }
}
