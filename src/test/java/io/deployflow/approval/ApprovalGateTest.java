package io.deployflow.approval;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerEntry;
import io.deployflow.ledger.LedgerFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApprovalGateTest {
    static final String POLICY = """
            approval:
              roles:
                product-owner: [po1, po2]
                dev-team: [dev1, dev2, dev3]
                ai-centre: [aic1, "group:ai-centre"]
              tasks:
                release-candidate-sign-off:
                  title: Sign-off of a production release candidate
                  responsible: product-owner
                  accountable: dev-team
                  informed: ai-centre
                  quorum: 2
                  checklist: [UAT fully signed off, Release notes shared with all stakeholders]
                  timeoutMinutes: 120
                  onTimeout: reject
                hotfix-go:
                  responsible: [lead, ai-centre]
                  onTimeout: abort
                  timeoutMinutes: 30
                  selfApproval: true
            """;
    static final List<String> TICKED = List.of("UAT fully signed off", "Release notes shared with all stakeholders");
    static final String TASK = "release-candidate-sign-off";

    @TempDir
    Path dir;
    DeployflowConfig config;
    ApprovalGate gate;
    GateKey key = new GateKey(TASK, null, "http://jenkins.example/job/release/42/");

    @BeforeEach
    void setUp() {
        config = LedgerFixture.config(dir, POLICY);
        gate = new ApprovalGate(new ApprovalPolicy(config), ledger());
    }

    private Ledger ledger() {
        return LedgerFixture.ledger(config, dir.resolve("cache"), Map.of("DEPLOYFLOW_USER", "dev1"));
    }

    private GateView open() {
        return gate.open(key, new ApprovalGate.Request("dev1", List.of("dev3@example.org"), List.of(),
                "Sign off fhir-gateway 1.3.0 for acme\nand more", "fhir-gateway 1.2.0 → 1.3.0\nterminology 0.4.1",
                List.of(new GateView.Link("Release notes", "http://jenkins.example/job/release/42/artifact/notes.html")),
                "http://jenkins.example/job/release/42/input/"));
    }

    private GateStatus approve(String by, List<String> ticked) {
        return gate.answer(key, new Answer("approve", by, "", ticked, List.of(), "dev1",
                List.of("dev3@example.org"), List.of()));
    }

    private GateStatus answer(String event, String by, String reason) {
        return gate.answer(key, new Answer(event, by, reason, List.of(), List.of(), "dev1", List.of(), List.of()));
    }

    @Test
    void openSaysWhatIsApprovedWhoMayAnswerAndRecordsTheRequest() {
        GateView view = open();
        assertEquals("Sign off fhir-gateway 1.3.0 for acme and more", view.message(), "one line");
        assertTrue(view.details().contains("fhir-gateway 1.2.0 → 1.3.0\nterminology 0.4.1"), view.details());
        assertTrue(view.details().contains("- Release notes: http://jenkins.example/job/release/42/artifact/"
                + "notes.html"), view.details());
        assertTrue(view.details().contains("2 distinct approvals needed from product-owner (po1, po2); dev-team"
                + " (dev1, dev2, dev3)."), view.details());
        assertEquals("po1,po2,dev1,dev2,dev3", view.submitter());
        assertEquals(List.of("dev1", "dev3"), view.mayNotApprove(), "who started the build and the change's author");
        assertEquals(TICKED, view.checklist());
        assertEquals("pending", view.status().status());
        assertEquals("http://jenkins.example/job/release/42/input/", view.notice().link());
        assertEquals(List.of("dev1@example.org", "dev2@example.org", "dev3@example.org"), view.notice().mailTo());
        LedgerEntry requested = ledger().entries().get(0);
        assertEquals("requested", requested.text("event"));
        assertEquals("dev1", requested.text("startedBy"));
    }

    @Test
    void quorumNeedsDistinctApprovers() {
        open();
        GateStatus first = approve("po1", TICKED);
        assertTrue(first.answer().counted());
        assertEquals("pending", first.status());
        assertEquals("1 of 2 approvals (po1)", first.summary());
        assertNull(first.notice(), "nobody is told of a pending gate");
        GateStatus second = approve("dev2", TICKED);
        assertEquals("approved", second.status());
        assertEquals(List.of("po1", "dev2"), second.approvedBy());
        assertEquals("approved by po1, dev2 (2 of 2)", second.summary());
        assertEquals("Approved: Sign-off of a production release candidate", second.notice().subject());
        assertEquals(second.status(), gate.status(key).status(), "status reads the same state back");
    }

    @Test
    void aRepeatApprovalDoesNotCount() {
        approve("po1", TICKED);
        GateStatus again = approve("po1", TICKED);
        assertFalse(again.answer().counted());
        assertEquals("po1 has already approved; a repeat approval does not count (1 of 2 approvals (po1))",
                again.answer().refused());
        assertEquals("pending", again.status());
        assertEquals(1, again.approvals());
    }

    @Test
    void whoStartedTheBuildOrWroteTheChangeMayNotApprove() {
        GateStatus self = approve("dev1", TICKED);
        assertFalse(self.answer().counted());
        assertEquals("dev1 started this build and may not approve it (selfApproval is off for"
                + " 'release-candidate-sign-off')", self.answer().refused());
        GateStatus author = approve("dev3", TICKED);
        assertFalse(author.answer().counted());
        assertTrue(author.answer().refused().startsWith("dev3 is an author of the change"), author.answer().refused());
        // the control: someone else with the same answer counts
        assertTrue(approve("dev2", TICKED).answer().counted());
    }

    @Test
    void anAdministratorOutsideThePolicyIsRefusedByTheEngine() {
        GateStatus admin = approve("admin", TICKED);
        assertFalse(admin.answer().counted());
        assertEquals("admin may not answer 'release-candidate-sign-off' (Jenkins lets administrators past the"
                + " input's submitter list, so this is checked here). Who may: product-owner (po1, po2); dev-team"
                + " (dev1, dev2, dev3)", admin.answer().refused());
        GateStatus rejectByAdmin = answer("reject", "admin", "I say no");
        assertEquals("pending", rejectByAdmin.status(), "an outsider cannot reject either");
    }

    @Test
    void anUntickedChecklistItemMeansTheApprovalDoesNotCountAndSaysWhich() {
        GateStatus half = approve("po1", List.of("UAT fully signed off"));
        assertFalse(half.answer().counted());
        assertEquals("not every checklist item was ticked, so the approval by po1 does not count; unticked:"
                + " Release notes shared with all stakeholders", half.answer().refused());
        GateStatus extra = gate.answer(key, new Answer("approve", "po1", "", TICKED, List.of(), "dev1", List.of(),
                List.of("Database backed up")));
        assertTrue(extra.answer().refused().endsWith("unticked: Database backed up"), "the step's own items too");
    }

    @Test
    void aRejectionNeedsAReasonAndEndsTheGate() {
        approve("po1", TICKED);
        GateStatus blank = answer("reject", "po2", "  ");
        assertFalse(blank.answer().counted());
        assertEquals("a rejection needs a reason: po2 gave none", blank.answer().refused());
        GateStatus rejected = answer("reject", "po2", "UAT found a blocker in patient search");
        assertEquals("rejected", rejected.status());
        assertEquals("po2", rejected.decidedBy());
        assertEquals("rejected by po2: UAT found a blocker in patient search", rejected.summary());
        assertEquals("Rejected: Sign-off of a production release candidate", rejected.notice().subject());
        assertEquals(List.of("dev1@example.org", "dev2@example.org", "dev3@example.org"), rejected.notice().mailTo(),
                "the informed role's members are not on the team, so only the team's addresses are known");
        GateStatus late = approve("dev2", TICKED);
        assertFalse(late.answer().counted());
        assertTrue(late.answer().refused().startsWith("the gate has already ended: rejected by po2"));
        assertEquals("rejected", late.status());
    }

    @Test
    void aTimeoutIsRecordedApartFromAnAbortWithTheConfiguredOutcome() {
        GateStatus timedOut = answer("timeout", "", "");
        assertEquals("rejected", timedOut.status(), "onTimeout: reject");
        assertEquals("timeout", timedOut.decidedBy());
        assertEquals("rejected by timeout: no decision within 2 hours", timedOut.summary());

        GateKey hotfix = new GateKey("hotfix-go", "acme", "http://jenkins.example/job/hotfix/3/");
        GateStatus abortOnTimeout = gate.answer(hotfix, new Answer("timeout", "", "", List.of(), List.of(), "dev1",
                List.of(), List.of()));
        assertEquals("timed-out", abortOnTimeout.status(), "onTimeout: abort");
        assertEquals("no decision within 30 minutes: the build is aborted", abortOnTimeout.summary());

        GateKey other = new GateKey(TASK, "st-mary", key.build());
        GateStatus aborted = gate.answer(other, new Answer("abort", "", "aborted in Jenkins", List.of(), List.of(),
                "dev1", List.of(), List.of()));
        assertEquals("aborted", aborted.status());
        List<String> events = ledger().entries().stream().map(e -> e.text("event")).toList();
        assertEquals(List.of("timeout", "timeout", "abort"), events, "each recorded as what it was");
        assertEquals("pending", gate.status(new GateKey(TASK, "elsewhere", key.build())).status(),
                "gates of other names and builds are separate");
    }

    @Test
    void aGroupMemberMayAnswerWhenTheLibraryCouldReadTheGroups() {
        GateKey hotfix = new GateKey("hotfix-go", null, "b");
        GateStatus unknownGroups = gate.answer(hotfix, new Answer("approve", "carol", "", List.of(), List.of(),
                "dev2", List.of(), List.of()));
        assertFalse(unknownGroups.answer().counted());
        GateStatus inGroup = gate.answer(hotfix, new Answer("approve", "carol", "", List.of(),
                List.of("ai-centre"), "dev2", List.of(), List.of()));
        assertTrue(inGroup.answer().counted());
        assertEquals("approved", inGroup.status());
        GateStatus selfAllowed = gate.answer(new GateKey("hotfix-go", null, "c"), new Answer("approve", "dev1", "",
                List.of(), List.of(), "dev1", List.of(), List.of()));
        assertTrue(selfAllowed.answer().counted(), "selfApproval: true lets dev1 approve the build dev1 started");
    }

    @Test
    void anUnknownTaskIsBadInputNamingFileLineAndField() throws Exception {
        BadInputException e = assertThrows(BadInputException.class, () -> gate.status(new GateKey("release-candiate"
                + "-sign-off", null, "b")));
        assertEquals(config.file().toString(), e.file());
        List<String> lines = java.nio.file.Files.readAllLines(config.file());
        assertEquals(lines.indexOf("    release-candidate-sign-off:") + 1, e.line(), "where the tasks are listed: "
                + e.getMessage());
        assertEquals("approval.tasks", e.field());
        assertTrue(e.getMessage().contains("unknown task 'release-candiate-sign-off'; did you mean"
                + " 'release-candidate-sign-off'?"), e.getMessage());
        assertTrue(ledger().entries().isEmpty(), "nothing recorded");
    }

    @Test
    void builtInTasksAskTheTeamAndTheDeciders() {
        DeployflowConfig plain = LedgerFixture.config(dir, "decision:\n  deciders: [dev2]\n");
        ApprovalPolicy policy = new ApprovalPolicy(plain);
        assertEquals("dev1,dev2,dev3", policy.submitter(policy.task(ApprovalPolicy.RELEASE_PLAN)));
        assertEquals("dev2", policy.submitter(policy.task(ApprovalPolicy.RELEASE_DECISION)));
        ApprovalGate plainGate = new ApprovalGate(policy, LedgerFixture.ledger(plain, dir.resolve("c2"), Map.of()));
        GateStatus bob = plainGate.answer(new GateKey(ApprovalPolicy.RELEASE_PLAN, null, "b"), new Answer("approve",
                "bob", "", List.of(), List.of(), "dev1", List.of(), List.of()));
        assertFalse(bob.answer().counted(), "bob, in no role, cannot confirm a plan");
        GateStatus dev1 = plainGate.answer(new GateKey(ApprovalPolicy.RELEASE_PLAN, null, "b"), new Answer("approve",
                "dev1", "", List.of(), List.of(), "dev1", List.of(), List.of()));
        assertEquals("approved", dev1.status(), "the team's own meeting: whoever started it may confirm");
    }
}
