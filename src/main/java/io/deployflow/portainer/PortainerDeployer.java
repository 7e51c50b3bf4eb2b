package io.deployflow.portainer;

import io.deployflow.compose.EnvFile;
import io.deployflow.compose.StackImages;
import io.deployflow.compose.TestedImages;
import io.deployflow.config.Customer;
import io.deployflow.config.PortainerTarget;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * S0 "Portainer deployment": updates the customer's stack with the tested compose file, waits until it runs, runs
 * the smoke routes, and on any failure puts the stack back where it was and checks that again. Everything that
 * can be validated is validated before this touches Portainer; this class only reads until the one write, and
 * the rollback point is saved before that write. How a write is sent, and never sent twice, is
 * {@link DeploySender}'s; which Portainer generation answers is said once in the log and the result.
 */
public final class PortainerDeployer {
    private final Customer customer;
    private final PortainerTarget target;
    private final PortainerClient client;
    private final StackWaiter waiter;
    private final DeploySender sender;
    private final Path stateDir;
    private final RollbackPoints points;
    private final DeploymentCheck check;
    private TestedImages tested;
    private Path testedFile;

    /** Keeps rollback points in {@code stateDir}, as without a ledger repository. */
    public PortainerDeployer(Customer customer, PortainerClient client, Timings timings, Path stateDir,
                             DeploymentCheck check) {
        this(customer, client, timings, stateDir, new StateDirRollbackPoints(stateDir), check);
    }

    /**
     * @param stateDir where the file as sent is written for the job to archive
     * @param points   where the rollback point is kept
     * @param check    the smoke routes, or null to rely on container health alone
     */
    public PortainerDeployer(Customer customer, PortainerClient client, Timings timings, Path stateDir,
                             RollbackPoints points, DeploymentCheck check) {
        this.customer = customer;
        this.target = customer.portainer();
        this.client = client;
        this.waiter = new StackWaiter(client, timings.pollInterval());
        this.sender = new DeploySender(client, timings.pollInterval());
        this.stateDir = stateDir;
        this.points = points;
        this.check = check;
    }

    /**
     * Holds every deploy to the tested images: checked on the variables the stack will have after the update (its
     * own, laid over by the env file and the configured ones), before anything is sent.
     */
    public PortainerDeployer requireTested(TestedImages images, Path composeFile) {
        this.tested = images;
        this.testedFile = composeFile;
        return this;
    }

    /** Deploys with the tested env file, whose lines errors about its variables name; null when there is none. */
    public Map<String, Object> deploy(ComposeAdapter.Adapted compose, EnvFile envFile) {
        return deploy(compose, envFile == null ? Map.of() : envFile.values(), envFile);
    }

    /** Deploys with variables given as they are (no file to point at). */
    public Map<String, Object> deploy(ComposeAdapter.Adapted compose, Map<String, String> variables) {
        return deploy(compose, variables, null);
    }

    /**
     * Deploys and returns the result; its {@code exitCode} is 0, 1 (failed, rolled back) or 3 (Portainer failed).
     *
     * @param source where {@code envFile} was read, to name its lines in errors; null when none
     */
    private Map<String, Object> deploy(ComposeAdapter.Adapted compose, Map<String, String> envFile,
                                       EnvFile source) {
        Map<String, Object> result = base();
        result.put("adaptations", compose.changes());
        PortainerGeneration generation = generation(result);
        PortainerClient.Endpoint endpoint = endpoint();
        result.put("endpointId", endpoint.id());
        Stack listed = findStack(endpoint);
        if (listed == null) {
            return create(endpoint, compose, envFile, source, result);
        }
        // The list may leave GitConfig out (the newest Portainer keeps git settings apart), so read the stack
        // itself before choosing between a file PUT, which would detach a git stack, and a git redeploy.
        Stack stack = client.stack(listed.id());
        result.put("stackId", stack.id());
        result.put("stackType", stack.swarm() ? "swarm" : "compose");
        String currentFile = stack.git() == null ? client.stackFile(stack.id()) : null;
        EnvPlan env = plan(stack.env(), envFile, source, result);
        requireTestedImages(compose, env);
        notePrune(stack, generation, result);
        RollbackPoint point = RollbackPoint.of(customer.name(), target.url(), endpoint.id(), stack, currentFile,
                env, customer.secrets(), Instant.now().toString());
        boolean unchanged = stack.git() == null && compose.text().equals(currentFile) && !env.changesAnything()
                && stack.status() != Stack.STATUS_ERROR;
        result.put("rollbackPointKept", points.where(customer.name(), target.stack()));
        List<ComposeAdapter.Service> services = stack.git() == null ? compose.services() : List.of();
        if (unchanged) {
            // Idempotent: the stack already is what this deploy would make it. No write, and the rollback point
            // of the deploy that made it stays, so 'portainer rollback' still goes back past it.
            Progress.line("Portainer: stack '" + stack.name() + "' already runs this file and these variables;"
                    + " nothing to send");
            result.put("action", "unchanged");
            result.put("rollbackPoint", points.find(customer.name(), target.stack()));
            String failure = verify(endpoint.id(), stack.id(), services, env.merged(), result);
            return failure == null
                    ? finish(result, "deployed", ExitCode.OK, "stack '" + stack.name() + "' deployed and verified")
                    : finish(result, "failed", ExitCode.CHECK_FAILED, failure + "; the stack was not changed by"
                    + " this deploy, so there is nothing to roll back to");
        }
        points.save(point);
        Progress.line("Portainer: rollback point kept in " + points.where(customer.name(), target.stack()));
        result.put("sentFile", saveSentFile(compose.text()).toString());
        result.put("action", stack.git() == null ? "updated" : "git-redeployed");
        result.put("rollbackPoint", point);
        if (stack.git() != null) {
            result.put("note", "git-based stack: Portainer deploys " + stack.git().configFilePath() + " from "
                    + stack.git().url() + " (" + stack.git().referenceName() + "); --file was validated but"
                    + " cannot be sent, only the variables changed");
        }

        boolean sent = false;
        try {
            DeploySender.Outcome outcome = send(stack, endpoint.id(), compose.text(),
                    stack.git() == null ? null : stack.git().referenceName(), env.merged());
            switch (outcome.kind()) {
                case BUSY:
                    return finish(result, "failed", ExitCode.OUTSIDE_SYSTEM_FAILED, outcome.message());
                case FAILED:
                    sent = true;
                    result.put("deployError", outcome.message());
                    rollBack(stack, endpoint.id(), point, stack.env(), result);
                    return finish(result, "rolled-back", ExitCode.CHECK_FAILED, "Portainer could not deploy stack '"
                            + stack.name() + "': " + outcome.message());
                default:
                    sent = true;
                    if (outcome.kind() == DeploySender.Kind.UNANSWERED) {
                        result.put("writeUnanswered", outcome.message());
                    }
                    String failure = verify(endpoint.id(), stack.id(), services, env.merged(), result);
                    if (failure == null) {
                        return finish(result, "deployed", ExitCode.OK, "stack '" + stack.name()
                                + "' deployed and verified");
                    }
                    rollBack(stack, endpoint.id(), point, stack.env(), result);
                    return finish(result, "rolled-back", ExitCode.CHECK_FAILED, failure);
            }
        } catch (PortainerCallException e) {
            if (e.status() == 404 && !sent) {
                throw notFound(e, endpoint);
            }
            // One rollback at most: a rollback that itself failed is not sent a second time.
            if (sent && !result.containsKey("rollback")) {
                Progress.line("Portainer: " + e.getMessage() + "; rolling back");
                try {
                    rollBack(stack, endpoint.id(), point, stack.env(), result);
                } catch (PortainerCallException again) {
                    result.put("rolledBack", false);
                    result.put("rollbackError", again.getMessage());
                }
            }
            return finish(result, "failed", ExitCode.OUTSIDE_SYSTEM_FAILED, e.getMessage());
        }
    }

    /** Puts the stack back to a kept point on demand; exit 0 when verified, 1 when not. */
    public Map<String, Object> rollbackOnDemand(RollbackPoint point) {
        String file = points.where(customer.name(), point.stackName());
        if (!point.portainerUrl().equals(target.url())) {
            throw target.at("url").error("the rollback point " + file + " is for stack '" + point.stackName()
                    + "' at " + point.portainerUrl() + ", but the config names " + target.url());
        }
        if (!point.stackName().equals(target.stack())) {
            throw target.at("stack").error("the rollback point " + file + " is for stack '" + point.stackName()
                    + "', but the config names '" + target.stack() + "'");
        }
        Map<String, Object> result = base();
        generation(result);
        result.put("endpointId", point.endpointId());
        result.put("stackId", point.stackId());
        result.put("rollbackPoint", point);
        result.put("rollbackPointKept", file);
        Stack stack;
        try {
            stack = client.stack(point.stackId());
        } catch (PortainerCallException e) {
            if (e.status() == 404) {
                throw new BadInputException(file, points.lineOf(customer.name(), point.stackName(), "stackId"),
                        "stackId", "stack " + point.stackId() + " ('" + point.stackName() + "') no longer exists in"
                        + " Portainer");
            }
            throw e;
        }
        point.envValuesNotKept().forEach(n -> Progress.line("Portainer: " + n + " keeps its current value: it is"
                + " declared secret, so its previous value was not written to the rollback point"));
        rollBack(stack, point.endpointId(), point, point.restoredFrom(stack.env()), result);
        boolean verified = Boolean.TRUE.equals(result.get("rollbackVerified"));
        return finish(result, verified ? "rolled-back" : "failed", verified ? ExitCode.OK : ExitCode.CHECK_FAILED,
                verified ? "stack '" + stack.name() + "' restored to the point of " + point.takenAt()
                        : "restored the point of " + point.takenAt() + ", but it does not verify: "
                        + ((Map<?, ?>) result.getOrDefault("rollback", Map.of())).get("failure"));
    }

    private Map<String, Object> create(PortainerClient.Endpoint endpoint, ComposeAdapter.Adapted compose,
                                       Map<String, String> envFile, EnvFile source, Map<String, Object> result) {
        if (!target.createIfMissing()) {
            List<String> names = client.stacks().stream().filter(s -> s.endpointId() == endpoint.id())
                    .map(Stack::name).toList();
            throw target.at("stack").error("no stack '" + target.stack() + "' on endpoint '" + endpoint.name()
                    + "' (id " + endpoint.id() + "); stacks there: " + (names.isEmpty() ? "none"
                    : String.join(", ", names)) + ". Set createIfMissing: true to create it");
        }
        EnvPlan env = plan(List.of(), envFile, source, result);
        requireTestedImages(compose, env);
        result.put("action", "created");
        result.put("rollbackPoint", null);
        Stack[] created = new Stack[1];
        try {
            DeploySender.Outcome outcome = sender.send(0, "creating stack '" + target.stack() + "' on endpoint '"
                            + endpoint.name() + "' (" + env.merged().size() + " variables)", patience(),
                    () -> created[0] = client.createStandalone(endpoint.id(), target.stack(), compose.text(),
                            env.merged()));
            if (outcome.kind() == DeploySender.Kind.FAILED) {
                result.put("deployError", outcome.message());
                return finish(result, "failed", ExitCode.CHECK_FAILED, "Portainer could not create stack '"
                        + target.stack() + "': " + outcome.message() + "; the stack did not exist before, so there"
                        + " is nothing to roll back to");
            }
            if (created[0] == null) {
                created[0] = findStack(endpoint);
                if (created[0] == null) {
                    return finish(result, "failed", ExitCode.OUTSIDE_SYSTEM_FAILED, outcome.message()
                            + "; no stack '" + target.stack() + "' appeared on the endpoint");
                }
            }
            result.put("stackId", created[0].id());
            String failure = verify(endpoint.id(), created[0].id(), compose.services(), env.merged(), result);
            if (failure == null) {
                return finish(result, "deployed", ExitCode.OK, "stack '" + target.stack() + "' created and verified");
            }
            return finish(result, "failed", ExitCode.CHECK_FAILED, failure + "; the stack did not exist before, so"
                    + " there is nothing to roll back to: fix it or remove it in Portainer");
        } catch (PortainerCallException e) {
            if (e.status() == 409) {
                throw target.at("stack").error("Portainer refuses to create stack '" + target.stack() + "' on"
                        + " endpoint '" + endpoint.name() + "': " + e.reason() + ". Containers or another stack"
                        + " of that name exist there; name this customer's stack differently, or remove them");
            }
            if (e.status() == 404) {
                throw notFound(e, endpoint);
            }
            return finish(result, "failed", ExitCode.OUTSIDE_SYSTEM_FAILED, e.getMessage());
        }
    }

    private void requireTestedImages(ComposeAdapter.Adapted compose, EnvPlan env) {
        if (tested == null) {
            return;
        }
        Map<String, String> variables = new LinkedHashMap<>();
        env.merged().forEach(v -> variables.put(v.name(), v.value()));
        tested.require(StackImages.of(testedFile, compose.text(), variables::get, "the stack's variables after this"
                + " deploy: Portainer's own, the env file's and portainer.env"), "deploy " + customer.name()
                + " to Portainer");
    }

    /**
     * The variables to send, refusing a declared secret that the env file would change: never kept silently,
     * never replaced by an example (exit 2, before anything is written).
     */
    private EnvPlan plan(List<EnvVar> current, Map<String, String> envFile, EnvFile source,
                         Map<String, Object> result) {
        EnvPlan env = EnvPlan.of(current, envFile, target.env(), customer.secrets());
        if (!env.secretOverwrites().isEmpty()) {
            String first = env.secretOverwrites().get(0);
            EnvFile.Entry entry = source == null ? null : source.get(first);
            throw new BadInputException(source == null ? null : source.file().toString(),
                    entry == null ? 0 : entry.line(), first, "would replace the value the stack in"
                    + " Portainer holds for " + String.join(", ", env.secretOverwrites()) + ", declared secret for"
                    + " customer '" + customer.name() + "'. An env file holds example values: deployflow neither"
                    + " deploys an example secret nor keeps the old value while saying the file was deployed."
                    + " Leave it out of the env file passed to portainer deploy (the stack keeps its value), or"
                    + " change it in Portainer first. Which variables are secret is declared under 'secrets' and"
                    + " 'customers[].secrets' in " + customer.ref().file());
        }
        result.put("envChanged", List.copyOf(env.previousOfChanged().keySet()));
        result.put("secretsFromEnvFile", env.secretsFromEnvFile());
        env.secretsFromEnvFile().forEach(n -> Progress.line("Portainer: " + n + " is declared secret and the stack"
                + " has no value for it yet: it gets the env file's value; set a real one in Portainer"));
        return env;
    }

    private DeploySender.Outcome send(Stack stack, int endpointId, String file, String gitReference,
                                      List<EnvVar> env) {
        Supplier<Stack> write = stack.git() == null
                ? () -> client.update(stack, endpointId, file, env, target.prune(), target.pullImage())
                : () -> client.gitRedeploy(stack, endpointId, gitReference, env, target.prune(), target.pullImage());
        String what = stack.git() == null ? "PUT stack '" + stack.name() + "' (" + env.size() + " variables)"
                : "git redeploy of stack '" + stack.name() + "' at " + gitReference;
        return sender.send(stack.id(), what, patience(), write);
    }

    /** Returns null when the stack runs and passes the check, else why not; records both in the result. */
    private String verify(int endpointId, int stackId, List<ComposeAdapter.Service> services, List<EnvVar> env,
                          Map<String, Object> result) {
        Map<String, String> variables = new LinkedHashMap<>();
        env.forEach(v -> variables.put(v.name(), v.value()));
        StackWaiter.Outcome health = waiter.await(endpointId, stackId, services, variables, patience());
        result.put("containers", health.containers());
        result.put("healthy", health.ready());
        if (!health.ready()) {
            result.put("smoke", null);
            return health.message();
        }
        if (check == null) {
            result.put("smoke", null);
            return null;
        }
        DeploymentCheck.Outcome smoke = check.run(target.deployedUrl());
        result.put("smoke", smoke);
        return smoke.passed() ? null : "smoke routes failed: " + smoke.summary();
    }

    /** Sends the kept file and variables back (one write, by the same rules) and verifies the stack again. */
    private void rollBack(Stack stack, int endpointId, RollbackPoint point, List<EnvVar> env,
                          Map<String, Object> result) {
        Progress.line("Portainer: rolling stack '" + stack.name() + "' back to the point of " + point.takenAt());
        Map<String, Object> rollback = new LinkedHashMap<>();
        result.put("rollback", rollback);
        DeploySender.Outcome outcome = send(stack, endpointId, point.stackFileContent(), point.gitReference(), env);
        String failure;
        if (outcome.kind() == DeploySender.Kind.BUSY || outcome.kind() == DeploySender.Kind.FAILED) {
            result.put("rolledBack", outcome.kind() == DeploySender.Kind.FAILED);
            failure = "Portainer could not deploy the rollback: " + outcome.message();
        } else {
            result.put("rolledBack", true);
            List<ComposeAdapter.Service> services = point.stackFileContent() == null ? List.of()
                    : ComposeAdapter.servicesOf(point.stackFileContent());
            failure = verify(endpointId, stack.id(), services, env, rollback);
        }
        result.put("rollbackVerified", failure == null);
        rollback.put("failure", failure);
        Progress.line("Portainer: rollback " + (failure == null ? "verified" : "does not verify: " + failure));
    }

    /** A 404 on a write: the environment or the stack went away since they were looked up. */
    private BadInputException notFound(PortainerCallException e, PortainerClient.Endpoint endpoint) {
        if (e.reason().contains("environment")) {
            return target.at("endpoint").error("Portainer has no environment '" + endpoint.name() + "' (id "
                    + endpoint.id() + ") for this stack: " + e.getMessage());
        }
        return target.at("stack").error("Portainer no longer has stack '" + target.stack() + "': " + e.getMessage());
    }

    /** How long a deploy, a running deploy to wait out, and the verification may each take. */
    private Duration patience() {
        return Duration.ofSeconds(target.waitSeconds());
    }

    private PortainerGeneration generation(Map<String, Object> result) {
        PortainerGeneration generation = client.generation();
        result.put("portainer", new About(client.version(), generation.label(), generation.behaviour()));
        return generation;
    }

    /** Which Portainer answered, and how that generation deploys: said in the result, not only in the log. */
    public record About(String version, String generation, String behaviour) {
    }

    /** Portainer 2.19 to 2.39 do not pass Prune on for compose stacks; say so rather than let it look done. */
    private void notePrune(Stack stack, PortainerGeneration generation, Map<String, Object> result) {
        boolean honoured = stack.swarm() || generation.prunesComposeStacks();
        result.put("pruneHonoured", target.prune() ? honoured : null);
        if (target.prune() && !honoured) {
            Progress.line("Portainer: prune is set, but Portainer " + client.version() + " ignores it for compose"
                    + " stacks: containers of services removed from the file keep running until removed in"
                    + " Portainer");
        }
    }

    /** The adapted copy as sent, beside the rollback point, so the job can archive what Portainer got. */
    private Path saveSentFile(String text) {
        Path file = stateDir.resolve(customer.name() + "-sent-compose.yml");
        try {
            Files.createDirectories(stateDir);
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private PortainerClient.Endpoint endpoint() {
        List<PortainerClient.Endpoint> endpoints = client.endpoints();
        String wanted = target.endpoint();
        for (PortainerClient.Endpoint e : endpoints) {
            if (e.name().equals(wanted) || String.valueOf(e.id()).equals(wanted)) {
                return e;
            }
        }
        throw target.at("endpoint").error("Portainer has no environment named or numbered '" + wanted
                + "'; it has: " + String.join(", ", endpoints.stream().map(e -> e.name() + " (id " + e.id() + ")")
                .toList()));
    }

    /**
     * The configured stack on the chosen endpoint. The config holds the name as Portainer stores it (checked when
     * the config is read); a stack stored before Portainer normalised names is found by its normalised name.
     */
    private Stack findStack(PortainerClient.Endpoint endpoint) {
        List<Stack> onEndpoint = client.stacks().stream().filter(s -> s.endpointId() == endpoint.id()).toList();
        return onEndpoint.stream().filter(s -> s.name().equals(target.stack())).findFirst()
                .orElseGet(() -> onEndpoint.stream().filter(s -> PortainerTarget.normalised(s.name())
                        .equals(target.stack())).findFirst().orElse(null));
    }

    private Map<String, Object> base() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("customer", customer.name());
        result.put("portainerUrl", target.url());
        result.put("endpoint", target.endpoint());
        result.put("stack", target.stack());
        result.put("rolledBack", false);
        result.put("rollbackVerified", null);
        return result;
    }

    private static Map<String, Object> finish(Map<String, Object> result, String outcome, int exitCode,
                                              String message) {
        result.put("outcome", outcome);
        result.put("message", message);
        result.put("exitCode", exitCode);
        Progress.line("Portainer: " + outcome + ": " + message);
        return result;
    }
}
