package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.TopologyProblem;

/**
 * Something the configuration names is not in the cluster (or does not fit). Before a phase changes anything it
 * becomes a {@link TopologyProblem} (exit 2 at the config line); found later, the cluster changed under the
 * rollout, and the target reports it as the outside system failing.
 */
final class TopologyException extends RuntimeException {
    private final transient TopologyProblem problem;

    TopologyException(String field, String message) {
        super(message);
        this.problem = new TopologyProblem(field, message);
    }

    TopologyProblem problem() {
        return problem;
    }
}
