package io.deployflow.bluegreen.colours;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.TopologyProblem;

import java.util.List;
import java.util.Map;

/**
 * Where the two colours of a router without its own workloads (HAProxy) run: two compose stacks on the agent's
 * engine, or two Portainer stacks. The same contract as the colour half of
 * {@link io.deployflow.bluegreen.RolloutTarget}.
 */
public interface ColourRuntime {
    String describe();

    /** Objects the configuration names that do not exist (checked before any phase changes anything). */
    List<TopologyProblem> checkTopology();

    void deploy(Colour colour, Map<String, String> images, int replicas);

    ColourReadiness readiness(Colour colour, Map<String, String> expectedImages);

    void scale(Colour colour, int replicas);
}
