package io.deployflow.bluegreen;

import java.util.List;

/**
 * Builds {@link RolloutTarget}s of one router type ({@code blueGreen.targets[].router.type}). Providers are listed
 * by class name in {@link RouterTypes} and instantiated with their no-argument constructor only when used.
 */
public interface RolloutTargetProvider {

    /** The keys this router accepts in the {@code router} section besides {@code type}. */
    List<String> keys();

    /**
     * Checks the router section (and the target-level names it relies on) without any network call; throws
     * {@link io.deployflow.core.BadInputException} naming file, line and field. Run by {@code validate} and before
     * every phase.
     */
    void validate(RouterContext context);

    /** Builds the target (after {@link #validate}); touches nothing in the system yet. */
    RolloutTarget open(RouterContext context);
}
