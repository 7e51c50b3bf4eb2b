package io.deployflow.cli;

import io.deployflow.config.Component;
import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.PortainerTarget;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Json;
import io.deployflow.git.RepoCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Override
    public Integer call() {
        DeployflowConfig loaded = config.load();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", config.file.toString());
        if (customer != null) {
            out.put("customer", customer(loaded, loaded.customer(customer)));
        }
        if (component != null) {
            out.put("component", component(loaded, loaded.component(component)));
        }
        if (customer == null && component == null) {
            out.put("customers", loaded.customers().stream().map(c -> customer(loaded, c)).toList());
            out.put("components", loaded.components().stream().map(c -> component(loaded, c)).toList());
        }
        out.put("deciders", loaded.decision().deciders().isEmpty()
                ? loaded.team().stream().map(m -> m.id()).toList() : loaded.decision().deciders());
        out.put("credentials", loaded.credentials().asMap());
        if (json.file == null) {
            System.out.println(Json.mapper().valueToTree(out).toPrettyString());
        } else {
            json.write(out);
        }
        return ExitCode.OK;
    }

    private static Map<String, Object> customer(DeployflowConfig config, Customer c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        out.put("repo", RepoCache.resolve(c.repo(), config.file()));
        out.put("composeFile", c.composeFile());
        out.put("mainBranch", c.mainBranch());
        out.put("developBranch", c.developBranch());
        out.put("routes", c.routes());
        out.put("baseUrl", c.baseUrl());
        out.put("contacts", c.contacts());
        out.put("portainer", c.portainer() == null ? null : portainer(c.portainer()));
        out.put("credentials", config.credentialsFor(c).asMap());
        return out;
    }

    /** Everything but the variables' values, which a step never needs. */
    private static Map<String, Object> portainer(PortainerTarget p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", p.url());
        out.put("endpoint", p.endpoint());
        out.put("stack", p.stack());
        out.put("apiKeyEnv", p.apiKeyEnv());
        out.put("usernameEnv", p.usernameEnv());
        out.put("passwordEnv", p.passwordEnv());
        out.put("deployedUrl", p.deployedUrl());
        out.put("env", List.copyOf(p.env().keySet()));
        out.put("waitSeconds", p.waitSeconds());
        return out;
    }

    private static Map<String, Object> component(DeployflowConfig config, Component c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        out.put("repo", RepoCache.resolve(c.repo(), config.file()));
        out.put("developBranch", c.developBranch());
        out.put("tagPrefix", c.tagPrefix());
        out.put("image", c.image());
        out.put("readme", c.readme());
        out.put("release", c.release());
        out.put("releaseWaitMinutes", c.releaseWaitMinutes());
        out.put("credentials", config.credentialsFor(c).asMap());
        return out;
    }
}
