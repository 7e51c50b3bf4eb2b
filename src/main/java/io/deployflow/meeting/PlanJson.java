package io.deployflow.meeting;

import com.fasterxml.jackson.core.JsonGenerator;
import io.deployflow.core.Json;
import io.deployflow.meeting.MeetingPlan.Change;
import io.deployflow.meeting.MeetingPlan.ComponentPlan;
import io.deployflow.meeting.MeetingPlan.CustomerPlan;
import io.deployflow.meeting.MeetingPlan.Person;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the meeting's plan (the release meeting's {@code --json}), byte for byte as the JSON mapper writes it, with
 * Jackson's streaming generator alone. Why not the mapper: a plan of 200 components lists every unreleased change
 * (megabytes), and a new JVM per step spent more time building the mapper and introspecting the records than
 * writing; the generator needs neither. Every field of {@link MeetingPlan} is written here in record order;
 * {@code PlanJsonTest} compares with the mapper's output, so a field added to the records and not here fails it.
 */
public final class PlanJson {
    private PlanJson() {
    }

    public static void write(Path file, MeetingPlan plan) {
        Json.writeStreaming(file, json -> write(json, plan));
    }

    static void write(JsonGenerator json, MeetingPlan plan) throws IOException {
        json.writeStartObject();
        json.writeStringField("meetingDate", plan.meetingDate());
        json.writeFieldName("rotation");
        json.writeStartObject();
        json.writeStringField("rotationStart", plan.rotation().rotationStart());
        json.writeNumberField("cadenceDays", plan.rotation().cadenceDays());
        json.writeNumberField("meetingIndex", plan.rotation().meetingIndex());
        strings(json, "available", plan.rotation().available());
        json.writeEndObject();
        json.writeArrayFieldStart("components");
        for (ComponentPlan component : plan.components()) {
            component(json, component);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("customers");
        for (CustomerPlan customer : plan.customers()) {
            json.writeStartObject();
            json.writeStringField("name", customer.name());
            person(json, "dcPerson", customer.dcPerson());
            json.writeStringField("rule", customer.rule());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void component(JsonGenerator json, ComponentPlan c) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", c.name());
        json.writeStringField("repo", c.repo());
        json.writeStringField("image", c.image());
        json.writeStringField("developBranch", c.developBranch());
        json.writeBooleanField("hasChanges", c.hasChanges());
        json.writeBooleanField("releaseNeeded", c.releaseNeeded());
        json.writeStringField("lastRelease", c.lastRelease());
        json.writeStringField("lastReleaseTag", c.lastReleaseTag());
        json.writeStringField("nextVersion", c.nextVersion());
        json.writeStringField("releaseVersion", c.releaseVersion());
        json.writeStringField("bump", c.bump());
        person(json, "repoPerson", c.repoPerson());
        json.writeArrayFieldStart("changes");
        for (Change change : c.changes()) {
            json.writeStartObject();
            json.writeStringField("sha", change.sha());
            json.writeStringField("subject", change.subject());
            json.writeStringField("author", change.author());
            json.writeStringField("authorName", change.authorName());
            json.writeStringField("type", change.type());
            json.writeBooleanField("breaking", change.breaking());
            strings(json, "tickets", change.tickets());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("developTip", c.developTip());
        json.writeEndObject();
    }

    private static void person(JsonGenerator json, String field, Person person) throws IOException {
        if (person == null) {
            json.writeNullField(field);
            return;
        }
        json.writeFieldName(field);
        json.writeStartObject();
        json.writeStringField("id", person.id());
        json.writeStringField("name", person.name());
        json.writeStringField("email", person.email());
        json.writeBooleanField("known", person.known());
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
