package io.deployflow.bluegreen;

/**
 * Something the target's configuration names that the live system does not have: a backend, a server, a Service,
 * an HTTPRoute. Found before anything changes, so the CLI can exit 2 naming the config line of {@code field}.
 *
 * @param field   the key inside the target's section of deployflow.yaml that names it, dotted from the target:
 *                {@code activeService}, {@code previewService}, {@code router.backend}, {@code router.servers.green}
 * @param message what is missing, in the router's words ("HAProxy has no backend 'be_portal'")
 */
public record TopologyProblem(String field, String message) {
}
