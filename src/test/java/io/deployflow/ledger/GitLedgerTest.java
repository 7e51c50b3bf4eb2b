package io.deployflow.ledger;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Sha256;
import io.deployflow.testpeers.GitDaemonPeer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger in a real git repository served by {@code git daemon}, written by JGit over git://. */
class GitLedgerTest {
    @TempDir
    Path dir;

    private DeployflowConfig config(String url) {
        return LedgerFixture.config(dir, "ledger:\n  repo: " + url + "\n  branch: records\n  path: deploy/ledger.jsonl\n");
    }

    private static Path bareRepo(Path served, String name) throws Exception {
        Path repo = served.resolve(name);
        Git.init().setBare(true).setDirectory(repo.toFile()).call().close();
        return repo;
    }

    private static String remoteFile(Path bare, String branch, String path) throws Exception {
        try (Git git = Git.open(bare.toFile())) {
            var repo = git.getRepository();
            var commit = repo.parseCommit(repo.resolve("refs/heads/" + branch));
            try (var tree = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, path, commit.getTree())) {
                return tree == null ? null : new String(repo.open(tree.getObjectId(0)).getBytes(),
                        StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void twoWritersAtOnceLoseNothing() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Path bare = bareRepo(served, "ledger.git");
        try (GitDaemonPeer daemon = GitDaemonPeer.start(served)) {
            DeployflowConfig config = config(daemon.url("ledger.git"));
            int perWriter = 12;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> writers = new ArrayList<>();
            for (String agent : List.of("agent-a", "agent-b")) {
                writers.add(pool.submit(() -> {
                    // each writer has its own clone, as two Jenkins agents would: they only meet at the remote
                    Ledger ledger = LedgerFixture.ledger(config, dir.resolve(agent), Map.of("DEPLOYFLOW_USER",
                            agent));
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        ledger.append("deploy", Map.of("customer", "acme", "writer", agent, "n", i));
                    }
                    return null;
                }));
            }
            java.io.PrintStream err = System.err;
            java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(progress, true, StandardCharsets.UTF_8));
            try {
                start.countDown();
                for (Future<?> writer : writers) {
                    writer.get();
                }
            } finally {
                System.setErr(err);
                pool.shutdown();
            }
            assertTrue(progress.toString(StandardCharsets.UTF_8).contains("moved on"),
                    "the writers really raced: at least one push was refused and written again on top");

            Ledger reader = LedgerFixture.ledger(config, dir.resolve("reader"), Map.of());
            List<LedgerEntry> entries = reader.entries();
            assertEquals(2 * perWriter, entries.size());
            Set<String> written = new HashSet<>();
            entries.forEach(e -> written.add(e.text("writer") + "#" + e.text("n")));
            for (String agent : List.of("agent-a", "agent-b")) {
                for (int i = 0; i < perWriter; i++) {
                    assertTrue(written.contains(agent + "#" + i), "lost: " + agent + " entry " + i);
                }
            }
            for (int i = 0; i < entries.size(); i++) {
                assertEquals(i + 1, entries.get(i).seq());
            }
            LedgerVerifier.Report report = reader.verify();
            assertTrue(report.intact(), report.problems().toString());
            assertEquals(2 * perWriter, report.versions(), "one commit per entry, each only appending");
            assertEquals(String.join("", entries.stream().map(e -> e.toLine() + "\n").toList()),
                    remoteFile(bare, "records", "deploy/ledger.jsonl"), "the remote holds exactly the chain");
        }
    }

    @Test
    void aRewriteThatRecomputedEveryHashIsFoundInTheHistoryAndNamedByItsCommit() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        bareRepo(served, "ledger.git");
        try (GitDaemonPeer daemon = GitDaemonPeer.start(served)) {
            DeployflowConfig config = config(daemon.url("ledger.git"));
            Ledger ledger = LedgerFixture.ledger(config, dir.resolve("cache"), Map.of("DEPLOYFLOW_USER", "dev1"));
            for (int i = 1; i <= 4; i++) {
                ledger.append("deploy", Map.of("customer", "acme", "version", "1.0." + i));
            }
            // someone rewrites entry 2 and re-seals everything after it, so the chain alone looks intact
            List<LedgerEntry> entries = ledger.entries();
            StringBuilder forged = new StringBuilder();
            LedgerEntry previous = null;
            for (LedgerEntry e : entries) {
                Map<String, Object> data = e.seq() == 2 ? Map.of("customer", "acme", "version", "6.6.6") : e.data();
                previous = LedgerEntry.seal(previous, e.time(), e.type(), e.user(), e.build(), data);
                forged.append(previous.toLine()).append('\n');
            }
            Path work = dir.resolve("mallory");
            try (Git git = Git.cloneRepository().setURI(daemon.url("ledger.git")).setBranch("records")
                    .setDirectory(work.toFile()).call()) {
                Files.writeString(work.resolve("deploy/ledger.jsonl"), forged.toString());
                git.add().addFilepattern(".").call();
                var rewritten = git.commit().setMessage("tidy up").setAuthor(new PersonIdent("mallory",
                        "m@example.org")).setCommitter(new PersonIdent("mallory", "m@example.org")).call();
                git.push().setRefSpecs(new RefSpec("records:records")).call();

                LedgerVerifier.Report report = ledger.verify();
                assertFalse(report.intact());
                assertEquals(1, report.problems().size(), report.problems().toString());
                LedgerVerifier.Problem problem = report.problems().get(0);
                assertEquals("rewritten", problem.kind());
                assertEquals(2, problem.line());
                assertTrue(problem.message().startsWith("commit " + rewritten.abbreviate(10).name()
                        + " (mallory, "), problem.message());

                // and removing the last entry (invisible to the chain) is found the same way
                String threeLines = forged.substring(0, forged.lastIndexOf("\n", forged.length() - 2) + 1);
                Files.writeString(work.resolve("deploy/ledger.jsonl"), threeLines);
                git.add().addFilepattern(".").call();
                git.commit().setMessage("drop").setAuthor(new PersonIdent("mallory", "m@example.org"))
                        .setCommitter(new PersonIdent("mallory", "m@example.org")).call();
                git.push().setRefSpecs(new RefSpec("records:records")).call();
            }
            LedgerVerifier.Report truncated = ledger.verify();
            assertTrue(truncated.problems().stream().anyMatch(p -> p.kind().equals("rewritten")
                    && p.message().contains("changed line 4")), truncated.problems().toString());
        }
    }

    @Test
    void recordsAreCommittedBesideTheLedgerAndReadBackFromAnotherClone() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Path bare = bareRepo(served, "ledger.git");
        try (GitDaemonPeer daemon = GitDaemonPeer.start(served)) {
            DeployflowConfig config = config(daemon.url("ledger.git"));
            Ledger writer = LedgerFixture.ledger(config, dir.resolve("a"), Map.of("DEPLOYFLOW_USER", "dev1"));
            writer.writeRecord("portainer/acme/rollback.json", "{\"stackFile\":\"v1\"}\n", "rollback point acme");
            writer.writeRecord("portainer/acme/rollback.json", "{\"stackFile\":\"v2\"}\n", "rollback point acme");
            Ledger other = LedgerFixture.ledger(config, dir.resolve("b"), Map.of());
            assertEquals("{\"stackFile\":\"v2\"}\n", other.readRecord("portainer/acme/rollback.json").orElseThrow());
            assertEquals("{\"stackFile\":\"v2\"}\n", remoteFile(bare, "records", "portainer/acme/rollback.json"));
            List<LedgerEntry> entries = other.entries();
            assertEquals(List.of("record", "record"), entries.stream().map(LedgerEntry::type).toList());
            assertEquals(Sha256.hex("{\"stackFile\":\"v2\"}\n"), entries.get(1).text("sha256"));
            assertTrue(other.verify().intact());
        }
    }

    @Test
    void anEntryThatCannotBePushedWaitsOnThisMachineAndGoesFirstNextTime() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Path bare = bareRepo(served, "ledger.git");
        DeployflowConfig config = config(bare.toString());
        Ledger ledger = LedgerFixture.ledger(config, dir.resolve("cache"), Map.of("DEPLOYFLOW_USER", "dev1",
                "BUILD_URL", "http://jenkins/job/r/7/"));
        ledger.append("deploy", Map.of("customer", "acme", "status", "deployed"));

        Path away = dir.resolve("away.git");
        Files.move(bare, away);    // the repository is unreachable
        assertThrows(OutsideSystemException.class, () -> ledger.append("deploy", Map.of("customer", "x")));
        ledger.keep("rollback", Map.of("customer", "acme", "status", "rolled back", "reason", "5xx"));

        Files.move(away, bare);    // back again: the next entry from this machine brings the waiting one along
        LedgerEntry next = ledger.append("deliver", Map.of("customer", "acme", "status", "delivered"));
        List<LedgerEntry> entries = ledger.entries();
        assertEquals(List.of("deploy", "rollback", "deliver"), entries.stream().map(LedgerEntry::type).toList());
        assertEquals("http://jenkins/job/r/7/", entries.get(1).build(), "the waiting entry keeps its build");
        assertEquals(3, next.seq());
        assertTrue(ledger.verify().intact());
        ledger.append("deploy", Map.of("customer", "acme"));
        assertEquals(4, ledger.entries().size(), "the waiting entry was written once, not again");
    }
}
