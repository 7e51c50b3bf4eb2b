package io.deployflow.registry;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageReferenceTest {
    @Test
    void firstSegmentIsTheRegistryOnlyWhenItLooksLikeAHost() {
        assertEquals(new ImageReference("registry.example.org", "fhir/fhir-gateway"),
                ImageReference.parse("registry.example.org/fhir/fhir-gateway"));
        assertEquals(new ImageReference("127.0.0.1:5000", "acme/tiny"), ImageReference.parse("127.0.0.1:5000/acme/tiny"));
        assertEquals(new ImageReference("localhost", "tiny"), ImageReference.parse("localhost/tiny"));
        assertEquals(new ImageReference("registry-1.docker.io", "acme/tiny"), ImageReference.parse("acme/tiny"));
    }

    @Test
    void dockerHubSingleNamesLiveUnderLibrary() {
        assertEquals(new ImageReference("registry-1.docker.io", "library/nginx"), ImageReference.parse("nginx"));
        assertEquals(new ImageReference("registry-1.docker.io", "library/nginx"),
                ImageReference.parse("docker.io/nginx"));
        assertEquals(new ImageReference("registry-1.docker.io", "bitnami/nginx"),
                ImageReference.parse("docker.io/bitnami/nginx"));
    }

    @Test
    void hostWithoutPortDecidesHttp() {
        assertEquals("127.0.0.1", ImageReference.parse("127.0.0.1:5000/a").host());
        assertEquals("registry.example.org", ImageReference.parse("registry.example.org/a").host());
    }

    @Test
    void tagsDigestsAndUppercaseAreRefused() {
        for (String bad : new String[] {"", "nginx:1.25", "nginx@sha256:abc", "Registry.example.org/A"}) {
            BadInputException e = assertThrows(BadInputException.class, () -> ImageReference.parse(bad), bad);
            assertEquals("image", e.field());
        }
    }

    @Test
    void challengesParseQuotedValuesWithCommas() {
        AuthChallenge bearer = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service="
                + "\"registry.docker.io\",scope=\"repository:library/nginx:pull,push\"").orElseThrow();
        assertEquals(true, bearer.isBearer());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/nginx:pull,push"), bearer.parameters());
        AuthChallenge basic = AuthChallenge.parse("Basic realm=\"deployflow\"").orElseThrow();
        assertEquals(false, basic.isBearer());
        assertEquals("deployflow", basic.realm());
        assertEquals(true, AuthChallenge.parse("Negotiate abc").isEmpty());
        assertEquals(true, AuthChallenge.parse(null).isEmpty());
    }
}
