package io.deployflow.release.notes;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parts of {@code plan.json} (written by {@code release-meeting}) that release notes use, validated: a field
 * that is missing or of the wrong kind is bad input naming the file, line and field. Fields the notes don't use
 * are ignored, so the meeting may add fields freely.
 */
public record ReleasePlan(LocalDate meetingDate, List<Component> components, List<Customer> customers) {
    private static final Pattern VERSION = Pattern.compile(
            "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

    /**
     * One component. {@code releaseNeeded} is false when its changes make no release by the meeting's release rules
     * (only docs or chores); a plan without the field (written before it existed) counts every change.
     * {@code releaseVersion} is what runs after the release: {@code nextVersion} when a release is needed, else
     * {@code lastRelease}, or null when the component was never released.
     */
    public record Component(String name, String image, boolean hasChanges, boolean releaseNeeded, String lastRelease,
                            String nextVersion, String releaseVersion, Person repoPerson, List<Change> changes,
                            Decision heldBack, Decision knownError) {
    }

    /**
     * A decision after the tests that changed what a component releases ({@code decision} writes it into the plan):
     * {@code heldBack} (planned {@code plannedVersion}, stays at {@code keptAt}) or {@code knownError} (released with
     * the error). {@code customer} is null for a decision about the release as a whole.
     */
    public record Decision(String customer, String reason, String decidedBy, String decidedAt, String plannedVersion,
                           String keptAt) {
    }

    /** {@code type} is null for a subject that does not follow Conventional Commits. */
    public record Change(String sha, String subject, String type, boolean breaking, List<String> tickets) {
    }

    public record Customer(String name, Person dcPerson) {
    }

    /** {@code known} is false for a git author who is not on the team; then {@code id} is null. */
    public record Person(String id, String name, String email, boolean known) {
    }

    public static ReleasePlan load(Path file) {
        JsonInput input = JsonInput.read(file);
        JsonNode root = input.root();
        if (!root.isObject()) {
            throw input.error("", "a plan is a JSON object, as release-meeting --json writes it");
        }
        String date = text(input, root, "meetingDate", true);
        LocalDate meetingDate;
        try {
            meetingDate = LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw input.error("meetingDate", "'" + date + "' is not a date (YYYY-MM-DD)");
        }
        List<Component> components = new ArrayList<>();
        JsonNode list = array(input, root, "components", true);
        for (int i = 0; i < list.size(); i++) {
            components.add(component(input, list.get(i), "components[" + i + "]"));
        }
        List<Customer> customers = new ArrayList<>();
        JsonNode customerList = array(input, root, "customers", false);
        for (int i = 0; i < customerList.size(); i++) {
            String at = "customers[" + i + "]";
            JsonNode node = object(input, customerList.get(i), at);
            customers.add(new Customer(text(input, node, at + ".name", true), person(input, node, at + ".dcPerson")));
        }
        return new ReleasePlan(meetingDate, List.copyOf(components), List.copyOf(customers));
    }

    private static Component component(JsonInput input, JsonNode value, String at) {
        JsonNode node = object(input, value, at);
        String name = text(input, node, at + ".name", true);
        JsonNode hasChanges = node.get("hasChanges");
        if (hasChanges == null || !hasChanges.isBoolean()) {
            throw input.error(at + ".hasChanges", "required: true or false");
        }
        JsonNode releaseNeededNode = node.get("releaseNeeded");
        if (releaseNeededNode != null && !releaseNeededNode.isNull() && !releaseNeededNode.isBoolean()) {
            throw input.error(at + ".releaseNeeded", "must be true or false");
        }
        boolean releaseNeeded = releaseNeededNode == null || releaseNeededNode.isNull() ? hasChanges.asBoolean()
                : releaseNeededNode.asBoolean();
        String last = version(input, node, at + ".lastRelease", false);
        String next = version(input, node, at + ".nextVersion", releaseNeeded);
        String release = version(input, node, at + ".releaseVersion", false);
        if (release == null) {
            release = releaseNeeded ? next : last;
        }
        List<Change> changes = new ArrayList<>();
        JsonNode list = array(input, node, at + ".changes", false);
        for (int i = 0; i < list.size(); i++) {
            String changeAt = at + ".changes[" + i + "]";
            JsonNode change = object(input, list.get(i), changeAt);
            JsonNode breaking = change.get("breaking");
            if (breaking != null && !breaking.isNull() && !breaking.isBoolean()) {
                throw input.error(changeAt + ".breaking", "must be true or false");
            }
            List<String> tickets = new ArrayList<>();
            JsonNode ticketList = array(input, change, changeAt + ".tickets", false);
            for (int t = 0; t < ticketList.size(); t++) {
                if (!ticketList.get(t).isTextual()) {
                    throw input.error(changeAt + ".tickets[" + t + "]", "a ticket key is a string, such as FHIR-12");
                }
                tickets.add(ticketList.get(t).asText());
            }
            changes.add(new Change(text(input, change, changeAt + ".sha", false),
                    text(input, change, changeAt + ".subject", true), text(input, change, changeAt + ".type", false),
                    breaking != null && breaking.asBoolean(), List.copyOf(tickets)));
        }
        return new Component(name, text(input, node, at + ".image", false), hasChanges.asBoolean(), releaseNeeded,
                last, next,
                release, person(input, node, at + ".repoPerson"), List.copyOf(changes),
                decision(input, node, at + ".heldBack"), decision(input, node, at + ".knownError"));
    }

    private static Decision decision(JsonInput input, JsonNode parent, String at) {
        JsonNode value = parent.get(last(at));
        if (value == null || value.isNull()) {
            return null;
        }
        JsonNode node = object(input, value, at);
        JsonNode by = node.get("decidedBy");
        String decidedBy = null;
        if (by != null && !by.isNull()) {
            JsonNode who = object(input, by, at + ".decidedBy");
            decidedBy = who.path("name").isTextual() ? who.get("name").asText() : text(input, who,
                    at + ".decidedBy.id", true);
        }
        return new Decision(text(input, node, at + ".customer", false), text(input, node, at + ".reason", true),
                decidedBy, text(input, node, at + ".decidedAt", false),
                version(input, node, at + ".plannedVersion", false), version(input, node, at + ".keptAt", false));
    }

    private static Person person(JsonInput input, JsonNode parent, String at) {
        JsonNode value = parent.get(last(at));
        if (value == null || value.isNull()) {
            return null;
        }
        JsonNode node = object(input, value, at);
        String id = text(input, node, at + ".id", false);
        String name = text(input, node, at + ".name", false);
        String email = text(input, node, at + ".email", false);
        if (id == null && name == null && email == null) {
            throw input.error(at, "a person needs at least one of id, name, email");
        }
        JsonNode known = node.get("known");
        return new Person(id, name, email, known == null ? id != null : known.asBoolean());
    }

    private static String version(JsonInput input, JsonNode parent, String at, boolean required) {
        String value = text(input, parent, at, required);
        if (value != null && !VERSION.matcher(value).matches()) {
            throw input.error(at, "'" + value + "' is not a semantic version (MAJOR.MINOR.PATCH)");
        }
        return value;
    }

    private static String text(JsonInput input, JsonNode parent, String at, boolean required) {
        JsonNode value = parent.get(last(at));
        if (value == null || value.isNull()) {
            if (required) {
                throw input.error(at, "required");
            }
            return null;
        }
        if (!value.isTextual() || (required && value.asText().isBlank())) {
            throw input.error(at, "must be a non-empty string");
        }
        return value.asText();
    }

    private static JsonNode array(JsonInput input, JsonNode parent, String at, boolean required) {
        JsonNode value = parent.get(last(at));
        if (value == null || value.isNull()) {
            if (required) {
                throw input.error(at, "required: a list");
            }
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!value.isArray()) {
            throw input.error(at, "must be a list");
        }
        return value;
    }

    private static JsonNode object(JsonInput input, JsonNode value, String at) {
        if (value == null || !value.isObject()) {
            throw input.error(at, "must be an object");
        }
        return value;
    }

    private static String last(String at) {
        return at.substring(at.lastIndexOf('.') + 1);
    }
}
