package io.deployflow.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonPathTest {
    private static final JsonNode DOC = read("""
            {"resourceType":"Bundle","total":2,"entry":[{"resource":{"id":"a","name":[{"family":"Doe"}]}},
             {"resource":{"id":"b"}}],"odd key":{"x":true},"text":"abc"}
            """);

    @Test
    void followsFieldsIndexesAndLength() {
        assertEquals("Bundle", JsonPath.parse("$.resourceType").evaluate(DOC).textValue());
        assertEquals("b", JsonPath.parse("$.entry[1].resource.id").evaluate(DOC).textValue());
        assertEquals("Doe", JsonPath.parse("$.entry[0].resource.name[0].family").evaluate(DOC).textValue());
        assertEquals(true, JsonPath.parse("$['odd key'].x").evaluate(DOC).booleanValue());
        assertEquals(2, JsonPath.parse("$.entry.length()").evaluate(DOC).intValue());
        assertEquals(3, JsonPath.parse("$.text.length()").evaluate(DOC).intValue());
        assertEquals(DOC, JsonPath.parse("$").evaluate(DOC));
    }

    @Test
    void aPathToNothingGivesNull() {
        assertNull(JsonPath.parse("$.entry[5].resource").evaluate(DOC));
        assertNull(JsonPath.parse("$.total.x").evaluate(DOC));
        assertNull(JsonPath.parse("$.resourceType[0]").evaluate(DOC));
        assertNull(JsonPath.parse("$.total.length()").evaluate(DOC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resourceType", "$.a..b", "$.a[*]", "$..a", "$.a[?(@.x)]", "$.a.size()",
            "$.a.length().b", "$.a[-1]", "$.", "$[0", ""})
    void refusesWhatItDoesNotSupport(String path) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(path));
        assertEquals(true, e.getMessage().contains("$.a.b") || e.getMessage().contains("length()"), e.getMessage());
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
