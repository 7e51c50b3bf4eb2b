package io.deployflow.delivery;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComposeSummaryTest {
    static final String COMPOSE = """
            services:
              gateway:
                image: ${REGISTRY:-registry.example.org}/fhir/fhir-gateway:${GW_VERSION}
                ports:
                  - "8080:8080"
                  - {target: 9090, published: 19090}
                environment:
                  - LOG_LEVEL=${LOG_LEVEL}
                  - PLAIN=1
              db:
                image: postgres@sha256:abc
                environment: {POSTGRES_PASSWORD: $DB_PASSWORD}
              app:
                build: ./app
            """;

    @Test
    void readsServicesImagesPortsAndVariables() {
        ComposeSummary summary = ComposeSummary.parse("c.yml", COMPOSE, Map.of("GW_VERSION", "1.3.0", "UNUSED", "x"));

        ComposeSummary.Service gateway = summary.services().get(0);
        assertEquals("registry.example.org/fhir/fhir-gateway:1.3.0", gateway.image());
        assertEquals("registry.example.org/fhir/fhir-gateway", gateway.repository());
        assertEquals("1.3.0", gateway.tag());
        assertEquals(List.of("8080:8080", "19090:9090"), gateway.ports());
        assertEquals(List.of("LOG_LEVEL", "PLAIN"), gateway.environment());
        assertEquals(Set.of("REGISTRY", "GW_VERSION", "LOG_LEVEL"), gateway.variables());
        ComposeSummary.Service db = summary.services().get(1);
        assertEquals("postgres", db.repository());
        assertEquals("latest", db.tag());
        assertEquals(Set.of("DB_PASSWORD"), db.variables());
        assertNull(summary.services().get(2).image(), "built from source");
        assertEquals(Map.of("UNUSED", List.of(), "REGISTRY", List.of("gateway"), "GW_VERSION", List.of("gateway"),
                "LOG_LEVEL", List.of("gateway"), "DB_PASSWORD", List.of("db")), summary.variableUsers());
    }

    @Test
    void anImageWhoseTagCannotBeResolvedHasNoTag() {
        ComposeSummary summary = ComposeSummary.parse("c.yml", COMPOSE, Map.of());

        assertNull(summary.services().get(0).tag());
        assertEquals(Map.of("postgres", "latest"), summary.tagsByRepository());
    }

    @Test
    void interpolatesLikeCompose() {
        assertEquals("a-b", ComposeSummary.interpolate("${X:-a}-${Y-b}", Map.of("X", "")));
        assertEquals("-b", ComposeSummary.interpolate("${X-a}-${Y-b}", Map.of("X", "")));
        assertEquals("${Z}", ComposeSummary.interpolate("${Z}", Map.of()));
    }

    @Test
    void aFileWithoutServicesIsBadInputNamingIt() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ComposeSummary.parse("tested.yml", "version: '3'\nvolumes: {}\n", Map.of()));

        assertEquals("tested.yml", e.file());
        assertTrue(e.getMessage().contains("services"), e.getMessage());
    }
}
