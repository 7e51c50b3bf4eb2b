package io.deployflow.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
    void recordsTheUserWhoStartedTheBuildTheBuildAndTheApprover() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.jsonl"));
        log.record("decision", List.of("decision", "--customer", "acme", "--by", "dev2", "--reason", "x"), 0,
                Map.of("DEPLOYFLOW_USER", "dev1", "USER", "jenkins", "BUILD_URL", "http://jenkins/job/r/7/"));
        log.record("approval check", List.of("approval", "check", "--by=po1"), 1, Map.of("DEPLOYFLOW_USER", "timer"));
        log.record("validate", List.of("validate"), 0, Map.of("USER", "alice"));
        List<JsonNode> lines = Files.readAllLines(log.file()).stream().map(AuditLogTest::json).toList();
        assertEquals("dev1", lines.get(0).get("user").asText(), "the library's DEPLOYFLOW_USER, not sh's USER");
        assertEquals("http://jenkins/job/r/7/", lines.get(0).get("build").asText());
        assertEquals("dev2", lines.get(0).get("approver").asText(), "a decision names who decided");
        assertEquals("timer", lines.get(1).get("user").asText(), "a build started by its timer");
        assertEquals("po1", lines.get(1).get("approver").asText());
        assertEquals("alice", lines.get(2).get("user").asText(), "outside Jenkins: the person at the terminal");
        assertEquals("", lines.get(2).get("build").asText());
        assertFalse(lines.get(2).has("approver"), "no approver where nobody decided");
    }

    private static JsonNode json(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void outcomesFollowTheExitCodeContract() {
        assertEquals("bad-input", AuditLog.outcome(2));
        assertEquals("outside-system-failed", AuditLog.outcome(3));
        assertEquals("internal-error", AuditLog.outcome(70));
        assertEquals("\"\\u0001\"", AuditLog.quote("\u0001"));
    }
}
