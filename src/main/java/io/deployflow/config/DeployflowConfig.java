package io.deployflow.config;

import io.deployflow.bluegreen.BlueGreenSection;
import io.deployflow.core.BadInputException;
import io.deployflow.core.SecretNames;
import io.deployflow.hotfix.HotfixConfig;
import io.deployflow.promotion.PromotionConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole process configuration, {@code deployflow.yaml}, validated: every reference in it resolves.
 *
 * @param secrets the team's declaration of which variables hold secrets (each customer may add to it)
 * @param blueGreen the blue/green targets ({@code blueGreen.targets})
 */
public record DeployflowConfig(Path file, List<TeamMember> team, List<Component> components,
                               List<Customer> customers, MeetingRules meeting, ReleaseNotesConfig releaseNotes,
                               DecisionPolicy decision, SecretNames secrets, CredentialIds credentials,
                               ApprovalConfig approval, Roles roles, NotifyConfig notifications, LedgerConfig ledger,
                               PromotionConfig promotion, HotfixConfig hotfix,
                               BlueGreenSection blueGreen) {

    public Component component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> unknown("component", name, components.stream().map(Component::name).toList()));
    }

    public Customer customer(String name) {
        return customers.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> unknown("customer", name, customers.stream().map(Customer::name).toList()));
    }

    /** The credential ids for a customer's steps: its own, else the top-level ones. */
    public CredentialIds credentialsFor(Customer customer) {
        return customer.credentials().over(credentials);
    }

    /** The credential ids for a component's steps: its own, else the top-level ones. */
    public CredentialIds credentialsFor(Component component) {
        return component.credentials().over(credentials);
    }

    public Optional<TeamMember> member(String id) {
        return team.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** A plain loop: the meeting asks once per component, and a new JVM's first streams cost more than the search. */
    public Optional<TeamMember> memberByEmail(String email) {
        for (TeamMember member : team) {
            if (member.hasEmail(email)) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /**
     * The component a compose service runs: the one whose image repository this is (the registry host and path must
     * match exactly) and, when components share the image, the one that lists the service.
     */
    public Optional<Component> componentForImage(String imageRepository, String service) {
        return components.stream().filter(c -> imageRepository.equals(c.image()) && c.runsAs(service)).findFirst();
    }

    private BadInputException unknown(String what, String name, List<String> known) {
        String nearest = Suggest.nearest(name, known);
        return new BadInputException(file.toString(), 0, what,
                "unknown " + what + " '" + name + "'" + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                        + " Known: " + String.join(", ", known));
    }
}
