package io.deployflow.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One component's release as the meeting planned it (plan.json): the version, the commit develop pointed to when
 * the meeting looked, the repo-person who releases it and the changes going out; plus every customer's dc-person,
 * who is told when the release is ready (S0 "Release": the repo-person notifies the dc-person).
 */
public record PlannedRelease(String component, String version, String developTip, Person repoPerson,
                             List<String> changes, Map<String, Person> dcPersons) {

    /** A person as the plan names them; {@code id} is the Jenkins user id, null for an author not on the team. */
    public record Person(String id, String name, String email) {
    }

    public static PlannedRelease read(Path plan, String component) {
        JsonNode root = Json.read(plan, JsonNode.class);
        JsonNode components = root == null ? null : root.get("components");
        if (components == null || !components.isArray()) {
            throw new BadInputException(plan.toString(), 0, "components", "missing or not a list: not a plan");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String name = c.path("name").asText("");
            names.add(name);
            if (!name.equals(component)) {
                continue;
            }
            String field = "components[" + i + "]";
            // a plan written before release rules existed has no releaseNeeded: every change then makes a release
            String needed = c.has("releaseNeeded") ? "releaseNeeded" : "hasChanges";
            if (!c.path(needed).asBoolean(false)) {
                throw new BadInputException(plan.toString(), 0, field + "." + needed, component + " has nothing to"
                        + " release in this plan" + (c.has("heldBack") ? " (it was held back)" : ""));
            }
            String version = c.path("releaseVersion").asText(null);
            if (version == null || version.isBlank()) {
                throw new BadInputException(plan.toString(), 0, field + ".releaseVersion", "missing");
            }
            List<String> changes = new ArrayList<>();
            c.path("changes").forEach(change -> changes.add(change.path("subject").asText("")));
            Map<String, Person> dcPersons = new LinkedHashMap<>();
            root.path("customers").forEach(customer -> {
                Person dc = person(customer.get("dcPerson"));
                if (dc != null) {
                    dcPersons.put(customer.path("name").asText(), dc);
                }
            });
            return new PlannedRelease(component, version, c.path("developTip").asText(null),
                    person(c.get("repoPerson")), List.copyOf(changes), dcPersons);
        }
        throw new BadInputException(plan.toString(), 0, "components", "the plan has no component '" + component
                + "' (it has: " + String.join(", ", names) + ")");
    }

    private static Person person(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        return new Person(text(node, "id"), text(node, "name"), text(node, "email"));
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
