package io.deployflow.bluegreen.colours;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.config.PortainerTarget;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.portainer.Container;
import io.deployflow.portainer.EnvVar;
import io.deployflow.portainer.PortainerClient;
import io.deployflow.portainer.Stack;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The two colours as two Portainer (compose) stacks {@code <stack>-blue} / {@code <stack>-green} on one Portainer
 * environment, for teams whose production runs under Portainer. Deploy creates the colour's stack or updates its
 * file (the team's file with the colour's images) and variables (the colour's {@code env}, sent whole, since a
 * PUT without them wipes them); scaling to zero stops the stack (compose down, the stack kept for a rollback),
 * scaling up starts it again. Compose runs one container per service: {@code replicas} above zero means "up".
 */
public final class PortainerColours implements ColourRuntime {
    /** Portainer's stack status: 1 active, 2 inactive (stopped). */
    private static final int INACTIVE = 2;
    private final ColourSettings settings;
    private final PortainerTarget portainer;
    private final PortainerClient client;
    private Integer endpointId;

    public PortainerColours(ColourSettings settings, PortainerClient client) {
        this.settings = settings;
        this.portainer = settings.portainer();
        this.client = client;
    }

    @Override
    public String describe() {
        return "Portainer stacks " + settings.projectOf(Colour.BLUE) + " / " + settings.projectOf(Colour.GREEN)
                + " at " + portainer.url();
    }

    @Override
    public List<TopologyProblem> checkTopology() {
        List<TopologyProblem> problems = new ArrayList<>();
        if (!Files.isRegularFile(settings.file())) {
            problems.add(new TopologyProblem("router.colours.file", "no compose file at " + settings.file()));
        }
        if (findEndpoint().isEmpty()) {
            problems.add(new TopologyProblem("router.colours.portainer.endpoint", "Portainer has no environment '"
                    + portainer.endpoint() + "' (it has " + client.endpoints().stream()
                    .map(PortainerClient.Endpoint::name).toList() + ")"));
        }
        return problems;
    }

    private Optional<Integer> findEndpoint() {
        return client.endpoints().stream()
                .filter(e -> e.name().equals(portainer.endpoint()) || Integer.toString(e.id()).equals(portainer.endpoint()))
                .map(PortainerClient.Endpoint::id).findFirst();
    }

    private int endpoint() {
        if (endpointId == null) {
            endpointId = findEndpoint().orElseThrow(() -> new OutsideSystemException("Portainer " + portainer.url(),
                    "no environment '" + portainer.endpoint() + "'"));
        }
        return endpointId;
    }

    private Optional<Stack> stackOf(Colour colour) {
        String name = settings.projectOf(colour);
        int endpoint = endpoint();
        return client.stacks().stream().filter(s -> s.name().equals(name) && s.endpointId() == endpoint).findFirst();
    }

    private List<EnvVar> envOf(Colour colour) {
        List<EnvVar> env = new ArrayList<>();
        settings.env().get(colour).forEach((name, value) -> env.add(new EnvVar(name, value)));
        return env;
    }

    @Override
    public void deploy(Colour colour, Map<String, String> images, int replicas) {
        if (replicas == 0) {
            scale(colour, 0);
            return;
        }
        String file = ColourFile.render(settings.file(), images, colour);
        Optional<Stack> existing = stackOf(colour);
        if (existing.isEmpty()) {
            Progress.line(settings.projectOf(colour) + ": creating the Portainer stack");
            client.createStandalone(endpoint(), settings.projectOf(colour), file, envOf(colour));
            return;
        }
        Stack stack = existing.get();
        if (stack.status() == INACTIVE) {
            // a stopped colour is started first (its previous version, without traffic), then updated
            Progress.line(settings.projectOf(colour) + ": starting the stopped Portainer stack");
            stack = client.start(stack, endpoint());
        }
        Progress.line(settings.projectOf(colour) + ": updating the Portainer stack with " + images);
        client.update(stack, endpoint(), file, envOf(colour), portainer.prune(), portainer.pullImage());
    }

    @Override
    public ColourReadiness readiness(Colour colour, Map<String, String> expected) {
        Optional<Stack> listed = stackOf(colour);
        if (listed.isEmpty() || listed.get().status() == INACTIVE) {
            return new ColourReadiness(colour, 0, 0, Map.of(), List.of());
        }
        // the stack on its own: the newest Portainer deploys in the background and reports how it went only here
        Stack stack = client.stack(listed.get().id());
        List<Container> containers = client.containers(endpoint(), "com.docker.compose.project="
                + settings.projectOf(colour));
        Map<String, String> running = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int ready = 0;
        for (Container container : containers) {
            running.put(container.service(), container.image());
            String want = expected.containsKey(container.service()) ? expected.get(container.service())
                    : containers.size() == 1 ? expected.get(RolloutTarget.ANY_SERVICE) : null;
            boolean imageOk = want == null || ColourFile.sameImage(want, container.image());
            if (!container.ready()) {
                problems.add(container.toString());
            }
            if (!imageOk) {
                problems.add(container.service() + ": runs " + container.image() + ", expected " + want);
            }
            if (container.ready() && imageOk) {
                ready++;
            }
        }
        int desired = Math.max(containers.size(), (int) expected.keySet().stream()
                .filter(k -> !k.equals(RolloutTarget.ANY_SERVICE)).count());
        if (containers.isEmpty()) {
            problems.add(settings.projectOf(colour) + ": no container runs");
            desired = Math.max(desired, 1);
        }
        if (stack.status() == Stack.STATUS_DEPLOYING) {
            problems.add(settings.projectOf(colour) + ": Portainer is still deploying it");
        } else if (stack.status() == Stack.STATUS_ERROR || stack.deploymentError() != null) {
            problems.add(settings.projectOf(colour) + ": Portainer's deploy failed: " + stack.deploymentError());
        }
        return new ColourReadiness(colour, desired, ready, running, problems);
    }

    @Override
    public void scale(Colour colour, int replicas) {
        Optional<Stack> stack = stackOf(colour);
        if (stack.isEmpty()) {
            if (replicas > 0) {
                throw new OutsideSystemException("Portainer " + portainer.url(), "no stack "
                        + settings.projectOf(colour) + " to start");
            }
            return;
        }
        boolean stopped = stack.get().status() == INACTIVE;
        if (replicas == 0 && !stopped) {
            Progress.line(settings.projectOf(colour) + ": stopping the Portainer stack");
            client.stop(stack.get(), endpoint());
        } else if (replicas > 0 && stopped) {
            Progress.line(settings.projectOf(colour) + ": starting the Portainer stack");
            client.start(stack.get(), endpoint());
        }
    }
}
