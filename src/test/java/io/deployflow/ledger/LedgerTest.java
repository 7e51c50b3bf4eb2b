package io.deployflow.ledger;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerTest {
    static final Map<String, String> ENV = Map.of("DEPLOYFLOW_USER", "dev1",
            "BUILD_URL", "http://jenkins.example/job/release/42/");

    @TempDir
    Path dir;

    private Ledger local() {
        DeployflowConfig config = LedgerFixture.config(dir, "");
        return LedgerFixture.ledger(config, dir.resolve("cache"), ENV);
    }

    private Path ledgerFile() {
        return dir.resolve(".deployflow/ledger/ledger.jsonl");
    }

    /** Five entries written through the API, then the file's lines, for a test to tamper with. */
    private List<String> fiveLines() throws Exception {
        Ledger ledger = local();
        for (int i = 1; i <= 5; i++) {
            ledger.append("deploy", Map.of("customer", "acme", "version", "1.0." + i, "status", "deployed"));
        }
        assertTrue(ledger.verify().intact(), "the untouched ledger verifies");
        return new ArrayList<>(Files.readAllLines(ledgerFile()));
    }

    private LedgerVerifier.Report tampered(List<String> lines) throws Exception {
        Files.write(ledgerFile(), lines);
        return local().verify();
    }

    @Test
    void entriesAreChainedNumberedAndCarryUserAndBuild() {
        Ledger ledger = local();
        LedgerEntry first = ledger.append("deploy", Map.of("customer", "acme", "status", "deployed"));
        LedgerEntry second = ledger.append("rollback", Map.of("customer", "acme", "reason", "5xx on /Patient"));
        assertEquals(1, first.seq());
        assertEquals(LedgerEntry.GENESIS, first.prev());
        assertEquals(2, second.seq());
        assertEquals(first.hash(), second.prev());
        assertEquals("dev1", second.user());
        assertEquals("http://jenkins.example/job/release/42/", second.build());
        List<LedgerEntry> read = ledger.entries();
        assertEquals(List.of(first, second), read);
        assertEquals("5xx on /Patient", read.get(1).text("reason"));
        assertTrue(ledger.where().endsWith(".deployflow/ledger: ledger.jsonl"), ledger.where());
    }

    @Test
    void verifyNamesAnEditedLine() throws Exception {
        List<String> lines = fiveLines();
        lines.set(2, lines.get(2).replace("1.0.3", "1.0.9"));
        LedgerVerifier.Report report = tampered(lines);
        assertFalse(report.intact());
        assertEquals(1, report.problems().size(), report.problems().toString());
        LedgerVerifier.Problem problem = report.problems().get(0);
        assertEquals(3, problem.line());
        assertEquals("edited", problem.kind());
        assertTrue(problem.message().startsWith("line 3 (entry 3, deploy) was edited"), problem.message());
    }

    @Test
    void verifyNamesAnEditedLineWhoseHashWasRecomputed() throws Exception {
        List<String> lines = fiveLines();
        LedgerEntry original = LedgerEntry.parse(lines.get(1));
        LedgerEntry forged = LedgerEntry.seal(LedgerEntry.parse(lines.get(0)), original.time(), original.type(),
                original.user(), original.build(), Map.of("customer", "acme", "version", "6.6.6",
                        "status", "deployed"));
        lines.set(1, forged.toLine());
        LedgerVerifier.Report report = tampered(lines);
        assertEquals(List.of("edited"), report.problems().stream().map(LedgerVerifier.Problem::kind).toList());
        assertEquals(2, report.problems().get(0).line(), report.problems().toString());
        assertTrue(report.problems().get(0).message().contains("line 2 (entry 2) was replaced"),
                report.problems().get(0).message());
    }

    @Test
    void verifyNamesARemovedLine() throws Exception {
        List<String> lines = fiveLines();
        lines.remove(1);
        LedgerVerifier.Report report = tampered(lines);
        assertEquals(List.of("removed"), report.problems().stream().map(LedgerVerifier.Problem::kind).toList());
        assertEquals("entry 2 removed: missing before line 2 (entry 3)", report.problems().get(0).message());
    }

    @Test
    void verifyNamesReorderedLines() throws Exception {
        List<String> lines = fiveLines();
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        LedgerVerifier.Report report = tampered(lines);
        assertEquals(List.of("reordered"), report.problems().stream().map(LedgerVerifier.Problem::kind).toList());
        assertEquals("entries reordered: line 3 holds entry 4, line 4 holds entry 3",
                report.problems().get(0).message());
    }

    @Test
    void verifyNamesADuplicatedAndAMalformedLine() throws Exception {
        List<String> lines = fiveLines();
        lines.add(lines.get(4));
        lines.add(2, "not json at all");
        LedgerVerifier.Report report = tampered(lines);
        List<String> kinds = report.problems().stream().map(LedgerVerifier.Problem::kind).toList();
        assertTrue(kinds.contains("malformed") && kinds.contains("duplicated"), report.problems().toString());
        assertTrue(report.problems().get(0).message().startsWith("line 3 is not a ledger entry"),
                report.problems().get(0).message());
    }

    @Test
    void appendingAfterTamperingKeepsTheChainFromTheLastLine() throws Exception {
        fiveLines();
        LedgerEntry sixth = local().append("deploy", Map.of("customer", "acme"));
        assertEquals(6, sixth.seq());
        assertTrue(local().verify().intact());
    }

    @Test
    void noSecretValueReachesTheLedgerOrARecord() throws Exception {
        DeployflowConfig config = LedgerFixture.config(dir, """
                notify:
                  webhooks:
                    - {name: release-channel, urlEnv: RELEASE_WEBHOOK}
                """);
        Map<String, String> env = Map.of("DEPLOYFLOW_USER", "dev1",
                "DEPLOYFLOW_GIT_PASSWORD", "git-Pa55-SECRET",
                "PORTAINER_API_KEY", "ptr_KEY-SECRET-0042",
                "RELEASE_WEBHOOK", "https://hooks.example/T0/B0/SECRETWEBHOOKTOKEN",
                "DEPLOY_REGION", "eu-central-control");   // the control: not secret-looking, so it stays
        Ledger ledger = LedgerFixture.ledger(config, dir.resolve("cache"), env);
        ledger.append("decision", Map.of("reason", "pasted by mistake: git-Pa55-SECRET and ptr_KEY-SECRET-0042 in"
                + " eu-central-control", "nested", List.of(Map.of("url",
                "https://hooks.example/T0/B0/SECRETWEBHOOKTOKEN"))));
        ledger.writeRecord("portainer/acme/rollback.json", "{\"token\":\"ptr_KEY-SECRET-0042\"}", "rollback point");
        String everything = Files.readString(ledgerFile())
                + Files.readString(dir.resolve(".deployflow/ledger/portainer/acme/rollback.json"));
        for (String secret : List.of("git-Pa55-SECRET", "ptr_KEY-SECRET-0042", "SECRETWEBHOOKTOKEN")) {
            assertFalse(everything.contains(secret), "secret in the ledger: " + secret + "\n" + everything);
        }
        assertTrue(everything.contains("eu-central-control"), "the control value is kept: the test can see values");
        assertTrue(everything.contains("pasted by mistake: *** and *** in eu-central-control"), everything);
        assertTrue(ledger.verify().intact());
    }

    @Test
    void recordsLiveBesideTheLedgerAndAreChainedByTheirHash() {
        Ledger ledger = local();
        LedgerEntry entry = ledger.writeRecord("rca/2026-11-23-acme.md", "# RCA\nroot cause: config\n", "RCA acme");
        assertEquals("record", entry.type());
        assertEquals("rca/2026-11-23-acme.md", entry.text("path"));
        assertEquals(Sha256.hex("# RCA\nroot cause: config\n"), entry.text("sha256"));
        assertEquals("# RCA\nroot cause: config\n", ledger.readRecord("rca/2026-11-23-acme.md").orElseThrow());
        assertTrue(ledger.readRecord("rca/none.md").isEmpty());
        for (String bad : List.of("../outside", "/etc/passwd", "ledger.jsonl", "a/../b")) {
            assertThrows(io.deployflow.core.BadInputException.class, () -> ledger.writeRecord(bad, "x", "x"), bad);
        }
    }

    @Test
    void concurrentLocalWritersLoseNothing() throws Exception {
        DeployflowConfig config = LedgerFixture.config(dir, "");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                Ledger ledger = LedgerFixture.ledger(config, dir.resolve("cache"), ENV);
                for (int i = 0; i < 10; i++) {
                    ledger.append("deploy", Map.of("writer", writer, "n", i));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<LedgerEntry> entries = local().entries();
        assertEquals(40, entries.size());
        assertTrue(local().verify().intact());
    }
}
