package io.deployflow.config;

import java.util.List;

/**
 * A customer: a repository the customer can read, holding a working example compose stack and its documentation
 * (S0 "Customer repositories"), and optionally the Portainer stack that runs it.
 */
public record Customer(String name, String repo, String composeFile, String mainBranch, String developBranch,
                       String routes, String baseUrl, PortainerTarget portainer, List<String> contacts,
                       CredentialIds credentials) {
    static final List<String> KEYS = List.of("name", "repo", "composeFile", "mainBranch", "developBranch",
            "routes", "baseUrl", "portainer", "contacts", "credentials");

    static Customer from(YamlNode node) {
        node.allowOnly(KEYS);
        String name = node.matching("name", null, Component.NAME, "lowercase letters, digits, . _ -");
        if (name == null) {
            node.require("name");
        }
        YamlNode portainer = node.get("portainer");
        return new Customer(name, node.string("repo"), node.string("composeFile", "docker-compose.yml"),
                Component.branch(node, "mainBranch", "main"), Component.branch(node, "developBranch", "develop"),
                node.string("routes", null), node.string("baseUrl", null),
                portainer == null ? null : PortainerTarget.from(portainer), node.strings("contacts"),
                CredentialIds.from(node.get("credentials"), CredentialIds.KEYS));
    }
}
