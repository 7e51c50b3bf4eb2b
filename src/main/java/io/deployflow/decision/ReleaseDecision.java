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
        Customer customer = request.customer() == null ? null : config.customer(request.customer());
        String scope = customer == null ? "the release" : customer.name();
        TeamMember decider = decider(request.by());
        if (request.reason() == null || request.reason().isBlank()) {
            throw new BadInputException(null, 0, "--reason", "a decision needs a reason: it goes into the run's"
                    + " record and to the people told about it");
        }
        PlanAfterDecision plan = request.plan() == null ? null : PlanAfterDecision.read(request.plan());
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
                // a failed release names no route; the plan knows who released the component
                failing.add(new FailingComponent(name, plan == null ? null : plan.repoPerson(name), List.of()));
            }
        }
        Choice choice = request.choice();
        if (failing.isEmpty() && (choice == Choice.RETRY || choice == Choice.RELEASE_WITHOUT)) {
            throw new BadInputException(null, 0, "--component", choice + " needs the failing component: give"
                    + " --component, or --failures with a failed route that names its component");
        }
        List<String> names = failing.stream().map(FailingComponent::component).toList();
        if (plan != null) {
            plan.requireComponents(names);
        }
        if (customer == null && choice == Choice.RELEASE_WITHOUT && plan == null) {
            throw new BadInputException(null, 0, "--plan", "release-without for the release as a whole (no"
                    + " --customer) takes each component back to its last release, which the plan names: give"
                    + " --plan");
        }
        String timestamp = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        DecisionRecord.Decider by = new DecisionRecord.Decider(decider.id(), decider.name());
        List<Message> notifications = new ArrayList<>(repoPersonMessages(scope, choice, by, request.reason(),
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
                // nothing to change: the stack goes on as tested
            }
            case RELEASE_WITHOUT -> {
                if (customer == null) {
                    reverted = toLastRelease(plan, names);
                } else {
                    Path compose = request.composeFile() != null ? request.composeFile()
                            : Path.of(customer.composeFile());
                    Map<String, String> target = productionTarget(customer, names);
                    composeChange = setter.apply(compose, target);
                    reverted = new ArrayList<>();
                    for (String name : names) {
                        SetVersionsResult.ServiceChange change = composeChange.services().stream()
                                .filter(s -> s.component().equals(name)).findFirst().orElse(null);
                        reverted.add(new DecisionRecord.Revert(name, change == null ? null : change.from(),
                                target.get(name)));
                    }
                }
            }
            case DO_NOT_RELEASE -> {
                List<Customer> told = customer == null ? config.customers() : List.of(customer);
                List<String> contacts = told.stream().flatMap(c -> c.contacts().stream()).distinct().toList();
                told.stream().filter(c -> c.contacts().isEmpty()).forEach(c -> warnings.add("customer " + c.name()
                        + " has no contacts in " + config.file() + ": nobody there was told"));
                told.stream().filter(c -> !c.contacts().isEmpty()).forEach(c -> notifications.add(customerMessage(c)));
                String text = Retrospective.render(Map.of("customer", customer == null ? "any customer" : scope,
                        "date", timestamp.substring(0, 10), "timestamp", timestamp,
                        "failures", failureList(failing, unattributed),
                        "decidedBy", decider.name() + " (" + decider.id() + ")", "reason", request.reason().trim(),
                        "contacts", contacts.isEmpty() ? "none configured" : String.join(", ", contacts)));
                Path dir = config.file().toAbsolutePath().getParent().resolve(config.decision().retrospectiveDir());
                retrospective = Retrospective.write(dir, timestamp.substring(0, 10) + "-"
                        + (customer == null ? "release" : customer.name()) + "-not-released", text).toString();
                Progress.line("retrospective record: " + retrospective);
            }
            default -> throw new IllegalStateException(choice.toString());
        }
        Progress.line(scope + ": " + choice + " decided by " + decider.id() + " for "
                + (names.isEmpty() ? "no named component" : String.join(", ", names)) + "; next: " + choice.next());
        String reason = request.reason().trim();
        return new DecisionRecord(customer == null ? null : customer.name(), choice.cliName(), by, reason,
                timestamp, List.copyOf(failing), unattributed, choice.next(), verifyAgain, reverted, composeChange,
                retrospective, notifications, warnings, choice.buildResult(),
                summary(scope, choice, names, reverted, by, reason),
                plan == null ? null : plan.after(new PlanAfterDecision.Decided(choice,
                        customer == null ? null : customer.name(), by, reason, timestamp), reverted, failing));
    }

    /** Production's version of each component, which the customer's stack goes back to. */
    private Map<String, String> productionTarget(Customer customer, List<String> names) {
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
        return target;
    }

    /** For the release as a whole: each component stays at its last release, which every customer can run. */
    private static List<DecisionRecord.Revert> toLastRelease(PlanAfterDecision plan, List<String> names) {
        List<DecisionRecord.Revert> out = new ArrayList<>();
        for (String name : names) {
            String last = plan.lastRelease(name);
            if (last == null) {
                throw new BadInputException(null, 0, "--component", name + " was never released, so there is no"
                        + " version to stay at; releasing without it means removing it from the stacks, which is a"
                        + " change for a person to make");
            }
            out.add(new DecisionRecord.Revert(name, plan.releaseVersion(name), last));
        }
        return out;
    }

    /** One line for the build's description: what happened, to what, by whom and why. */
    private static String summary(String scope, Choice choice, List<String> names,
                                  List<DecisionRecord.Revert> reverted, DecisionRecord.Decider by, String reason) {
        String what = switch (choice) {
            case RETRY -> "retry " + String.join(", ", names);
            case RELEASE_WITH_ERROR -> "released with the error of " + (names.isEmpty() ? "the failing routes"
                    : String.join(", ", names));
            case RELEASE_WITHOUT -> "released without " + String.join(", ", reverted.stream()
                    .map(r -> r.component() + " (stays at " + r.to() + ")").toList());
            case DO_NOT_RELEASE -> "not released";
        };
        return scope + ": " + what + ", decided by " + by.id() + ": " + reason;
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
    private static List<Message> repoPersonMessages(String scope, Choice choice, DecisionRecord.Decider by,
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
                case DO_NOT_RELEASE -> "Nothing is released to " + scope + ". The team meets to look"
                        + " back at what went wrong.";
            };
            out.add(new Message(List.of(email), "[deployflow] " + scope + ": " + components
                    + " failed; decision: " + choice,
                    "Hello " + theirs.get(0).repoPerson().name() + ",\n\n"
                            + components + " failed " + (scope.equals("the release") ? "its release"
                            : "while testing the stack for " + scope)
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
