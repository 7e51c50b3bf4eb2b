package io.deployflow.smoke;

import com.fasterxml.jackson.core.JsonGenerator;
import io.deployflow.core.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The shape of {@code smoke --json}: what dockerPrep, decision and people read back. */
public record SmokeJson(String baseUrl, boolean passed, SmokeReport.Counts counts, long durationMillis,
                        List<RouteResult> routes, List<RouteResult> failures) {

    public static SmokeJson of(SmokeReport report) {
        return new SmokeJson(report.baseUrl(), report.passed(), report.counts(), report.durationMillis(),
                report.routes(), report.failures());
    }

    /**
     * Writes {@link #of} a report (the smoke step's {@code --json}) byte for byte as the JSON mapper writes it, with
     * the streaming generator alone: in the step's new JVM, introspecting these records cost more than writing 500
     * routes. {@code SmokeJsonTest} compares with the mapper, so a field added to the records and not here fails it.
     */
    public static void write(Path file, SmokeReport report) {
        Json.writeStreaming(file, json -> {
            json.writeStartObject();
            json.writeStringField("baseUrl", report.baseUrl());
            json.writeBooleanField("passed", report.passed());
            json.writeFieldName("counts");
            json.writeStartObject();
            json.writeNumberField("total", report.counts().total());
            json.writeNumberField("passed", report.counts().passed());
            json.writeNumberField("failed", report.counts().failed());
            json.writeEndObject();
            json.writeNumberField("durationMillis", report.durationMillis());
            writeRoutes(json, "routes", report.routes());
            writeRoutes(json, "failures", report.failures());
            json.writeEndObject();
        });
    }

    private static void writeRoutes(JsonGenerator json, String field, List<RouteResult> routes) throws IOException {
        json.writeArrayFieldStart(field);
        for (RouteResult route : routes) {
            json.writeStartObject();
            json.writeStringField("name", route.name());
            json.writeStringField("method", route.method());
            json.writeStringField("url", route.url());
            json.writeBooleanField("passed", route.passed());
            if (route.status() == null) {
                json.writeNullField("status");
            } else {
                json.writeNumberField("status", route.status());
            }
            json.writeNumberField("durationMillis", route.durationMillis());
            json.writeStringField("message", route.message());
            json.writeStringField("failure", route.failure());
            json.writeStringField("component", route.component());
            RepoPerson person = route.repoPerson();
            if (person == null) {
                json.writeNullField("repoPerson");
            } else {
                json.writeFieldName("repoPerson");
                json.writeStartObject();
                json.writeStringField("id", person.id());
                json.writeStringField("name", person.name());
                json.writeStringField("email", person.email());
                json.writeBooleanField("known", person.known());
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
