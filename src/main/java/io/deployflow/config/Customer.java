package io.deployflow.config;

import io.deployflow.core.SecretNames;

import java.util.List;

/**
 * A customer: a repository the customer can read, holding a working example compose stack and its documentation
 * (S0 "Customer repositories"), and optionally the Portainer stack that runs it.
 *
 * @param secrets the variables that hold secrets for this customer: the team's declaration plus the customer's
 * @param ref     where the customer is written in the config
 */
public record Customer(String name, String repo, String composeFile, String mainBranch, String developBranch,
                       String routes, String baseUrl, PortainerTarget portainer, List<String> contacts,
                       SecretNames secrets, FieldRef ref, CredentialIds credentials) {
    static final List<String> KEYS = List.of("name", "repo", "composeFile", "mainBranch", "developBranch",
            "routes", "baseUrl", "portainer", "contacts", "secrets", "credentials");

    static Customer from(YamlNode node, SecretNames teamSecrets) {
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
                SecretsConfig.customer(node.get("secrets"), teamSecrets), FieldRef.of(node),
                CredentialIds.from(node.get("credentials"), CredentialIds.KEYS));
    }
}
