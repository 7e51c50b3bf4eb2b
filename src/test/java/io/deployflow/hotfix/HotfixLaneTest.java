package io.deployflow.hotfix;

import io.deployflow.approval.Answer;
import io.deployflow.approval.ApprovalGate;
import io.deployflow.approval.ApprovalPolicy;
import io.deployflow.approval.GateKey;
import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerEntry;
import io.deployflow.promotion.PromotionRequest;
import io.deployflow.promotion.Promotions;
import io.deployflow.promotion.ReleaseHistory;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hotfix lane against real repositories served by git daemon: branch from production's tag, release once the
 * fix is pushed, deploy through promotion, restore, merge back (cleanly, and with a conflict that names the file),
 * and the root-cause analysis; every step run twice changes nothing the second time.
 */
class HotfixLaneTest {
    static final String BUILD = "http://jenkins.example/job/hotfix/3/";
    static final String IMAGE = "127.0.0.1:5000/fhir/fhir-gateway";

    @TempDir
    Path dir;
    HotfixRepos repos;
    DeployflowConfig config;
    Ledger ledger;

    @AfterEach
    void stop() {
        if (repos != null) {
            repos.close();
        }
    }

    void setUp(boolean conflictingDevelop) throws Exception {
        repos = new HotfixRepos(dir);
        repos.component("fhir-gateway", conflictingDevelop);
        repos.component("terminology", false);
        repos.customer("acme-stack", IMAGE, "1.3.0");
        Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                components:
                  - {name: fhir-gateway, repo: '%s', image: %s}
                  - {name: terminology, repo: '%s', image: 127.0.0.1:5000/fhir/terminology}
                customers:
                  - {name: acme, repo: '%s', contacts: [ops@acme.example]}
                releaseNotes:
                  ticketUrl: https://jira.example.org/browse/{key}
                approval:
                  roles:
                    ops: [ops1]
                    ai-centre: [dev2]
                  tasks:
                    hotfix-production: {responsible: ops}
                    rca-sign-off: {responsible: ai-centre}
                promotion:
                  environments:
                    - name: UAT
                    - name: Pre-Prod
                    - name: Production
                      requires: {noOpenSev1: true}
                hotfix:
                  approval: hotfix-production
                  rcaSignOff: rca-sign-off
                  inform: [ai-centre]
                """.formatted(repos.url("fhir-gateway.git"), IMAGE, repos.url("terminology.git"),
                repos.url("acme-stack.git")));
        config = ConfigLoader.load(dir.resolve("deployflow.yaml"));
        ledger = Ledger.open(config, Map.of("DEPLOYFLOW_USER", "dev1", "BUILD_URL", BUILD), dir.resolve("ledger-cache"));
    }

    HotfixLane lane() {
        return new HotfixLane(config, ledger, dir.resolve("cache"), Map.of("DEPLOYFLOW_USER", "dev1", "BUILD_URL",
                BUILD), Clock.systemUTC());
    }

    /** Deploys through promotion as the hotfix step does: start (criteria checked), the block, finish. */
    void deploy(String version, String environment) {
        Promotions promotions = new Promotions(config, ledger, Clock.systemUTC(), ReleaseHistory.NONE);
        PromotionRequest request = new PromotionRequest("fhir-gateway", version, environment, null, BUILD,
                "SEV1-123", null);
        Promotions.Started started = promotions.start(request);
        assertTrue(started.verdict().allMet(), started.verdict().criteria().toString());
        promotions.finish(request, true, null);
    }

    void approve(String task, String gate, String by) {
        new ApprovalGate(new ApprovalPolicy(config), ledger).answer(new GateKey(task, gate, BUILD),
                new Answer("approve", by, "", List.of(), List.of(), "dev1", List.of(), List.of()));
    }

    int entries() {
        return ledger.entries().size();
    }

    @Test
    void theWholeLaneFromTheTagProductionRunsToTheSignedOffAnalysis() throws Exception {
        setUp(false);
        HotfixLane lane = lane();
        HotfixResult raised = lane.raise("fhir-gateway", "SEV1-123", 1, "patient search returns 500", List.of());
        assertEquals("SEV1-123 raised: fhir-gateway: patient search returns 500", raised.notice().subject());
        assertEquals(List.of("dev2@example.org", "ops@acme.example"), raised.notice().mailTo(),
                "the inform role's members and every customer's contacts");
        assertEquals(BUILD, raised.notice().link());

        HotfixResult branched = lane.branch("fhir-gateway", "SEV1-123");
        assertEquals("1.3.1", branched.version());
        assertEquals("v1.3.0", branched.fromTag());
        assertEquals("hotfix/1.3.1", branched.branch());
        ObjectId production = repos.commitOf("fhir-gateway.git", "refs/tags/v1.3.0");
        assertEquals(production, repos.commitOf("fhir-gateway.git", "refs/heads/hotfix/1.3.1"),
                "branched from the tag production runs, not from develop");
        LedgerEntry entry = ledger.entries().get(entries() - 1);
        assertEquals("the main branch of acme's repository", entry.text("productionSource"));

        HotfixResult early = lane.release("fhir-gateway", "SEV1-123");
        assertEquals("no-fix", early.outcome());
        assertNull(repos.commitOf("fhir-gateway.git", "refs/tags/v1.3.1"));

        ObjectId fix = repos.pushFix("fhir-gateway.git", "hotfix/1.3.1", "src/search.txt",
                "search: exact match, null-safe\n", "fix: patient search without a family name (SEV1-123)");
        HotfixResult released = lane.release("fhir-gateway", "SEV1-123");
        assertEquals("done", released.outcome());
        assertEquals("v1.3.1", released.tag());
        assertEquals(fix, repos.commitOf("fhir-gateway.git", "refs/tags/v1.3.1"));
        assertTrue(repos.tagMessage("fhir-gateway.git", "v1.3.1").startsWith("Hotfix 1.3.1 for SEV1-123"));
        String notes = released.notes();
        assertTrue(notes.startsWith("# fhir-gateway 1.3.1: hotfix for SEV1-123"), notes);
        assertTrue(notes.contains("- **[SEV1-123](https://jira.example.org/browse/SEV1-123)**: patient search"
                + " returns 500"), notes);
        assertTrue(notes.contains("fix: patient search without a family name (SEV1-123)"), notes);
        assertTrue(notes.contains("| fhir-gateway | 1.3.0 | 1.3.1 | 127.0.0.1:5000/fhir/fhir-gateway:1.3.1 |"), notes);
        assertEquals(notes, ledger.readRecord("hotfix/SEV1-123/release-notes-1.3.1.md").orElseThrow());
        assertTrue(ledger.entries().stream().anyMatch(e -> e.type().equals("evidence")
                && e.text("kind").equals("release-notes") && e.text("version").equals("1.3.1")));
        assertEquals("2026-11-20T10:15:00Z", ledger.entries().get(entries() - 1).text("firstCommitAt"));

        assertEquals("not-deployed", lane.restored("fhir-gateway", "SEV1-123").outcome());
        deploy("1.3.1", "Pre-Prod");
        approve("hotfix-production", "fhir-gateway@1.3.1", "ops1");
        HotfixResult deploying = lane.deploying("fhir-gateway", "SEV1-123");
        assertEquals("SEV1-123: deploying fhir-gateway 1.3.1 to Production", deploying.notice().subject());
        deploy("1.3.1", "Production");
        HotfixResult restored = lane.restored("fhir-gateway", "SEV1-123");
        assertEquals("SEV1-123 restored: fhir-gateway 1.3.1 is in production", restored.notice().subject());
        assertTrue(restored.phases().get("restored"));

        HotfixResult merged = lane.mergeBack("fhir-gateway", "SEV1-123");
        assertEquals("done", merged.outcome());
        ObjectId develop = repos.commitOf("fhir-gateway.git", "refs/heads/develop");
        RevCommit merge = repos.parse("fhir-gateway.git", develop);
        assertEquals(2, merge.getParentCount());
        assertEquals(fix, merge.getParent(1).getId());
        assertEquals("search: exact match, null-safe\n", repos.fileAt("fhir-gateway.git", "refs/heads/develop",
                "src/search.txt"));
        assertEquals("export\n", repos.fileAt("fhir-gateway.git", "refs/heads/develop", "src/export.txt"),
                "develop's own work is kept");

        HotfixResult rca = lane.rca("fhir-gateway", "SEV1-123", "A null family name was not handled.\n\nSince 1.3.0.",
                null);
        String analysis = rca.notes();
        assertEquals(analysis, ledger.readRecord("rca/SEV1-123.md").orElseThrow());
        for (String expected : List.of("# Root-cause analysis: SEV1-123", "| Customers affected | all |",
                "| Fixed in | fhir-gateway 1.3.1 (from 1.3.0) |", "Issue raised (severity 1): patient search returns 500",
                "Branch hotfix/1.3.1 made from v1.3.0", "Fix released as v1.3.1", "Deployment to Pre-Prod: deployed",
                "Go-ahead for production (hotfix-production): approve", "Deploying to Production",
                "Deployment to Production: deployed", "Service restored with fhir-gateway 1.3.1",
                "Fix merged back into develop", "A null family name was not handled.\n\nSince 1.3.0.",
                "_To be written by the team before sign-off._", "signed off through the approval task"
                        + " **rca-sign-off**")) {
            assertTrue(analysis.contains(expected), "«" + expected + "» in:\n" + analysis);
        }
        assertFalse(lane.status("fhir-gateway", "SEV1-123").phases().get("rcaSignedOff"));
        approve("rca-sign-off", "SEV1-123", "dev2");
        Map<String, Boolean> phases = lane.status("fhir-gateway", "SEV1-123").phases();
        assertEquals(Map.of("raised", true, "branched", true, "released", true, "tested", true, "approved", true,
                "inProduction", true, "restored", true, "mergedBack", true, "rcaWritten", true, "rcaSignedOff", true),
                phases);

        int before = entries();
        ObjectId developBefore = repos.commitOf("fhir-gateway.git", "refs/heads/develop");
        assertEquals("already", lane.raise("fhir-gateway", "SEV1-123", 1, "again", List.of()).outcome());
        assertEquals("already", lane.branch("fhir-gateway", "SEV1-123").outcome());
        assertEquals("already", lane.release("fhir-gateway", "SEV1-123").outcome());
        assertEquals("already", lane.restored("fhir-gateway", "SEV1-123").outcome());
        assertEquals("already", lane.mergeBack("fhir-gateway", "SEV1-123").outcome());
        assertEquals(before, entries(), "a rerun records nothing new");
        assertEquals(developBefore, repos.commitOf("fhir-gateway.git", "refs/heads/develop"));
    }

    @Test
    void aConflictOnTheMergeBackNamesTheFilesPushesNothingAndARerunAfterAMergeByHandFinishes() throws Exception {
        setUp(true);
        HotfixLane lane = lane();
        lane.raise("fhir-gateway", "SEV1-200", 1, "search times out", List.of("acme"));
        lane.branch("fhir-gateway", "SEV1-200");
        repos.pushFix("fhir-gateway.git", "hotfix/1.3.1", "src/search.txt", "search: exact match, indexed\n",
                "fix: index the search (SEV1-200)");
        lane.release("fhir-gateway", "SEV1-200");
        ObjectId developBefore = repos.commitOf("fhir-gateway.git", "refs/heads/develop");

        HotfixResult conflict = lane.mergeBack("fhir-gateway", "SEV1-200");
        assertEquals("conflict", conflict.outcome());
        assertEquals(List.of("src/search.txt"), conflict.conflicts());
        assertTrue(conflict.message().contains("conflicts in src/search.txt; nothing was pushed"), conflict.message());
        assertEquals(developBefore, repos.commitOf("fhir-gateway.git", "refs/heads/develop"), "develop untouched");
        LedgerEntry recorded = ledger.entries().get(entries() - 1);
        assertEquals("merge-conflict", recorded.text("event"));
        assertEquals(List.of("src/search.txt"), recorded.data().get("files"));
        assertFalse(conflict.phases().get("mergedBack"));

        repos.mergeByHand("fhir-gateway.git", "develop", "hotfix/1.3.1", "src/search.txt",
                "search: fuzzy match, indexed\n");
        HotfixResult rerun = lane.mergeBack("fhir-gateway", "SEV1-200");
        assertEquals("done", rerun.outcome());
        assertTrue(rerun.phases().get("mergedBack"));
        assertEquals(Boolean.TRUE, ledger.entries().get(entries() - 1).data().get("already"));
        assertEquals("search: fuzzy match, indexed\n", repos.fileAt("fhir-gateway.git", "refs/heads/develop",
                "src/search.txt"));
    }

    @Test
    void theLedgerKnowsWhatProductionRunsAndATakenPatchIsSkipped() throws Exception {
        setUp(false);
        // production got 1.2.0 through promotion, whatever the customer repository says
        ledger.append("promotion", Map.of("event", "deployed", "service", "fhir-gateway", "version", "1.2.0",
                "environment", "Production", "production", true, "customer", "", "build", BUILD));
        HotfixLane lane = lane();
        lane.raise("fhir-gateway", "SEV1-300", 1, "", List.of());
        repos.pushFix("fhir-gateway.git", "develop", "NOTES.md", "1.2.1 was released from develop\n", "docs");
        // a 1.2.1 tag exists already: the hotfix takes 1.2.2
        try (var git = org.eclipse.jgit.api.Git.cloneRepository().setURI(repos.url("fhir-gateway.git"))
                .setDirectory(dir.resolve("tagger").toFile()).setBranch("develop").call()) {
            git.tag().setName("v1.2.1").setAnnotated(true).setMessage("1.2.1").setTagger(HotfixRepos.ALICE).call();
            git.push().setPushTags().call();
        }
        HotfixResult branched = lane.branch("fhir-gateway", "SEV1-300");
        assertEquals("1.2.2", branched.version());
        assertEquals("v1.2.0", branched.fromTag());
        assertTrue(ledger.entries().get(entries() - 1).text("productionSource").startsWith("ledger #1"));
        assertEquals(repos.commitOf("fhir-gateway.git", "refs/tags/v1.2.0"),
                repos.commitOf("fhir-gateway.git", "refs/heads/hotfix/1.2.2"));
    }

    @Test
    void aHotfixForAComponentProductionDoesNotRunIsBadInputNamingItsLine() throws Exception {
        setUp(false);
        HotfixLane lane = lane();
        lane.raise("terminology", "SEV1-400", 1, "lookup fails", List.of());
        BadInputException e = assertThrows(BadInputException.class, () -> lane.branch("terminology", "SEV1-400"));
        assertEquals(dir.resolve("deployflow.yaml") + ":6: components[1]: production does not run 'terminology': no"
                + " production deployment of it is in the ledger, and no customer's compose file on its main branch"
                + " uses 127.0.0.1:5000/fhir/terminology", e.getMessage());
        assertNull(repos.commitOf("terminology.git", "refs/heads/hotfix/0.0.1"));
        assertTrue(ledger.entries().stream().noneMatch(x -> x.type().equals("hotfix")), "nothing recorded");
    }

    @Test
    void stepsInTheWrongOrderAreBadInput() throws Exception {
        setUp(false);
        HotfixLane lane = lane();
        assertTrue(assertThrows(BadInputException.class, () -> lane.branch("fhir-gateway", "SEV1-9")).getMessage()
                .contains("SEV1-9 was never raised"));
        lane.raise("fhir-gateway", "SEV1-9", 1, "", List.of());
        assertTrue(assertThrows(BadInputException.class, () -> lane.release("fhir-gateway", "SEV1-9")).getMessage()
                .contains("no hotfix branch was made for SEV1-9"));
        assertTrue(assertThrows(BadInputException.class, () -> lane.deploying("fhir-gateway", "SEV1-9"))
                .getMessage().contains("no hotfix branch was made for SEV1-9"));
        assertTrue(assertThrows(BadInputException.class, () -> lane.raise("fhir-gateway", "SEV 1", 1, "",
                List.of())).getMessage().contains("'SEV 1' is not an issue key"));
        assertNotNull(lane.close("fhir-gateway", "SEV1-9", "a configuration change, no release needed"));
        assertEquals("closed", io.deployflow.incident.Incidents.of(ledger.entries()).get("SEV1-9").status());
    }
}
