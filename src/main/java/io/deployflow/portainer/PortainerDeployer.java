package io.deployflow.portainer;

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

/**
 * S0 "Portainer deployment": updates the customer's stack with the tested compose file, waits until it runs, runs
 * the smoke routes, and on any failure puts the stack back where it was and checks that again. Everything that
 * can be validated is validated by the caller before this touches Portainer; this class only reads until the one
 * write, and the rollback point is saved before that write.
 */
public final class PortainerDeployer {
    private final Customer customer;
    private final PortainerTarget target;
    private final String configFile;
    private final PortainerClient client;
    private final StackWaiter waiter;
    private final Path stateDir;
    private final DeploymentCheck check;
    private TestedImages tested;
    private Path testedFile;

    /** @param check the smoke routes, or null to rely on container health alone */
    public PortainerDeployer(String configFile, Customer customer, PortainerClient client, Timings timings,
                             Path stateDir, DeploymentCheck check) {
        this.configFile = configFile;
        this.customer = customer;
        this.target = customer.portainer();
        this.client = client;
        this.waiter = new StackWaiter(client, timings.pollInterval());
        this.stateDir = stateDir;
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

    /** Deploys and returns the result; its {@code exitCode} is 0, 1 (failed, rolled back) or 3 (Portainer failed). */
    public Map<String, Object> deploy(ComposeAdapter.Adapted compose, Map<String, String> envFile) {
        Map<String, Object> result = base();
        result.put("adaptations", compose.changes());
        PortainerClient.Endpoint endpoint = endpoint();
        result.put("endpointId", endpoint.id());
        Stack stack = findStack(endpoint);
        if (stack == null) {
            return create(endpoint, compose, envFile, result);
        }
        result.put("stackId", stack.id());
        String currentFile = stack.git() == null ? client.stackFile(stack.id()) : null;
        EnvPlan env = EnvPlan.of(stack.env(), envFile, target.env());
        requireTestedImages(compose, env);
        result.put("envChanged", List.copyOf(env.previousOfChanged().keySet()));
        result.put("envKeptFromPortainer", env.keptSecrets());
        env.keptSecrets().forEach(n -> Progress.line("Portainer: kept the stack's own value of " + n
                + ": the env file would replace a secret with an example"));
        RollbackPoint point = RollbackPoint.of(customer.name(), target.url(), endpoint.id(), stack, currentFile,
                env, Instant.now().toString());
        boolean unchanged = stack.git() == null && compose.text().equals(currentFile) && !env.changesAnything()
                && stack.status() != Stack.STATUS_ERROR;
        Path pointFile = RollbackPoint.file(stateDir, customer.name());
        if (unchanged) {
            // Idempotent: the stack already is what this deploy would make it. No write, and the rollback point
            // of the deploy that made it stays, so 'portainer rollback' still goes back past it.
            Progress.line("Portainer: stack '" + stack.name() + "' already runs this file and these variables;"
                    + " nothing to send");
            result.put("action", "unchanged");
            result.put("rollbackPoint", Files.isRegularFile(pointFile) ? RollbackPoint.load(stateDir,
                    customer.name()) : null);
        } else {
            point.save(stateDir);
            result.put("sentFile", saveSentFile(compose.text()).toString());
            result.put("action", stack.git() == null ? "updated" : "git-redeployed");
            result.put("rollbackPoint", point);
            if (stack.git() != null) {
                result.put("note", "git-based stack: Portainer deploys " + stack.git().configFilePath() + " from "
                        + stack.git().url() + " (" + stack.git().referenceName() + "); --file was validated but"
                        + " cannot be sent, only the variables changed");
            }
        }
        result.put("rollbackFile", pointFile.toString());

        boolean writeAttempted = false;
        try {
            if (!unchanged) {
                writeAttempted = true;
                send(stack, endpoint.id(), compose.text(), stack.git() == null ? null
                        : stack.git().referenceName(), env.merged());
            }
            String failure = verify(endpoint.id(), stack.id(),
                    stack.git() == null ? compose.services() : List.of(), env.merged(), result);
            if (failure == null) {
                return finish(result, "deployed", ExitCode.OK, "stack '" + stack.name() + "' deployed and verified");
            }
            if (unchanged) {
                return finish(result, "failed", ExitCode.CHECK_FAILED, failure + "; the stack was not changed by"
                        + " this deploy, so there is nothing to roll back to");
            }
            rollBack(stack, endpoint.id(), point, stack.env(), result);
            return finish(result, "rolled-back", ExitCode.CHECK_FAILED, failure);
        } catch (PortainerCallException e) {
            if (writeAttempted) {
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
        Path file = RollbackPoint.file(stateDir, customer.name());
        if (!point.portainerUrl().equals(target.url()) || !point.stackName().equals(target.stack())) {
            throw new BadInputException(file.toString(), 0, "stackName", "the rollback point is for stack '"
                    + point.stackName() + "' at " + point.portainerUrl() + ", but the config names '"
                    + target.stack() + "' at " + target.url());
        }
        Map<String, Object> result = base();
        result.put("endpointId", point.endpointId());
        result.put("stackId", point.stackId());
        result.put("rollbackPoint", point);
        result.put("rollbackFile", file.toString());
        Stack stack;
        try {
            stack = client.stack(point.stackId());
        } catch (PortainerCallException e) {
            if (e.status() == 404) {
                throw new BadInputException(file.toString(), 0, "stackId", "stack " + point.stackId() + " ('"
                        + point.stackName() + "') no longer exists in Portainer");
            }
            throw e;
        }
        point.envValuesNotKept().forEach(n -> Progress.line("Portainer: " + n + " keeps its current value: its"
                + " previous value looked secret and was not written to the rollback point"));
        rollBack(stack, point.endpointId(), point, point.restoredFrom(stack.env()), result);
        boolean verified = Boolean.TRUE.equals(result.get("rollbackVerified"));
        return finish(result, verified ? "rolled-back" : "failed", verified ? ExitCode.OK : ExitCode.CHECK_FAILED,
                verified ? "stack '" + stack.name() + "' restored to the point of " + point.takenAt()
                        : "restored the point of " + point.takenAt() + ", but it does not verify");
    }

    private Map<String, Object> create(PortainerClient.Endpoint endpoint, ComposeAdapter.Adapted compose,
                                       Map<String, String> envFile, Map<String, Object> result) {
        if (!target.createIfMissing()) {
            List<String> names = client.stacks().stream().filter(s -> s.endpointId() == endpoint.id())
                    .map(Stack::name).toList();
            throw new BadInputException(configFile, 0, "customers[" + customer.name() + "].portainer.stack",
                    "no stack '" + target.stack() + "' on endpoint '" + endpoint.name() + "' (id " + endpoint.id()
                            + "); stacks there: " + (names.isEmpty() ? "none" : String.join(", ", names))
                            + ". Set createIfMissing: true to create it");
        }
        EnvPlan env = EnvPlan.of(List.of(), envFile, target.env());
        requireTestedImages(compose, env);
        Progress.line("Portainer: creating stack '" + target.stack() + "' on endpoint '" + endpoint.name() + "'");
        result.put("action", "created");
        result.put("rollbackPoint", null);
        try {
            Stack created = client.createStandalone(endpoint.id(), target.stack(), compose.text(), env.merged());
            result.put("stackId", created.id());
            String failure = verify(endpoint.id(), created.id(), compose.services(), env.merged(), result);
            if (failure == null) {
                return finish(result, "deployed", ExitCode.OK, "stack '" + target.stack() + "' created and verified");
            }
            result.put("rolledBack", false);
            return finish(result, "failed", ExitCode.CHECK_FAILED, failure + "; the stack did not exist before, so"
                    + " there is nothing to roll back to: fix it or remove it in Portainer");
        } catch (PortainerCallException e) {
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

    private void send(Stack stack, int endpointId, String file, String gitReference, List<EnvVar> env) {
        if (stack.git() == null) {
            Progress.line("Portainer: PUT stack '" + stack.name() + "' (" + env.size() + " variables)");
            client.update(stack, endpointId, file, env, target.prune(), target.pullImage());
        } else {
            Progress.line("Portainer: git redeploy of stack '" + stack.name() + "' at " + gitReference);
            client.gitRedeploy(stack, endpointId, gitReference, env, target.prune(), target.pullImage());
        }
    }

    /** Returns null when the stack runs and passes the check, else why not; records both in the result. */
    private String verify(int endpointId, int stackId, List<ComposeAdapter.Service> services, List<EnvVar> env,
                          Map<String, Object> result) {
        Map<String, String> variables = new LinkedHashMap<>();
        env.forEach(v -> variables.put(v.name(), v.value()));
        StackWaiter.Outcome health = waiter.await(endpointId, stackId, services, variables,
                Duration.ofSeconds(target.waitSeconds()));
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
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("passed", smoke.passed());
        summary.put("summary", smoke.summary());
        summary.put("failures", smoke.failures());
        result.put("smoke", summary);
        return smoke.passed() ? null : "smoke routes failed: " + smoke.summary();
    }

    private void rollBack(Stack stack, int endpointId, RollbackPoint point, List<EnvVar> env,
                          Map<String, Object> result) {
        Progress.line("Portainer: rolling stack '" + stack.name() + "' back to the point of " + point.takenAt());
        send(stack, endpointId, point.stackFileContent(), point.gitReference(), env);
        result.put("rolledBack", true);
        List<ComposeAdapter.Service> services = point.stackFileContent() == null ? List.of()
                : ComposeAdapter.servicesOf(point.stackFileContent());
        Map<String, Object> rollback = new LinkedHashMap<>();
        result.put("rollback", rollback);
        String failure = verify(endpointId, stack.id(), services, env, rollback);
        result.put("rollbackVerified", failure == null);
        rollback.put("failure", failure);
        Progress.line("Portainer: rollback " + (failure == null ? "verified" : "does not verify: " + failure));
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
        throw new BadInputException(configFile, 0, "customers[" + customer.name() + "].portainer.endpoint",
                "Portainer has no environment named or numbered '" + wanted + "'; it has: " + String.join(", ",
                        endpoints.stream().map(e -> e.name() + " (id " + e.id() + ")").toList()));
    }

    /** Portainer lower-cases compose stack names, so the match ignores case on the chosen endpoint. */
    private Stack findStack(PortainerClient.Endpoint endpoint) {
        List<Stack> onEndpoint = client.stacks().stream().filter(s -> s.endpointId() == endpoint.id()).toList();
        return onEndpoint.stream().filter(s -> s.name().equals(target.stack())).findFirst()
                .orElseGet(() -> onEndpoint.stream().filter(s -> s.name().equalsIgnoreCase(target.stack()))
                        .findFirst().orElse(null));
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
