package io.deployflow.decision;

import io.deployflow.approval.ApprovalPolicy;
import io.deployflow.compose.SetVersionsResult;
import io.deployflow.compose.VersionSetter;
import io.deployflow.config.ApprovalTask;
import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.TeamMember;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Progress;
import io.deployflow.notify.Message;

import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Carries out the team's decision after a failed test (S0 "Errorhandling"). The decider is checked here, on the
 * id Jenkins returns, because Jenkins administrators bypass an input's submitter list. Every check runs before the
 * one write a choice makes (the reverted compose file, or the retrospective), so a refusal changes nothing.
 */
public final class ReleaseDecision {
    private final DeployflowConfig config;
    private final VersionSetter setter;
    private final Supplier<ProductionVersions> production;
    private final Clock clock;

    /**
     * @param production where release-without finds production's versions; asked only for that choice, so the
     *                   other choices never touch the customer repository
     */
    public ReleaseDecision(DeployflowConfig config, VersionSetter setter, Supplier<ProductionVersions> production,
                           Clock clock) {
        this.config = config;
        this.setter = setter;
        this.production = production;
        this.clock = clock;
    }

    public DecisionRecord decide(DecisionRequest request) {
        Customer customer = config.customer(request.customer());
        TeamMember decider = decider(request.by());
        if (request.reason() == null || request.reason().isBlank()) {
            throw new BadInputException(null, 0, "--reason", "a decision needs a reason: it goes into the run's"
                    + " record and to the people told about it");
        }
        List<FailingComponent> failing = new ArrayList<>();
        List<String> unattributed = List.of();
        if (request.failures() != null) {
            SmokeFailures report = SmokeFailures.read(request.failures());
            for (FailingComponent f : report.components) {
                known(f.component(), request.failures().toString());
            }
            failing.addAll(report.components);
            unattributed = report.unattributedRoutes;
        }
        for (String name : request.components()) {
            known(name, null);
            if (failing.stream().noneMatch(f -> f.component().equals(name))) {
                failing.add(new FailingComponent(name, null, List.of()));
            }
        }
        Choice choice = request.choice();
        if (failing.isEmpty() && (choice == Choice.RETRY || choice == Choice.RELEASE_WITHOUT)) {
            throw new BadInputException(null, 0, "--component", choice + " needs the failing component: give"
                    + " --component, or --failures with a failed route that names its component");
        }
        List<String> names = failing.stream().map(FailingComponent::component).toList();
        String timestamp = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        DecisionRecord.Decider by = new DecisionRecord.Decider(decider.id(), decider.name());
        List<Message> notifications = new ArrayList<>(repoPersonMessages(customer, choice, by, request.reason(),
                failing));
        List<String> warnings = new ArrayList<>();
        failing.stream().filter(f -> f.repoPerson() == null || f.repoPerson().email() == null)
                .forEach(f -> warnings.add("no repo-person known for " + f.component() + ": nobody was told"));

        List<String> verifyAgain = null;
        List<DecisionRecord.Revert> reverted = null;
        SetVersionsResult composeChange = null;
        String retrospective = null;
        switch (choice) {
            case RETRY -> verifyAgain = names;
            case RELEASE_WITH_ERROR -> {
                // nothing to change: the stack goes on to Portainer as tested
            }
            case RELEASE_WITHOUT -> {
                Path compose = request.composeFile() != null ? request.composeFile()
                        : Path.of(customer.composeFile());
                Map<String, String> productionVersions = production.get().of(customer);
                Map<String, String> target = new LinkedHashMap<>();
                for (String name : names) {
                    String version = productionVersions.get(name);
                    if (version == null) {
                        throw new BadInputException(null, 0, "--component", name + " has no version in "
                                + customer.name() + "'s production compose (" + customer.mainBranch()
                                + "), so there is nothing to go back to; releasing without it means removing its"
                                + " service, which is a change for a person to make");
                    }
                    target.put(name, version);
                }
                composeChange = setter.apply(compose, target);
                reverted = new ArrayList<>();
                for (String name : names) {
                    String from = composeChange.services().stream().filter(s -> s.component().equals(name))
                            .map(SetVersionsResult.ServiceChange::from).findFirst().orElse(null);
                    reverted.add(new DecisionRecord.Revert(name, from, target.get(name)));
                }
            }
            case DO_NOT_RELEASE -> {
                if (customer.contacts().isEmpty()) {
                    warnings.add("customer " + customer.name() + " has no contacts in " + config.file()
                            + ": nobody there was told");
                } else {
                    notifications.add(customerMessage(customer));
                }
                String text = Retrospective.render(Map.of("customer", customer.name(),
                        "date", timestamp.substring(0, 10), "timestamp", timestamp,
                        "failures", failureList(failing, unattributed),
                        "decidedBy", decider.name() + " (" + decider.id() + ")", "reason", request.reason().trim(),
                        "contacts", customer.contacts().isEmpty() ? "none configured"
                                : String.join(", ", customer.contacts())));
                Path dir = config.file().toAbsolutePath().getParent().resolve(config.decision().retrospectiveDir());
                retrospective = Retrospective.write(dir, timestamp.substring(0, 10) + "-" + customer.name()
                        + "-not-released", text).toString();
                Progress.line("retrospective record: " + retrospective);
            }
            default -> throw new IllegalStateException(choice.toString());
        }
        Progress.line(customer.name() + ": " + choice + " decided by " + decider.id() + " for "
                + (names.isEmpty() ? "no named component" : String.join(", ", names)) + "; next: " + choice.next());
        return new DecisionRecord(customer.name(), choice.cliName(), by, request.reason().trim(), timestamp,
                List.copyOf(failing), unattributed, choice.next(), verifyAgain, reverted, composeChange,
                retrospective, notifications, warnings);
    }

    private TeamMember decider(String id) {
        if (config.approval().tasks().containsKey(ApprovalPolicy.RELEASE_DECISION)) {
            // the team wrote who decides as an approval task: its roles rule, as they do for the input's submitter
            ApprovalPolicy policy = new ApprovalPolicy(config);
            ApprovalTask task = policy.task(ApprovalPolicy.RELEASE_DECISION);
            if (!policy.mayAnswer(task, id, List.of())) {
                throw new BadInputException(config.file().toString(), task.line(), "approval.tasks."
                        + task.name(), id + " may not decide: " + policy.whoMayAnswer(task));
            }
            return config.member(id).orElse(new TeamMember(id, id, List.of(), List.of()));
        }
        List<String> deciders = config.decision().deciders();
        if (deciders.isEmpty()) {
            return config.member(id).orElseThrow(() -> new BadInputException(config.file().toString(), 0,
                    "team", id + " may not decide: not on the team (with no decision.deciders, any team member"
                    + " may: " + String.join(", ", config.team().stream().map(TeamMember::id).toList()) + ")"));
        }
        if (!deciders.contains(id)) {
            throw new BadInputException(config.file().toString(), 0, "decision.deciders", id
                    + " may not decide: deciders are " + String.join(", ", deciders));
        }
        return config.member(id).orElseThrow();
    }

    private void known(String component, String file) {
        try {
            config.component(component);
        } catch (BadInputException e) {
            throw file == null ? e : new BadInputException(file, 0, "routes[].component", e.getMessage());
        }
    }

    /** One message per repo-person, naming their components and what the decision means for them. */
    private static List<Message> repoPersonMessages(Customer customer, Choice choice, DecisionRecord.Decider by,
                                                    String reason, List<FailingComponent> failing) {
        Map<String, List<FailingComponent>> byEmail = failing.stream()
                .filter(f -> f.repoPerson() != null && f.repoPerson().email() != null)
                .collect(Collectors.groupingBy(f -> f.repoPerson().email(), LinkedHashMap::new, Collectors.toList()));
        List<Message> out = new ArrayList<>();
        byEmail.forEach((email, theirs) -> {
            String components = theirs.stream().map(FailingComponent::component).collect(Collectors.joining(", "));
            String routes = theirs.stream().flatMap(f -> f.failedRoutes().stream()).collect(Collectors.joining(", "));
            String ask = switch (choice) {
                case RETRY -> "Please fix it today and release a new version; it goes back to release verification.";
                case RELEASE_WITH_ERROR -> "It is released with the error; please plan the fix.";
                case RELEASE_WITHOUT -> "The release goes out without it: the customer keeps the version in"
                        + " production. Please plan the fix for the next release.";
                case DO_NOT_RELEASE -> "Nothing is released to " + customer.name() + ". The team meets to look"
                        + " back at what went wrong.";
            };
            out.add(new Message(List.of(email), "[deployflow] " + customer.name() + ": " + components
                    + " failed the stack tests; decision: " + choice,
                    "Hello " + theirs.get(0).repoPerson().name() + ",\n\n"
                            + components + " failed while testing the stack for " + customer.name()
                            + (routes.isEmpty() ? "" : " (routes: " + routes + ")") + ".\n\n"
                            + "Decision: " + choice + ", by " + by.name() + " (" + by.id() + ").\n"
                            + "Reason: " + reason.trim() + "\n\n" + ask + "\n"));
        });
        return out;
    }

    private Message customerMessage(Customer customer) {
        return new Message(customer.contacts(), config.releaseNotes().title() + ": the release for "
                + customer.name() + " is postponed",
                "Hello,\n\nour final checks of the coming release for " + customer.name() + " found problems we"
                        + " could not resolve in time, so we are not delivering this release. Your installation"
                        + " stays as it is; nothing changes on your side.\n\nWe will let you know when the release"
                        + " is rescheduled.\n");
    }

    private static String failureList(List<FailingComponent> failing, List<String> unattributed) {
        StringBuilder out = new StringBuilder();
        for (FailingComponent f : failing) {
            out.append("- **").append(f.component()).append("**");
            if (f.repoPerson() != null) {
                out.append(", repo-person ").append(f.repoPerson().name());
                if (f.repoPerson().email() != null) {
                    out.append(" <").append(f.repoPerson().email()).append('>');
                }
            }
            if (!f.failedRoutes().isEmpty()) {
                out.append(": routes ").append(String.join(", ", f.failedRoutes()));
            }
            out.append('\n');
        }
        if (!unattributed.isEmpty()) {
            out.append("- routes with no component: ").append(String.join(", ", unattributed)).append('\n');
        }
        return out.length() == 0 ? "- no failing component was named" : out.toString().stripTrailing();
    }
}
