package io.deployflow.portainer;

import io.deployflow.core.Progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Waits until a stack runs: Portainer has finished deploying it (the asynchronous generation deploys in the
 * background: status 3, then 1, or 4 with the failure in DeploymentStatus) and, seen through the Docker proxy,
 * every service of the file has a running, healthy container of the expected image ({@link RunningImage}: swarm
 * runs digest-pinned images). An unhealthy container ends the wait at once: Docker marks it so only after its
 * health check failed its retries.
 */
final class StackWaiter {
    record Outcome(boolean ready, String message, List<String> containers) {
    }

    private final PortainerClient client;
    private final Duration pollInterval;

    StackWaiter(PortainerClient client, Duration pollInterval) {
        this.client = client;
        this.pollInterval = pollInterval;
    }

    /** @param env the stack's variables, to know which image tag a service must run */
    Outcome await(int endpointId, int stackId, List<ComposeAdapter.Service> services, Map<String, String> env,
                  Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String waitingFor = "Portainer to start the deploy";
        List<String> seen = List.of();
        // Ready in two polls in a row: a crash-looping container can look "running" in a single snapshot.
        int readyPolls = 0;
        String said = null;
        while (true) {
            Stack stack = client.stack(stackId);
            if (stack.status() == Stack.STATUS_ERROR) {
                return new Outcome(false, "Portainer reports that deploying stack '" + stack.name() + "' failed"
                        + (stack.deploymentError() == null || stack.deploymentError().isBlank() ? ""
                        : ": " + stack.deploymentError()), seen);
            }
            if (stack.status() == Stack.STATUS_DEPLOYING) {
                waitingFor = "Portainer to finish deploying";
            } else {
                List<Container> containers = client.containers(endpointId, stack.projectLabel());
                seen = containers.stream().map(Container::toString).toList();
                List<String> sick = containers.stream().filter(Container::unhealthy).map(Container::toString)
                        .toList();
                if (!sick.isEmpty()) {
                    return new Outcome(false, "unhealthy: " + String.join("; ", sick), seen);
                }
                List<String> missing = missing(services, env, containers);
                boolean ready = !containers.isEmpty() && missing.isEmpty()
                        && containers.stream().allMatch(c -> c.ready() || replaced(stack, c, containers)
                        || orphan(services, c));
                readyPolls = ready ? readyPolls + 1 : 0;
                if (readyPolls >= 2) {
                    Progress.line("Portainer: stack '" + stack.name() + "' runs: " + String.join("; ", seen));
                    return new Outcome(true, containers.size() + " containers running and healthy", seen);
                }
                waitingFor = ready ? "the stack to stay ready"
                        : containers.isEmpty() ? "the stack's containers to appear"
                        : !missing.isEmpty() ? "services " + String.join(", ", missing)
                        : "containers to be running and healthy: " + String.join("; ", seen);
            }
            if (System.nanoTime() > deadline) {
                return new Outcome(false, "not ready after " + timeout.toSeconds() + "s: still waiting for "
                        + waitingFor, seen);
            }
            if (!waitingFor.equals(said)) {
                // One line per change of what is awaited, not one per poll.
                Progress.line("Portainer: waiting for " + waitingFor);
                said = waitingFor;
            }
            sleep();
        }
    }

    /**
     * A container of a service the file no longer has: Portainer 2.19 to 2.39 ignore Prune for compose stacks, so
     * it may stay; it is not part of what this file deploys. (An empty service list means the file is unknown, as
     * for git stacks, and then every container counts.)
     */
    private static boolean orphan(List<ComposeAdapter.Service> services, Container c) {
        return !services.isEmpty() && services.stream().noneMatch(s -> s.name().equals(c.service()));
    }

    /** Swarm keeps the exited containers of replaced tasks; they do not count once their service runs again. */
    private static boolean replaced(Stack stack, Container c, List<Container> all) {
        return stack.swarm() && !c.state().equals("running")
                && all.stream().anyMatch(o -> o.state().equals("running") && o.ready()
                && o.service().equals(c.service()));
    }

    /**
     * Services with no ready container running the image the file names. An image whose variables are unknown is
     * not compared: then readiness alone has to do.
     */
    private static List<String> missing(List<ComposeAdapter.Service> services, Map<String, String> env,
                                        List<Container> containers) {
        List<String> out = new ArrayList<>();
        for (ComposeAdapter.Service service : services) {
            String image = service.imageWith(env);
            boolean present = containers.stream().anyMatch(c -> c.service().equals(service.name()) && c.ready()
                    && (image == null || RunningImage.matches(image, c.image())));
            if (!present) {
                out.add(service.name() + (image == null ? "" : " (" + image + ")"));
            }
        }
        return out;
    }

    private void sleep() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the stack", e);
        }
    }
}
