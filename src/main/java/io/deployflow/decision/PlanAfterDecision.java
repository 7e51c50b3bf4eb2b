package io.deployflow.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan as it goes on after a decision. The meeting's plan said what each component releases; after "release
 * everything but the component" that is no longer true, and everything downstream (the versions set in the stack,
 * the release notes in the tag, the GitHub release and the README) must follow the plan as finally tested and
 * delivered. So a held-back component gets {@code hasChanges: false} and {@code releaseNeeded: false}, the
 * {@code releaseVersion} it stays at, and {@code heldBack} with the version that was planned and the decision
 * (who, why, when); a component released with its error gets {@code knownError}. Every other field is kept as it
 * was, so the plan stays readable by all commands.
 */
final class PlanAfterDecision {
    private final Path file;
    private final ObjectNode plan;
    private final Map<String, ObjectNode> components = new LinkedHashMap<>();

    private PlanAfterDecision(Path file, ObjectNode plan) {
        this.file = file;
        this.plan = plan;
        JsonNode list = plan.get("components");
        if (list == null || !list.isArray()) {
            throw new BadInputException(file.toString(), 0, "components", "missing or not a list: not a plan");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            if (!c.isObject() || !c.path("name").isTextual()) {
                throw new BadInputException(file.toString(), 0, "components[" + i + "].name",
                        "missing or not a string");
            }
            components.put(c.get("name").asText(), (ObjectNode) c);
        }
    }

    static PlanAfterDecision read(Path file) {
        JsonNode root = Json.read(file, JsonNode.class);
        if (root == null || !root.isObject()) {
            throw new BadInputException(file.toString(), 1, null, "a plan is a JSON object, as release-meeting"
                    + " writes it");
        }
        return new PlanAfterDecision(file, (ObjectNode) root);
    }

    /** Checked before the decision writes anything: every failing component must be in the plan. */
    void requireComponents(List<String> names) {
        for (String name : names) {
            if (!components.containsKey(name)) {
                throw new BadInputException(file.toString(), 0, "components", "the plan has no component '" + name
                        + "' (it has: " + String.join(", ", components.keySet()) + ")");
            }
        }
    }

    /** The version a component released last, which a release-wide "release without" goes back to. */
    String lastRelease(String name) {
        JsonNode last = components.get(name).get("lastRelease");
        return last == null || !last.isTextual() ? null : last.asText();
    }

    /** The version the plan releases a component at, for the record. */
    String releaseVersion(String name) {
        JsonNode version = components.get(name).get("releaseVersion");
        return version == null || !version.isTextual() ? null : version.asText();
    }

    /** The plan's repo-person of a component, for failures that did not name one (a failed release). */
    FailingComponent.RepoPerson repoPerson(String name) {
        JsonNode person = components.containsKey(name) ? components.get(name).get("repoPerson") : null;
        if (person == null || !person.isObject()) {
            return null;
        }
        return new FailingComponent.RepoPerson(text(person, "id"), text(person, "name"), text(person, "email"),
                person.path("known").asBoolean(person.hasNonNull("id")));
    }

    /** The decision, as the plan records it beside a component. */
    record Decided(Choice choice, String customer, DecisionRecord.Decider by, String reason, String timestamp) {
        ObjectNode json() {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("decision", choice.cliName());
            if (customer != null) {
                node.put("customer", customer);
            }
            node.put("reason", reason);
            node.putObject("decidedBy").put("id", by.id()).put("name", by.name());
            node.put("decidedAt", timestamp);
            return node;
        }
    }

    /** The plan with the decision applied; the plan read is left as it was. */
    ObjectNode after(Decided decided, List<DecisionRecord.Revert> reverted, List<FailingComponent> failing) {
        ObjectNode out = plan.deepCopy();
        Map<String, ObjectNode> copies = new LinkedHashMap<>();
        for (JsonNode c : out.get("components")) {
            copies.put(c.get("name").asText(), (ObjectNode) c);
        }
        if (reverted != null) {
            for (DecisionRecord.Revert revert : reverted) {
                ObjectNode c = copies.get(revert.component());
                ObjectNode heldBack = decided.json();
                heldBack.put("plannedVersion", c.path("releaseVersion").asText(null));
                heldBack.put("keptAt", revert.to());
                c.set("heldBack", heldBack);
                c.put("hasChanges", false);
                c.put("releaseNeeded", false);
                c.put("releaseVersion", revert.to());
            }
        }
        if (decided.choice() == Choice.RELEASE_WITH_ERROR) {
            for (FailingComponent f : failing) {
                ObjectNode knownError = decided.json();
                ArrayNode routes = knownError.putArray("failedRoutes");
                f.failedRoutes().forEach(routes::add);
                copies.get(f.component()).set("knownError", knownError);
            }
        }
        return out;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
