package io.deployflow.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.deployflow.approval.GateView;
import io.deployflow.config.Component;
import io.deployflow.config.CredentialIds;
import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.PortainerTarget;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Json;
import io.deployflow.git.RepoCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"The settings of a customer or a component, with defaults filled in and credential ids"
                + " resolved (the customer's or component's own, else the top-level ones): the one source the"
                + " pipeline steps read, so a Jenkinsfile names customers only.",
                "Without --customer or --component, every customer and component. Printed as JSON, or written to"
                        + " the --json file."})
final class ConfigShowCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--customer", paramLabel = "NAME", description = "show this customer")
    String customer;

    @Option(names = "--component", paramLabel = "NAME", description = "show this component")
    String component;

    @Mixin
    JsonOption json;

    /**
     * What the steps read: the customer or component asked for, else all of them (only what was asked is present),
     * then who may decide, the top-level credential ids and the notify channels (what to mail, which webhook
     * credentials to bind).
     */
    record Settings(String config, @JsonInclude(JsonInclude.Include.NON_NULL) CustomerSettings customer,
                    @JsonInclude(JsonInclude.Include.NON_NULL) ComponentSettings component,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<CustomerSettings> customers,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<ComponentSettings> components,
                    List<String> deciders, CredentialIds credentials, GateView.Channels channels) {
    }

    record CustomerSettings(String name, String repo, String composeFile, String mainBranch, String developBranch,
                            String routes, String baseUrl, List<String> contacts, PortainerSettings portainer,
                            CredentialIds credentials) {
        static CustomerSettings of(DeployflowConfig config, Customer c) {
            return new CustomerSettings(c.name(), RepoCache.resolve(c.repo(), config.file()), c.composeFile(),
                    c.mainBranch(), c.developBranch(), c.routes(), c.baseUrl(), c.contacts(),
                    c.portainer() == null ? null : PortainerSettings.of(c.portainer()), config.credentialsFor(c));
        }
    }

    /** Everything but the variables' values, which a step never needs: their names only. */
    record PortainerSettings(String url, String endpoint, String stack, String apiKeyEnv, String usernameEnv,
                             String passwordEnv, String deployedUrl, List<String> env, int waitSeconds) {
        static PortainerSettings of(PortainerTarget p) {
            return new PortainerSettings(p.url(), p.endpoint(), p.stack(), p.apiKeyEnv(), p.usernameEnv(),
                    p.passwordEnv(), p.deployedUrl(), List.copyOf(p.env().keySet()), p.waitSeconds());
        }
    }

    record ComponentSettings(String name, String repo, String developBranch, String tagPrefix, String image,
                             String readme, String release, int releaseWaitMinutes, CredentialIds credentials) {
        static ComponentSettings of(DeployflowConfig config, Component c) {
            return new ComponentSettings(c.name(), RepoCache.resolve(c.repo(), config.file()), c.developBranch(),
                    c.tagPrefix(), c.image(), c.readme(), c.release(), c.releaseWaitMinutes(),
                    config.credentialsFor(c));
        }
    }

    @Override
    public Integer call() {
        DeployflowConfig loaded = config.load();
        boolean all = customer == null && component == null;
        Settings settings = new Settings(config.file.toString(),
                customer == null ? null : CustomerSettings.of(loaded, loaded.customer(customer)),
                component == null ? null : ComponentSettings.of(loaded, loaded.component(component)),
                all ? loaded.customers().stream().map(c -> CustomerSettings.of(loaded, c)).toList() : null,
                all ? loaded.components().stream().map(c -> ComponentSettings.of(loaded, c)).toList() : null,
                loaded.decision().deciders().isEmpty() ? loaded.team().stream().map(m -> m.id()).toList()
                        : loaded.decision().deciders(),
                loaded.credentials(), GateView.Channels.of(loaded.notifications()));
        if (json.file == null) {
            System.out.println(Json.mapper().valueToTree(settings).toPrettyString());
        } else {
            json.write(settings);
        }
        return ExitCode.OK;
    }
}
