package io.deployflow.smoke;

import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The smoke step's JSON is written with the streaming generator, byte for byte what the mapper writes for
 * {@link SmokeJson#of} the same report: passed and failed routes, a route that got no answer (no status), a
 * repo-person known, unknown and absent, escapes and non-ASCII.
 */
class SmokeJsonTest {
    @TempDir
    Path dir;

    private static SmokeReport report(String lastMessage) {
        return new SmokeReport("https://fhir.example.org/r4", 1234, List.of(
                new RouteResult("patient-read", "GET", "https://fhir.example.org/r4/Patient/p1", true, 200, 12,
                        null, null, "fhir-gateway", null),
                new RouteResult("observation \"search\"", "POST", "https://fhir.example.org/r4/Observation/_search",
                        false, 500, 40, "expected 200, got 500", "status", "fhir-gateway",
                        new RepoPerson("dev1", "Dana Dev", "dana@example.org", true)),
                new RouteResult("terminology-lookup", "GET", "https://fhir.example.org/r4/CodeSystem/$lookup", false,
                        null, 10000, lastMessage, "timeout", null, RepoPerson.UNKNOWN)));
    }

    @Test
    void writesWhatTheMapperWrites() throws Exception {
        Path file = dir.resolve("smoke.json");
        SmokeJson.write(file, report("no answer within 10s — Zoë's route"));
        assertEquals(Json.mapper().writeValueAsString(SmokeJson.of(report("no answer within 10s — Zoë's route"))),
                Files.readString(file));
    }

    @Test
    void anotherReportIsNotWrittenTheSame() throws Exception {
        Path file = dir.resolve("smoke.json");
        SmokeJson.write(file, report("other"));
        assertNotEquals(Json.mapper().writeValueAsString(SmokeJson.of(report("one"))), Files.readString(file));
    }
}
