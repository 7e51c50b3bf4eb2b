package io.deployflow.delivery;

import io.deployflow.config.DeployflowConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * One delivery's inputs, as {@code deliver} takes them.
 *
 * @param plan          the plan as finally tested; the release notes that go out are generated from it
 * @param notesTemplate a team's own markdown template for those notes, or null for the bundled one
 * @param envFile  the tested .env, or null to keep the repository's
 * @param tested   the tested stack's images ({@code compose images --json}), or null to hold the stack to the plan
 *                 alone
 * @param cacheDir where working clones are kept between runs, or null for a temporary one
 * @param env      the environment (credentials, GitHub settings); passed in so tests need not set the process's
 */
public record DeliveryRequest(DeployflowConfig config, String customer, Path plan, Path notesTemplate, Path composeFile,
                              Path envFile, Path tested, Path cacheDir, Map<String, String> env) {
}
