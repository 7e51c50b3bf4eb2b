package io.deployflow.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The Jenkins credential ids the library's steps bind with {@code withCredentials}, kept in deployflow.yaml so the
 * Jenkinsfile names customers only. These are ids, never secrets: the secrets stay in Jenkins' credential store.
 * Set once at the top level and overridden per customer or component.
 *
 * @param git            username/password for https git remotes (components and customer repositories)
 * @param gitSsh         SSH private key for ssh git remotes
 * @param registry       username/password for the OCI registry
 * @param github         secret text: a GitHub token for releases
 * @param portainer      secret text: the Portainer API key, bound to the customer's {@code portainer.apiKeyEnv}
 * @param portainerLogin username/password for Portainer, instead of a key
 */
// as JSON (config show), the ids that are set, by the names the steps use
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialIds(String git, String gitSsh, String registry, String github, String portainer,
                            String portainerLogin) {
    static final List<String> KEYS = List.of("git", "gitSsh", "registry", "github", "portainer", "portainerLogin");
    /** Jenkins accepts almost any id; whitespace and quotes would only break the steps that pass them on. */
    private static final Pattern ID = Pattern.compile("[^\\s'\"]+");
    public static final CredentialIds NONE = new CredentialIds(null, null, null, null, null, null);

    static CredentialIds from(YamlNode node, List<String> allowed) {
        if (node == null) {
            return NONE;
        }
        node.allowOnly(allowed);
        String what = "a Jenkins credentials id, such as git-https";
        return new CredentialIds(node.matching("git", null, ID, what), node.matching("gitSsh", null, ID, what),
                node.matching("registry", null, ID, what), node.matching("github", null, ID, what),
                node.matching("portainer", null, ID, what), node.matching("portainerLogin", null, ID, what));
    }

    /** These ids, with the ones not set here taken from {@code defaults}. */
    public CredentialIds over(CredentialIds defaults) {
        return new CredentialIds(git != null ? git : defaults.git, gitSsh != null ? gitSsh : defaults.gitSsh,
                registry != null ? registry : defaults.registry, github != null ? github : defaults.github,
                portainer != null ? portainer : defaults.portainer,
                portainerLogin != null ? portainerLogin : defaults.portainerLogin);
    }
}
