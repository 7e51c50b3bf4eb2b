package io.deployflow.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Json#readTree} reads without the mapper; it must give exactly the mapper's tree, or fail where it fails. */
class JsonTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"active\":true,\"deceased\":false,\"photo\":null}",
        "[1, -1, 2147483647, 2147483648, -9223372036854775808, 9223372036854775808, 123456789012345678901234567890]",
        "[1.0, 1e0, -0.5, 1.5E300, 0.1, 3.141592653589793238462643383279]",
        "{\"a\":{\"b\":[{\"c\":[[],{}]},\"x\"]},\"empty\":{},\"list\":[]}",
        "{\"same\":1,\"other\":2,\"same\":3}",
        "\"Zo\\u00eb \\\"quoted\\\" \\\\ tab\\t \\ud83d\\ude00 患者\"",
        "42",
        "",
        "   \n\t ",
        "{\"first\":1} {\"second\":2}",
        "[1,2] trailing words"
    })
    void givesTheMappersTree(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(Json.mapper().readTree(bytes), Json.readTree(bytes), text);
        assertEquals(Json.mapper().readTree(bytes).getClass(), Json.readTree(bytes).getClass(), "the same node kind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{\"a\" 1}", "[1,,2]", "{'single':1}", "nul", "[1,2"})
    void failsWhereTheMapperFails(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThrows(JsonProcessingException.class, () -> Json.mapper().readTree(bytes), "control: " + text);
        assertThrows(JsonProcessingException.class, () -> Json.readTree(bytes), text);
    }
}
