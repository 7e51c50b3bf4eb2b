package io.deployflow.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What was tested, so that what is deployed or delivered can be held to it: the worst thing a release tool can do
 * is deliver something other than what passed the tests. Two sources, used together when both are given:
 * <ul>
 * <li>the plan as finally tested: each component's {@code releaseVersion} is the tag its services must run;</li>
 * <li>the images of the tested stack as {@code compose images --json} recorded them before the stack went up:
 * every service must run exactly that image, third-party ones included.</li>
 * </ul>
 * The check runs before anything is written to a target, so a difference is bad input (exit 2) naming each
 * service, the image it would run, how that came about ({@code ${VAR}} and its value) and what was tested.
 */
public final class TestedImages {
    /** Component image repository to its tested version, with the component's name for messages. */
    private record Expected(String component, String version) {
    }

    private final String planSource;
    private final Map<String, Expected> byRepository;
    private final String recordSource;
    private final Map<String, String> byService;

    private TestedImages(String planSource, Map<String, Expected> byRepository, String recordSource,
                         Map<String, String> byService) {
        this.planSource = planSource;
        this.byRepository = byRepository;
        this.recordSource = recordSource;
        this.byService = byService;
    }

    /** The components' versions in a plan ({@code components[].name} and {@code releaseVersion}). */
    public static TestedImages fromPlan(DeployflowConfig config, Path plan) {
        JsonNode root = Json.read(plan, JsonNode.class);
        JsonNode components = root == null ? null : root.get("components");
        if (components == null || !components.isArray()) {
            throw new BadInputException(plan.toString(), 0, "components", "missing or not a list: not a plan");
        }
        Map<String, Expected> byRepository = new LinkedHashMap<>();
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String field = "components[" + i + "]";
            if (!c.path("name").isTextual()) {
                throw new BadInputException(plan.toString(), 0, field + ".name", "missing or not a string");
            }
            JsonNode version = c.get("releaseVersion");
            if (version == null || version.isNull()) {
                continue;
            }
            if (!version.isTextual()) {
                throw new BadInputException(plan.toString(), 0, field + ".releaseVersion", "must be a string or null");
            }
            Component component;
            try {
                component = config.component(c.get("name").asText());
            } catch (BadInputException unknown) {
                throw new BadInputException(plan.toString(), 0, field + ".name", unknown.getMessage()
                        + "; was the plan made with another config?");
            }
            if (component.image() != null) {
                byRepository.put(component.image(), new Expected(component.name(), version.asText()));
            }
        }
        return new TestedImages(plan.toString(), byRepository, null, Map.of());
    }

    /** The images of a tested stack, as {@code compose images --json} wrote them. */
    public static TestedImages fromRecord(Path record) {
        JsonNode root = Json.read(record, JsonNode.class);
        JsonNode images = root == null ? null : root.get("images");
        if (images == null || !images.isArray()) {
            throw new BadInputException(record.toString(), 0, "images", "missing or not a list: not written by"
                    + " compose images --json");
        }
        Map<String, String> byService = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            if (!image.path("service").isTextual()) {
                throw new BadInputException(record.toString(), 0, "images[" + i + "].service",
                        "missing or not a string");
            }
            JsonNode value = image.get("image");
            byService.put(image.get("service").asText(), value == null || value.isNull() ? null : value.asText());
        }
        return new TestedImages(null, Map.of(), record.toString(), byService);
    }

    /** Both expectations at once. */
    public TestedImages and(TestedImages other) {
        Map<String, Expected> repositories = new LinkedHashMap<>(byRepository);
        repositories.putAll(other.byRepository);
        Map<String, String> services = new LinkedHashMap<>(byService);
        services.putAll(other.byService);
        return new TestedImages(planSource != null ? planSource : other.planSource, repositories,
                recordSource != null ? recordSource : other.recordSource, services);
    }

    /** One line per service that would not run what was tested; empty when all do. */
    public List<String> differences(StackImages stack) {
        List<String> out = new ArrayList<>();
        for (StackImages.Image image : stack.images()) {
            if (image.problem() != null) {
                out.add("service " + image.service() + " (line " + image.line() + "): " + image.problem()
                        + " (" + image.explained() + ")");
                continue;
            }
            Expected expected = byRepository.get(image.repository());
            if (expected != null && !expected.version().equals(image.tag())) {
                out.add("service " + image.service() + " (line " + image.line() + ") would run " + image.image()
                        + " (" + image.explained() + "), but " + expected.component() + " was tested at "
                        + expected.version() + " (" + planSource + ")");
            }
        }
        if (recordSource != null) {
            byService.forEach((service, tested) -> {
                Optional<StackImages.Image> actual = stack.service(service);
                if (actual.isEmpty()) {
                    out.add("service " + service + " was tested (" + tested + ") but is not in the stack");
                } else if (actual.get().problem() == null && !Objects.equals(tested, actual.get().image())) {
                    out.add("service " + service + " (line " + actual.get().line() + ") would run "
                            + actual.get().image() + " (" + actual.get().explained() + "), but " + tested
                            + " was tested (" + recordSource + ")");
                }
            });
            stack.images().stream().filter(i -> !byService.containsKey(i.service())).forEach(i ->
                    out.add("service " + i.service() + " (line " + i.line() + ") was not in the tested stack ("
                            + recordSource + ")"));
        }
        return out;
    }

    /**
     * Refuses a stack that is not the tested one, before anything is written.
     *
     * @param what what was about to happen, for the message ("deliver acme", "deploy to Portainer")
     */
    public void require(StackImages stack, String what) {
        List<String> differences = differences(stack);
        if (differences.isEmpty()) {
            return;
        }
        int line = stack.images().stream().filter(i -> differences.get(0).startsWith("service " + i.service() + " "))
                .mapToInt(StackImages.Image::line).findFirst().orElse(0);
        throw new BadInputException(stack.file(), line, "image", "refusing to " + what + ": the stack is not the one"
                + " that was tested (variables from " + stack.variablesFrom() + "):\n  - "
                + String.join("\n  - ", differences));
    }
}
