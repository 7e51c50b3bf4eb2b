package io.deployflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** approval, ledger and the ledger hooks through the CLI in process: exit codes, messages, files. */
class ApprovalCommandTest {
    static final String TEAM = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
              - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
            components:
              - {name: fhir-gateway, repo: file:///g, image: registry.example.org/fhir/fhir-gateway}
            customers:
              - {name: acme, repo: file:///acme, contacts: [ops@acme.example]}
            decision: {deciders: [dev1]}
            """;
    static final String POLICY = """
            approval:
              roles:
                product-owner: [po1, po2]
              tasks:
                sign-off:
                  responsible: product-owner
                  quorum: 2
                  checklist: [UAT signed off]
            """;

    @TempDir
    Path dir;

    private Path config(String more) throws Exception {
        return Files.writeString(dir.resolve("deployflow.yaml"), TEAM + more);
    }

    private Path ledgerFile() {
        return dir.resolve(".deployflow/ledger/ledger.jsonl");
    }

    private CliRun approval(String sub, String... extra) {
        List<String> args = new ArrayList<>(List.of("approval", sub, "--config", dir.resolve("deployflow.yaml")
                .toString(), "--task", "sign-off", "--build", "http://jenkins/job/r/9/", "--started-by", "dev1",
                "--json", dir.resolve(sub + ".json").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private JsonNode json(String sub) throws Exception {
        return Json.mapper().readTree(dir.resolve(sub + ".json").toFile());
    }

    @Test
    void aGateIsOpenedAnsweredAndApprovedThroughTheCli() throws Exception {
        config(POLICY);
        CliRun open = approval("open", "--message", "Sign off 1.3.0", "--link", "Release notes=http://j/n.html");
        assertEquals(0, open.exitCode(), open.err());
        assertEquals("po1,po2", json("open").get("submitter").asText());
        assertEquals("UAT signed off", json("open").at("/checklist/0").asText());

        CliRun first = approval("check", "--answer", "approve", "--by", "po1", "--checked", "UAT signed off");
        assertEquals(1, first.exitCode(), "pending is not approved: " + first.err());
        assertTrue(first.err().contains("approval sign-off: pending: 1 of 2 approvals (po1)"), first.err());
        CliRun outsider = approval("check", "--answer", "approve", "--by", "admin", "--checked", "UAT signed off");
        assertEquals(1, outsider.exitCode());
        assertTrue(outsider.err().contains("approve by admin refused: admin may not answer 'sign-off'"),
                outsider.err());
        CliRun second = approval("check", "--answer", "approve", "--by", "po2", "--checked", "UAT signed off");
        assertEquals(0, second.exitCode(), second.err());
        assertEquals("approved", json("check").get("status").asText());
        assertEquals(0, approval("status").exitCode());
        assertEquals(4, Files.readAllLines(ledgerFile()).size(), "the request and three answers");

        CliRun verify = CliRun.of("ledger", "verify", "--config", dir.resolve("deployflow.yaml").toString());
        assertEquals(0, verify.exitCode(), verify.err());
        assertTrue(verify.err().contains("ledger intact: 4 entries"), verify.err());
    }

    @Test
    void anUnknownRoleIsBadInputNamingFileLineAndFieldAndNothingIsRecorded() throws Exception {
        Path config = config(POLICY.replace("responsible: product-owner", "responsible: product-ownr"));
        CliRun run = approval("open");
        assertEquals(2, run.exitCode());
        int line = Files.readAllLines(config).indexOf("      responsible: product-ownr") + 1;
        assertTrue(run.err().contains(config + ":" + line + ": approval.tasks.sign-off.responsible: unknown role"
                + " 'product-ownr'; did you mean 'product-owner'?"), run.err());
        assertFalse(Files.exists(ledgerFile()));
    }

    @Test
    void aQuorumLargerThanTheRoleIsBadInputNamingFileLineAndField() throws Exception {
        Path config = config(POLICY.replace("quorum: 2", "quorum: 3"));
        CliRun run = approval("check", "--answer", "approve", "--by", "po1");
        assertEquals(2, run.exitCode());
        int line = Files.readAllLines(config).indexOf("      quorum: 3") + 1;
        assertTrue(run.err().contains(config + ":" + line + ": approval.tasks.sign-off.quorum: 3 approvals needed,"
                + " but only 2 people may approve (roles product-owner: po1, po2)"), run.err());
        assertFalse(Files.exists(ledgerFile()));
    }

    @Test
    void anUnknownTaskIsBadInputNamingFileLineAndField() throws Exception {
        Path config = config(POLICY);
        CliRun run = CliRun.of("approval", "check", "--config", config.toString(), "--task", "sign-of",
                "--answer", "approve", "--by", "po1");
        assertEquals(2, run.exitCode());
        int line = Files.readAllLines(config).indexOf("    sign-off:") + 1;
        assertTrue(run.err().contains(config + ":" + line + ": approval.tasks: unknown task 'sign-of'; did you mean"
                + " 'sign-off'?"), run.err());
        assertTrue(run.err().contains("Nothing was changed."), run.err());
        assertFalse(Files.exists(ledgerFile()));
        CliRun badAnswer = approval("check", "--answer", "maybe", "--by", "po1");
        assertEquals(2, badAnswer.exitCode());
        assertTrue(badAnswer.err().contains("--answer: must be one of approve, reject, timeout, abort"),
                badAnswer.err());
    }

    @Test
    void aDecisionIsRecordedInTheLedgerAndShowsInTheHistory() throws Exception {
        Path config = config("");
        CliRun decided = CliRun.of("decision", "--config", config.toString(), "--customer", "acme", "--choice",
                "release-with-error", "--by", "dev1", "--reason", "known issue FHIR-88 | tracked", "--component",
                "fhir-gateway");
        assertEquals(0, decided.exitCode(), decided.err());
        assertTrue(decided.err().contains("ledger: decision recorded as entry 1"), decided.err());
        JsonNode entry = Json.mapper().readTree(Files.readAllLines(ledgerFile()).get(0));
        assertEquals("decision", entry.get("type").asText());
        assertEquals("release-with-error", entry.at("/data/choice").asText());
        assertEquals("dev1", entry.at("/data/decidedBy/id").asText());

        Path md = dir.resolve("out/history.md");
        assertEquals(0, CliRun.of("ledger", "history", "--config", config.toString(), "--out", md.toString())
                .exitCode());
        String table = Files.readString(md);
        assertTrue(table.contains("| Deployment ID | Date | What | Customer / task | Version | Status | By | Reason |"),
                table);
        assertTrue(table.contains("| Decision | acme |  | release-with-error | dev1 | known issue FHIR-88 \\| tracked |"),
                table);
        Path html = dir.resolve("out/history.html");
        assertEquals(0, CliRun.of("ledger", "history", "--config", config.toString(), "--out", html.toString())
                .exitCode());
        assertTrue(Files.readString(html).contains("<td>known issue FHIR-88 | tracked</td>"));

        // a refused decision changes nothing, in the ledger either
        assertEquals(2, CliRun.of("decision", "--config", config.toString(), "--customer", "acme", "--choice",
                "retry", "--by", "dev2", "--reason", "x", "--component", "fhir-gateway").exitCode());
        assertEquals(1, Files.readAllLines(ledgerFile()).size());
    }

    @Test
    void verifyExitsOneAndNamesTheTamperedLine() throws Exception {
        Path config = config(POLICY);
        approval("open");
        approval("check", "--answer", "reject", "--by", "po1", "--reason", "UAT found a blocker");
        List<String> lines = new ArrayList<>(Files.readAllLines(ledgerFile()));
        lines.set(1, lines.get(1).replace("UAT found a blocker", "all fine"));
        Files.write(ledgerFile(), lines);
        CliRun verify = CliRun.of("ledger", "verify", "--config", config.toString(), "--json",
                dir.resolve("verify.json").toString());
        assertEquals(1, verify.exitCode());
        assertTrue(verify.err().contains("ledger: edited: line 2 (entry 2, approval) was edited"), verify.err());
        assertFalse(Json.mapper().readTree(dir.resolve("verify.json").toFile()).get("intact").asBoolean());
    }
}
