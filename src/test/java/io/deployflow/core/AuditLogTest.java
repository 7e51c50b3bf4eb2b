package io.deployflow.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void appendsOneParseableLinePerCommand() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("nested/audit.jsonl"));
        log.record("portainer deploy", List.of("portainer", "deploy", "--customer", "a\"c\\me\n"), 1);
        log.record("validate", List.of("validate"), 0);
        List<String> lines = Files.readAllLines(log.file());
        assertEquals(2, lines.size());
        JsonNode first = Json.mapper().readTree(lines.get(0));
        assertEquals("portainer deploy", first.get("command").asText());
        assertEquals("a\"c\\me\n", first.get("args").get(3).asText());
        assertEquals(1, first.get("exitCode").asInt());
        assertEquals("check-failed", first.get("outcome").asText());
        assertEquals("ok", Json.mapper().readTree(lines.get(1)).get("outcome").asText());
    }

    @Test
    void outcomesFollowTheExitCodeContract() {
        assertEquals("bad-input", AuditLog.outcome(2));
        assertEquals("outside-system-failed", AuditLog.outcome(3));
        assertEquals("internal-error", AuditLog.outcome(70));
        assertEquals("\"\\u0001\"", AuditLog.quote("\u0001"));
    }
}
