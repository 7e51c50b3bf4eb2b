package io.deployflow.bluegreen.colours;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.core.AtomicFile;
import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.stack.EngineApi;
import io.deployflow.stack.LocalStack;
import io.deployflow.stack.StackUpResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two colours as two compose projects, {@code <project>-blue} and {@code <project>-green}, run by the existing
 * {@code stack} code on the agent's engine. Each colour runs the same compose file with its own variables (the
 * published port its HAProxy server points at) and its own images: deploy writes the colour's file beside the
 * team's file ({@code <project>-<colour>.compose.yml}, so relative paths in it still resolve) with the image of
 * each named service replaced. Compose runs one container per service: {@code replicas} above zero means "up".
 */
public final class ComposeColours implements ColourRuntime {
    private final ColourSettings settings;
    private final Map<String, String> environment;

    public ComposeColours(ColourSettings settings, Map<String, String> environment) {
        this.settings = settings;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String describe() {
        return "compose projects " + settings.projectOf(Colour.BLUE) + " / " + settings.projectOf(Colour.GREEN);
    }

    @Override
    public List<TopologyProblem> checkTopology() {
        if (!Files.isRegularFile(settings.file())) {
            return List.of(new TopologyProblem("router.colours.file", "no compose file at " + settings.file()));
        }
        return List.of();
    }

    /** The colour's own compose file, beside the team's file. */
    public Path colourFile(Colour colour) {
        return settings.file().resolveSibling(settings.projectOf(colour) + ".compose.yml");
    }

    @Override
    public void deploy(Colour colour, Map<String, String> images, int replicas) {
        if (replicas == 0) {
            scale(colour, 0);
            return;
        }
        Path file = writeColourFile(colour, images);
        up(colour, file);
    }

    /** The process environment plus the colour's variables, so Compose can read the file for up and down. */
    private Map<String, String> environmentOf(Colour colour) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(settings.env().get(colour));
        return env;
    }

    private void up(Colour colour, Path file) {
        try {
            StackUpResult result = new LocalStack(environmentOf(colour)).up(file, settings.projectOf(colour),
                    Duration.ofSeconds(settings.waitSeconds()), false);
            if (!result.healthy()) {
                Progress.line(settings.projectOf(colour) + ": " + result.problem());
            }
        } catch (BadInputException e) {
            // the file was valid when the rollout started; a refusal now is the engine side's problem to report
            throw new OutsideSystemException("compose " + settings.projectOf(colour), e.getMessage(), e);
        }
    }

    private Path writeColourFile(Colour colour, Map<String, String> images) {
        Path target = colourFile(colour);
        String text = ColourFile.render(settings.file(), images, colour);
        try {
            AtomicFile.writeString(target, text);
        } catch (IOException e) {
            throw new OutsideSystemException(target.toString(), "cannot write the colour's compose file: "
                    + e.getMessage(), e);
        }
        return target;
    }

    @Override
    public ColourReadiness readiness(Colour colour, Map<String, String> expectedImages) {
        EngineApi engine = EngineApi.fromEnvironment(environment);
        List<JsonNode> containers = engine.projectContainers(settings.projectOf(colour));
        Map<String, String> running = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int ready = 0;
        for (JsonNode container : containers) {
            JsonNode inspect = engine.inspect(container.path("Id").asText());
            String service = inspect.path("Config").path("Labels").path("com.docker.compose.service")
                    .asText(inspect.path("Name").asText());
            String image = inspect.path("Config").path("Image").asText();
            running.put(service, image);
            String state = inspect.path("State").path("Status").asText("unknown");
            String health = inspect.path("State").path("Health").path("Status").asText("");
            boolean hasCheck = inspect.path("Config").path("Healthcheck").path("Test").isArray()
                    && inspect.path("Config").path("Healthcheck").path("Test").size() > 0
                    && !inspect.path("Config").path("Healthcheck").path("Test").get(0).asText().equals("NONE");
            boolean up = state.equals("running") && (!hasCheck || health.isEmpty() || health.equals("healthy"));
            String expected = expectedFor(service, expectedImages, containers.size());
            boolean imageOk = expected == null || ColourFile.sameImage(expected, image);
            if (!up) {
                problems.add(service + ": " + state + (hasCheck && !health.isEmpty() ? ", health " + health : ""));
            }
            if (!imageOk) {
                problems.add(service + ": runs " + image + ", expected " + expected);
            }
            if (up && imageOk) {
                ready++;
            }
        }
        for (String service : expectedImages.keySet()) {
            if (!service.equals(RolloutTarget.ANY_SERVICE) && !running.containsKey(service) && !containers.isEmpty()) {
                problems.add(service + ": no container");
            }
        }
        return new ColourReadiness(colour, containers.size(), ready, running, problems);
    }

    private static String expectedFor(String service, Map<String, String> expected, int services) {
        if (expected.containsKey(service)) {
            return expected.get(service);
        }
        return services == 1 ? expected.get(RolloutTarget.ANY_SERVICE) : null;
    }


    @Override
    public void scale(Colour colour, int replicas) {
        if (replicas == 0) {
            new LocalStack(environmentOf(colour)).down(settings.projectOf(colour), null);
            return;
        }
        Path file = colourFile(colour);
        up(colour, Files.isRegularFile(file) ? file : settings.file());
    }
}
