package io.deployflow.portainer;

import java.util.List;

/**
 * What proves a deployed stack works beyond its containers being healthy: the customer's smoke routes, run
 * against the deployed URL. Kept as an interface so the deploy and rollback logic do not depend on how routes run.
 */
public interface DeploymentCheck {
    /** @param baseUrl where the stack answers, or null to use the routes' own base URL */
    Outcome run(String baseUrl);

    record Outcome(boolean passed, String summary, List<String> failures) {
    }
}
