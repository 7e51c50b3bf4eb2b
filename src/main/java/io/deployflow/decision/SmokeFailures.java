package io.deployflow.decision;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The failing components in a {@code smoke --json} report, read as a tree: {@code routes[]} entries with
 * {@code passed: false}, their {@code component} and {@code repoPerson}. Only those fields are read, and checked.
 */
final class SmokeFailures {
    final List<FailingComponent> components;
    /** Failed routes that name no component: reported, but nobody can be called for them. */
    final List<String> unattributedRoutes;

    private SmokeFailures(List<FailingComponent> components, List<String> unattributedRoutes) {
        this.components = components;
        this.unattributedRoutes = unattributedRoutes;
    }

    static SmokeFailures read(Path file) {
        JsonNode root = Json.read(file, JsonNode.class);
        JsonNode routes = root.path("routes");
        if (!routes.isArray()) {
            throw new BadInputException(file.toString(), 0, "routes", "missing or not a list: not a smoke --json"
                    + " report");
        }
        Map<String, FailingComponent.RepoPerson> persons = new LinkedHashMap<>();
        Map<String, List<String>> failed = new LinkedHashMap<>();
        List<String> unattributed = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            JsonNode route = routes.get(i);
            String field = "routes[" + i + "]";
            if (!route.path("passed").isBoolean()) {
                throw new BadInputException(file.toString(), 0, field + ".passed", "missing or not true/false");
            }
            if (route.get("passed").asBoolean()) {
                continue;
            }
            String name = route.path("name").asText(field);
            JsonNode component = route.path("component");
            if (!component.isTextual() || component.asText().isBlank()) {
                unattributed.add(name);
                continue;
            }
            failed.computeIfAbsent(component.asText(), c -> new ArrayList<>()).add(name);
            JsonNode person = route.path("repoPerson");
            if (person.isObject() && !persons.containsKey(component.asText())) {
                persons.put(component.asText(), repoPerson(file, field + ".repoPerson", person));
            }
        }
        List<FailingComponent> out = new ArrayList<>();
        failed.forEach((component, names) -> out.add(new FailingComponent(component, persons.get(component),
                List.copyOf(names))));
        return new SmokeFailures(out, List.copyOf(unattributed));
    }

    private static FailingComponent.RepoPerson repoPerson(Path file, String field, JsonNode person) {
        JsonNode email = person.path("email");
        if (!email.isNull() && !email.isMissingNode() && !email.isTextual()) {
            throw new BadInputException(file.toString(), 0, field + ".email", "must be a string");
        }
        return new FailingComponent.RepoPerson(text(person, "id"), text(person, "name"), text(person, "email"),
                person.path("known").asBoolean(false));
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.path(key);
        return value.isTextual() ? value.asText() : null;
    }
}
