package io.deployflow.decision;

import java.nio.file.Path;
import java.util.List;

/**
 * A decision as the pipeline's {@code input} returned it: the choice, the Jenkins user id who made it, and why.
 * {@code components} and {@code failures} (a {@code smoke --json} report) name what failed; {@code composeFile}
 * is the stack to edit for release-without (null: the customer's composeFile).
 */
public record DecisionRequest(String customer, Choice choice, String by, String reason, List<String> components,
                              Path failures, Path composeFile) {
    public DecisionRequest {
        components = components == null ? List.of() : List.copyOf(components);
    }
}
