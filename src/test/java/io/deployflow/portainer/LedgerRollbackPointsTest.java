package io.deployflow.portainer;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerEntry;
import io.deployflow.ledger.LedgerFixture;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback points beside a git ledger (a bare repository written by JGit), as one agent keeps them and another finds
 * them.
 */
class LedgerRollbackPointsTest {
    static final RollbackPoint POINT = new RollbackPoint("acme", "https://portainer.example.org", 3, 12,
            "acme-team-fhir-stack", "2026-11-23T10:00:00Z", null, "services:\n  gateway:\n    image: gw:${V}\n",
            List.of("DB_PASSWORD"), Map.of("V", "1.2.0"), List.of());

    @TempDir
    Path dir;
    DeployflowConfig config;

    @BeforeEach
    void ledgerRepository() throws Exception {
        Path bare = dir.resolve("ledger.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
        config = LedgerFixture.config(dir, "ledger: {repo: '" + bare + "'}\n");
    }

    /** An agent: its own clone of the ledger repository. */
    LedgerRollbackPoints agent(String name) {
        return new LedgerRollbackPoints(LedgerFixture.ledger(config, dir.resolve(name), Map.of("DEPLOYFLOW_USER",
                "dev1")));
    }

    @Test
    void aPointOneAgentKeepsAnotherFindsByCustomerAndStack() throws Exception {
        agent("agent-1").save(POINT);

        LedgerRollbackPoints other = agent("agent-2");
        assertEquals(POINT, other.find("acme", "acme-team-fhir-stack"));
        assertNull(other.find("acme", "another-stack"), "found by customer and stack");
        assertNull(other.find("st-mary", "acme-team-fhir-stack"));
        assertEquals(5, other.lineOf("acme", "acme-team-fhir-stack", "stackId"));
        String where = other.where("acme", "acme-team-fhir-stack");
        assertTrue(where.startsWith("portainer/acme/acme-team-fhir-stack/rollback-point.json beside the ledger ("),
                where);

        Ledger ledger = LedgerFixture.ledger(config, dir.resolve("agent-3"), Map.of());
        LedgerEntry record = ledger.entries().get(0);
        assertEquals("record", record.type());
        assertEquals("portainer/acme/acme-team-fhir-stack/rollback-point.json", record.text("path"));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(POINT.text().getBytes(StandardCharsets.UTF_8)));
        assertEquals(sha256, record.text("sha256"), "the record entry seals the point");
        assertTrue(ledger.verify().intact(), ledger.verify().toString());
    }

    @Test
    void aLaterDeployReplacesThePointAndTheLedgerKeepsBothVersions() {
        agent("agent-1").save(POINT);
        RollbackPoint later = new RollbackPoint("acme", POINT.portainerUrl(), 3, 12, POINT.stackName(),
                "2026-11-30T10:00:00Z", null, POINT.stackFileContent(), List.of("DB_PASSWORD"), Map.of("V", "1.3.0"),
                List.of());
        agent("agent-2").save(later);

        assertEquals(later, agent("agent-1").find("acme", "acme-team-fhir-stack"), "the newest point, on any agent");
        assertEquals(2, LedgerFixture.ledger(config, dir.resolve("agent-3"), Map.of()).entries().size(),
                "one record entry per version");
    }

    @Test
    void noPointIsExit2NamingWhereItWasLookedFor() {
        BadInputException e = assertThrows(BadInputException.class, () -> agent("agent-1").load("acme",
                "acme-team-fhir-stack"));
        assertTrue(e.getMessage().startsWith("portainer/acme/acme-team-fhir-stack/rollback-point.json beside the"
                + " ledger ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("no rollback point for customer 'acme' (stack 'acme-team-fhir-stack'): a"
                + " 'portainer deploy' keeps it beside the ledger before it changes the stack; no deploy of this stack"
                + " has kept one since the ledger repository was set"), e.getMessage());
    }

    @Test
    void aRecordThatIsNotARollbackPointIsExit2WithItsLine() {
        LedgerFixture.ledger(config, dir.resolve("agent-1"), Map.of()).writeRecord(
                LedgerRollbackPoints.recordPath("acme", "acme-team-fhir-stack"),
                "{\n  \"customer\": \"acme\",\n  oops\n}\n", "hand-edited");
        BadInputException e = assertThrows(BadInputException.class, () -> agent("agent-2").find("acme",
                "acme-team-fhir-stack"));
        assertTrue(e.getMessage().contains("rollback-point.json beside the ledger ("), e.getMessage());
        assertTrue(e.getMessage().contains(":3: not a rollback point: "), e.getMessage());

        LedgerFixture.ledger(config, dir.resolve("agent-1"), Map.of()).writeRecord(
                LedgerRollbackPoints.recordPath("acme", "acme-team-fhir-stack"), "{\"customer\": \"acme\"}\n", "empty");
        BadInputException empty = assertThrows(BadInputException.class, () -> agent("agent-2").find("acme",
                "acme-team-fhir-stack"));
        assertTrue(empty.getMessage().contains("stackFileContent: the rollback point holds no stack file and no git"
                + " reference"), empty.getMessage());
    }
}
