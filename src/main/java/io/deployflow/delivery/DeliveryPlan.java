package io.deployflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of the release meeting's plan.json a delivery uses: the meeting date, the customer's dc-person (who
 * delivers, S0 "Delivery") and the planned components (to name images in the README, and those held back).
 */
record DeliveryPlan(LocalDate meetingDate, Person dcPerson, List<PlannedComponent> components) {

    record Person(String name, String email) {
    }

    /** {@code heldBack} is set when a decision after the tests kept the component out of this release. */
    record PlannedComponent(String name, String image, String releaseVersion, HeldBack heldBack) {
    }

    record HeldBack(String plannedVersion, String keptAt, String reason) {
    }

    static DeliveryPlan read(Path file, String customer) {
        JsonNode root = Json.read(file, JsonNode.class);
        String where = file.toString();
        if (root == null || !root.isObject()) {
            throw new BadInputException(where, 1, null, "a plan must be a JSON object (written by release-meeting)");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(text(where, root, "meetingDate", true));
        } catch (DateTimeParseException e) {
            throw new BadInputException(where, 0, "meetingDate", "not a date (YYYY-MM-DD): "
                    + root.get("meetingDate").asText());
        }
        JsonNode customers = array(where, root, "customers");
        JsonNode entry = null;
        int index = -1;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < customers.size(); i++) {
            String name = text(where, customers.get(i), "customers[" + i + "].name", "name", true);
            names.add(name);
            if (name.equals(customer)) {
                entry = customers.get(i);
                index = i;
            }
        }
        if (entry == null) {
            throw new BadInputException(where, 0, "customers", "the plan has no entry for customer '" + customer
                    + "' (it has: " + String.join(", ", names) + "); run release-meeting for this customer");
        }
        String personField = "customers[" + index + "].dcPerson";
        JsonNode person = entry.get("dcPerson");
        if (person == null || !person.isObject()) {
            throw new BadInputException(where, 0, personField, "missing: the dc-person delivers and is the author");
        }
        String email = text(where, person, personField + ".email", "email", true);
        if (!email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new BadInputException(where, 0, personField + ".email", "'" + email + "' is not an email address");
        }
        Person dc = new Person(text(where, person, personField + ".name", "name", true), email);

        JsonNode components = array(where, root, "components");
        List<PlannedComponent> planned = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String prefix = "components[" + i + "]";
            JsonNode held = c.get("heldBack");
            HeldBack heldBack = held == null || held.isNull() ? null : new HeldBack(
                    text(where, held, prefix + ".heldBack.plannedVersion", "plannedVersion", false),
                    text(where, held, prefix + ".heldBack.keptAt", "keptAt", false),
                    text(where, held, prefix + ".heldBack.reason", "reason", true));
            planned.add(new PlannedComponent(text(where, c, prefix + ".name", "name", true),
                    text(where, c, prefix + ".image", "image", false),
                    text(where, c, prefix + ".releaseVersion", "releaseVersion", false), heldBack));
        }
        return new DeliveryPlan(date, dc, List.copyOf(planned));
    }

    private static String text(String where, JsonNode node, String key, boolean required) {
        return text(where, node, key, key, required);
    }

    private static String text(String where, JsonNode node, String field, String key, boolean required) {
        if (node == null || !node.isObject()) {
            throw new BadInputException(where, 0, field.substring(0, Math.max(0, field.lastIndexOf('.'))),
                    "must be a JSON object");
        }
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadInputException(where, 0, field, "missing required field '" + key + "'");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new BadInputException(where, 0, field, "must be a non-empty string, not " + value);
        }
        return value.asText();
    }

    private static JsonNode array(String where, JsonNode root, String key) {
        JsonNode value = root.get(key);
        if (value == null || !value.isArray()) {
            throw new BadInputException(where, 0, key, "missing or not a list");
        }
        return value;
    }
}
