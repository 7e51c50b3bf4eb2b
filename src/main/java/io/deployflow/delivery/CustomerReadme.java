package io.deployflow.delivery;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.SecretNames;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two generated parts of a customer README (S0 "Documentation": an example configuration and what its options
 * mean): the versions of the team's components in the stack, and the stack's services with the environment
 * variables they use. Both are derived from the delivered compose file and .env alone, so the same delivery always
 * renders the same text and a re-run changes nothing.
 */
final class CustomerReadme {
    static final String VERSIONS = "versions";
    static final String CONFIGURATION = "configuration";

    private final DeployflowConfig config;
    private final DeliveryPlan plan;
    /** Values of these variables (the customer's declared secrets) are not repeated in the README. */
    private final SecretNames secrets;

    CustomerReadme(DeployflowConfig config, DeliveryPlan plan, SecretNames secrets) {
        this.config = config;
        this.plan = plan;
        this.secrets = secrets;
    }

    String update(String readmePath, String readme, ComposeSummary compose, String composePath, String envPath) {
        String withVersions = ReadmeSections.replace(readmePath, readme, VERSIONS, "Versions", versions(compose));
        return ReadmeSections.replace(readmePath, withVersions, CONFIGURATION, "Configuration",
                configuration(compose, composePath, envPath));
    }

    /** Component name to image tag, for every service image that is one of the team's components. */
    Map<String, String> componentVersions(ComposeSummary compose) {
        Map<String, String> out = new TreeMap<>();
        for (ComposeSummary.Service service : compose.services()) {
            String component = componentFor(service);
            if (component != null) {
                out.put(component, service.tag() == null ? service.image() : service.tag());
            }
        }
        return out;
    }

    private String componentFor(ComposeSummary.Service service) {
        String repository = service.repository();
        if (repository == null) {
            return null;
        }
        return config.componentForImage(repository, service.name()).map(c -> c.name())
                .orElseGet(() -> plan.components().stream().filter(c -> repository.equals(c.image()))
                        .map(DeliveryPlan.PlannedComponent::name).findFirst().orElse(null));
    }

    private String versions(ComposeSummary compose) {
        StringBuilder out = new StringBuilder();
        out.append("| Component | Version | Image |\n|---|---|---|\n");
        for (ComposeSummary.Service service : compose.services()) {
            String component = componentFor(service);
            if (component != null) {
                out.append("| ").append(cell(component)).append(" | ")
                        .append(cell(service.tag() == null ? "(set in .env)" : service.tag())).append(" | ")
                        .append(code(service.repository())).append(" |\n");
            }
        }
        List<DeliveryPlan.PlannedComponent> heldBack = plan.components().stream().filter(c -> c.heldBack() != null)
                .toList();
        if (!heldBack.isEmpty()) {
            out.append("\nHeld back from this release after the tests:\n\n");
            heldBack.forEach(c -> out.append("- ").append(c.name()).append(' ')
                    .append(c.heldBack().plannedVersion()).append(" is not in this release; it stays at ")
                    .append(c.heldBack().keptAt()).append(". Why: ").append(cell(c.heldBack().reason()))
                    .append('\n'));
        }
        return out.toString();
    }

    private String configuration(ComposeSummary compose, String composePath, String envPath) {
        StringBuilder out = new StringBuilder();
        out.append("The example stack is [`").append(composePath).append("`](").append(composePath).append(')');
        if (envPath != null) {
            out.append(", with its variables in [`").append(envPath).append("`](").append(envPath).append(')');
        }
        out.append(". Start it with `docker compose up -d` in that directory.\n\n");
        out.append("| Service | Image | Ports | Environment |\n|---|---|---|---|\n");
        for (ComposeSummary.Service s : compose.services()) {
            out.append("| ").append(code(s.name())).append(" | ")
                    .append(s.image() == null ? "(built from source)" : code(s.image())).append(" | ")
                    .append(list(s.ports())).append(" | ").append(list(s.environment())).append(" |\n");
        }
        Map<String, List<String>> users = compose.variableUsers();
        if (!users.isEmpty()) {
            out.append("\nVariables the stack reads").append(envPath == null ? "" : " (example values from `"
                    + envPath + "`)").append(":\n\n");
            out.append("| Variable | Example value | Used by |\n|---|---|---|\n");
            users.forEach((name, services) -> out.append("| ").append(code(name)).append(" | ")
                    .append(exampleValue(name, compose.envValues())).append(" | ")
                    .append(services.isEmpty() ? "(not referenced in the compose file)" : list(services))
                    .append(" |\n"));
        }
        return out.toString();
    }

    private String exampleValue(String name, Map<String, String> env) {
        if (!env.containsKey(name)) {
            return "(not set)";
        }
        if (secrets.isSecret(name)) {
            return "(secret: set your own)";
        }
        return env.get(name).isEmpty() ? "(empty)" : code(env.get(name));
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "" : String.join(", ", items.stream().map(CustomerReadme::code).toList());
    }

    private static String code(String text) {
        return "`" + cell(text).replace('`', '\'') + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
