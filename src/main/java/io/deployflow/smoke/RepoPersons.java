package io.deployflow.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** The repo-person of each component, read from the release meeting's plan.json. */
public final class RepoPersons implements Function<String, RepoPerson> {
    private final Map<String, RepoPerson> byComponent;

    private RepoPersons(Map<String, RepoPerson> byComponent) {
        this.byComponent = byComponent;
    }

    public static RepoPersons none() {
        return new RepoPersons(Map.of());
    }

    /** Reads components[].name and components[].repoPerson; anything else in the plan is not ours to check. */
    public static RepoPersons fromPlan(Path plan) {
        String file = plan.toString();
        JsonNode root;
        try {
            root = Json.readTree(Files.readAllBytes(plan));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException(file, line, null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(file, 0, null, "cannot read the plan: " + e.getMessage());
        }
        if (root == null || !root.path("components").isArray()) {
            throw new BadInputException(file, 0, "components", "a plan must have a components list");
        }
        Map<String, RepoPerson> out = new HashMap<>();
        JsonNode components = root.get("components");
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String field = "components[" + i + "]";
            if (!c.path("name").isTextual()) {
                throw new BadInputException(file, 0, field + ".name", "every component needs a name");
            }
            JsonNode p = c.path("repoPerson");
            if (p.isMissingNode() || p.isNull()) {
                continue;
            }
            if (!p.isObject() || !p.path("name").isTextual()) {
                throw new BadInputException(file, 0, field + ".repoPerson",
                        "must be an object with at least a name");
            }
            out.put(c.get("name").textValue(), new RepoPerson(text(p, "id"), p.get("name").textValue(),
                    text(p, "email"), p.path("known").asBoolean(p.hasNonNull("id"))));
        }
        return new RepoPersons(out);
    }

    @Override
    public RepoPerson apply(String component) {
        return component == null ? RepoPerson.UNKNOWN : byComponent.getOrDefault(component, RepoPerson.UNKNOWN);
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
