package io.deployflow.delivery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CustomerVersionTest {
    static final String GW = "registry.example.org/fhir/fhir-gateway";
    static final String TERM = "registry.example.org/fhir/terminology";
    static final Optional<CustomerVersion> V1_4_2 = Optional.of(new CustomerVersion(1, 4, 2));

    @Test
    void theFirstDeliveryIsOnePointZero() {
        assertEquals("1.0.0", CustomerVersion.next(Optional.empty(), Map.of(), Map.of(GW, "1.0.0")).toString());
    }

    @Test
    void latestIsTheHighestSemanticVersionTagWithThePrefix() {
        assertEquals("1.10.0", CustomerVersion.latest(List.of("v1.9.3", "v1.10.0", "v1.2.0", "release-9.0.0",
                "v2.0", "latest")).orElseThrow().toString());
    }

    @Test
    void patchUpdatesOfImagesArePatchReleases() {
        assertEquals("1.4.3", CustomerVersion.next(V1_4_2, Map.of(GW, "1.2.0", TERM, "2.0.0"),
                Map.of(GW, "1.2.1", TERM, "2.0.0")).toString());
    }

    @Test
    void configurationOnlyChangesArePatchReleases() {
        assertEquals("1.4.3", CustomerVersion.next(V1_4_2, Map.of(GW, "1.2.0"), Map.of(GW, "1.2.0")).toString());
    }

    @Test
    void aMinorOrMajorImageUpdateIsAMinorRelease() {
        assertEquals("1.5.0", CustomerVersion.next(V1_4_2, Map.of(GW, "1.2.0", TERM, "2.0.0"),
                Map.of(GW, "1.3.0", TERM, "2.0.1")).toString());
        assertEquals("1.5.0", CustomerVersion.next(V1_4_2, Map.of(GW, "v1.2.0"), Map.of(GW, "v2.0.0")).toString());
    }

    @Test
    void anAddedOrRemovedImageOrANonSemanticTagIsAMinorRelease() {
        assertEquals("1.5.0", CustomerVersion.next(V1_4_2, Map.of(GW, "1.2.0"),
                Map.of(GW, "1.2.0", TERM, "2.0.0")).toString());
        assertEquals("1.5.0", CustomerVersion.next(V1_4_2, Map.of(GW, "1.2.0", TERM, "2.0.0"),
                Map.of(GW, "1.2.0")).toString());
        assertEquals("1.5.0", CustomerVersion.next(V1_4_2, Map.of(GW, "1.2.0"), Map.of(GW, "nightly")).toString());
    }
}
