package io.deployflow.decision;

import java.util.List;

/**
 * A component whose smoke routes failed, with the person to contact (S0: the dc-person contacts the repo-person
 * of the repository causing the error). {@code repoPerson} is null when nobody is known for it.
 */
public record FailingComponent(String component, RepoPerson repoPerson, List<String> failedRoutes) {
    /** As in plan.json and the smoke report: {@code known} is false for a git author who is not on the team. */
    public record RepoPerson(String id, String name, String email, boolean known) {
    }
}
