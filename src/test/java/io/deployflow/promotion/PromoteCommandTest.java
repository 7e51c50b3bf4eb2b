package io.deployflow.promotion;

import io.deployflow.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** promote through the CLI: PASS/FAIL per criterion, exit 1 for a refusal, exit 2 for bad input with its line. */
class PromoteCommandTest {
    @TempDir
    Path dir;

    String config(String promotion) throws Exception {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, PromotionFixture.TEAM + promotion);
        return file.toString();
    }

    @Test
    void checkPrintsEveryCriterionAndRefusesWithExit1() throws Exception {
        String config = config(PromotionFixture.ENVIRONMENTS);
        CliRun run = CliRun.of("promote", "check", "--config", config, "--service", "fhir-gateway", "--version",
                "1.3.0", "--to", "Production", "--at", "2026-12-24T20:00:00Z", "--json",
                dir.resolve("verdict.json").toString());
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("  FAIL       previous-environment: 1.3.0 has not been deployed to Pre-Prod"),
                run.err());
        assertTrue(run.err().contains("  FAIL       freeze: Production is frozen 2026-12-18 17:00 – 2027-01-04 08:00"),
                run.err());
        assertTrue(run.err().contains("  PASS       deployment-hours: Thu 2026-12-24 20:00 Europe/London is within"),
                run.err());
        assertTrue(run.err().contains("refused: unmet previous-environment, approval:release-dates-agreed, freeze;"
                + " deployments are next allowed at 2027-01-04T19:00Z; an emergency override needs the approval task"
                + " 'emergency-promotion' under the gate 'override fhir-gateway@1.3.0 to Production'"), run.err());
        assertTrue(Files.readString(dir.resolve("verdict.json")).contains("\"allMet\" : false"));
        assertFalse(Files.exists(dir.resolve(".deployflow/ledger/ledger.jsonl")), "check records nothing");
    }

    @Test
    void anUnknownEnvironmentIsExit2NamingTheLine() throws Exception {
        String config = config(PromotionFixture.ENVIRONMENTS);
        CliRun run = CliRun.of("promote", "start", "--config", config, "--service", "fhir-gateway", "--version",
                "1.3.0", "--to", "Prod");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains(config + ":24: promotion.environments: unknown environment 'Prod'"), run.err());
        assertFalse(Files.exists(dir.resolve(".deployflow/ledger/ledger.jsonl")), "nothing recorded");
    }

    @Test
    void overlappingFreezeWindowsAreExit2ForEveryCommand() throws Exception {
        String config = config("""
                promotion:
                  environments:
                    - name: Production
                      freeze:
                        - {from: "2026-12-20", until: "2026-12-31", reason: holidays}
                        - {from: "2026-12-24 12:00", until: "2026-12-26 12:00", reason: Christmas}
                """);
        for (String[] args : new String[][]{{"validate", "--config", config},
                {"promote", "check", "--config", config, "--service", "x", "--version", "1", "--to", "Production"}}) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args));
            assertTrue(run.err().contains(config + ":25: promotion.environments[0].freeze[1]: overlaps freeze[0] on"
                    + " line 24"), run.err());
        }
    }
}
