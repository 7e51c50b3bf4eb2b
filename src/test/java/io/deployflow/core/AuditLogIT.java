package io.deployflow.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit line the README promises, written by the shaded jar as a pipeline runs it: who ran the command
 * ({@code DEPLOYFLOW_USER}, else {@code USER}, else empty: Jenkins' sh has no USER) and from which build
 * ({@code BUILD_URL}), into {@code DEPLOYFLOW_AUDIT_LOG}.
 */
class AuditLogIT {
    @TempDir
    Path dir;

    JsonNode lastLine(Map<String, String> env) throws Exception {
        Path audit = dir.resolve("audit/audit.jsonl");
        ProcessBuilder builder = new ProcessBuilder(List.of("java", "-jar", System.getProperty("deployflow.jar"),
                "validate", "--config", dir.resolve("missing.yaml").toString())).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().keySet().removeIf(k -> k.equals("USER") || k.equals("BUILD_URL")
                || k.startsWith("DEPLOYFLOW_"));
        builder.environment().put("DEPLOYFLOW_AUDIT_LOG", audit.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), Files.readString(dir.resolve("out.txt")));
        List<String> lines = Files.readAllLines(audit);
        return Json.mapper().readTree(lines.get(lines.size() - 1));
    }

    @Test
    void theBuildsUserAndUrlAreRecordedWithTheCommandAndOutcome() throws Exception {
        JsonNode line = lastLine(Map.of("DEPLOYFLOW_USER", "dev1", "USER", "jenkins",
                "BUILD_URL", "https://ci.example.org/job/release/42/"));
        assertEquals("dev1", line.path("user").asText(), "DEPLOYFLOW_USER wins over the agent's USER");
        assertEquals("https://ci.example.org/job/release/42/", line.path("build").asText());
        assertEquals("validate", line.path("command").asText());
        assertEquals(2, line.path("exitCode").asInt());
        assertEquals("bad-input", line.path("outcome").asText());
        assertTrue(line.path("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), line.toString());
    }

    @Test
    void withoutDeployflowUserTheAgentsUserIsRecordedAndWithNeitherNobody() throws Exception {
        assertEquals("jenkins", lastLine(Map.of("USER", "jenkins")).path("user").asText());
        JsonNode nobody = lastLine(Map.of());
        assertEquals("", nobody.path("user").asText());
        assertEquals("", nobody.path("build").asText());
    }
}
