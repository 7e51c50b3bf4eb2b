package io.deployflow.decision;

import java.nio.file.Path;
import java.util.List;

/**
 * A decision as the pipeline's {@code input} returned it: the choice, the Jenkins user id who made it, and why.
 * {@code customer} is the customer whose stack failed, or null for a decision about the release as a whole (a
 * component whose release failed, before any customer's stack was tested). {@code components} and
 * {@code failures} (a {@code smoke --json} report) name what failed; {@code composeFile} is the stack to edit for
 * release-without (null: the customer's composeFile); {@code plan} is the plan as it stands, which the decision
 * turns into the plan that goes on (null: none is kept).
 */
public record DecisionRequest(String customer, Choice choice, String by, String reason, List<String> components,
                              Path failures, Path composeFile, Path plan) {
    public DecisionRequest {
        components = components == null ? List.of() : List.copyOf(components);
    }
}
