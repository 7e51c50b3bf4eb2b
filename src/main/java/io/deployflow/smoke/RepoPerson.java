package io.deployflow.smoke;

/**
 * Who to call when a component's route fails, as the release meeting's plan names them (S0 "Errorhandling":
 * the dc-person contacts the repo-person of the repository causing the error).
 */
public record RepoPerson(String id, String name, String email, boolean known) {
    public static final RepoPerson UNKNOWN = new RepoPerson(null, "unknown", null, false);
}
