package io.deployflow.bluegreen;

import java.util.Map;

/**
 * What a colour was last told to run: images per service/container name and the replica count.
 * The target's live view is {@link ColourReadiness}; this is the intent recorded in the rollout state.
 */
public record ColourSpec(Map<String, String> images, int replicas) {
    public ColourSpec {
        images = images == null ? Map.of() : Map.copyOf(images);
    }

    public ColourSpec withReplicas(int count) {
        return new ColourSpec(images, count);
    }
}
