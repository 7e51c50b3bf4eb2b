package io.deployflow.promotion;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every promotion criterion against a real ledger (approvals through the real approval engine). */
class PromotionCheckTest {
    /** A Tuesday at 20:00 in London (GMT in November): inside production's hours, outside any freeze. */
    static final Instant TUESDAY_EVENING = Instant.parse("2026-11-24T20:00:00Z");

    @TempDir
    Path dir;

    PromotionFixture fixture() {
        return new PromotionFixture(dir, PromotionFixture.ENVIRONMENTS);
    }

    static Criterion criterion(Verdict verdict, String name) {
        return verdict.criteria().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no criterion " + name + " in " + verdict.criteria()));
    }

    Verdict check(PromotionFixture f, String version, String to) {
        return f.promotions(TUESDAY_EVENING).check(f.request(version, to), TUESDAY_EVENING);
    }

    @Test
    void theSameVersionMustHavePassedThePreviousEnvironment() {
        PromotionFixture f = fixture();
        Criterion none = criterion(check(f, "1.3.0", "SIT"), "previous-environment");
        assertEquals(Criterion.FAIL, none.status());
        assertTrue(none.detail().startsWith("1.3.0 has not been deployed to Dev"), none.detail());

        f.deployed("1.2.0", "Dev", true, TUESDAY_EVENING);
        assertEquals(Criterion.FAIL, criterion(check(f, "1.3.0", "SIT"), "previous-environment").status(),
                "another version passing Dev does not count");

        f.deployed("1.3.0", "Dev", false, TUESDAY_EVENING);
        Criterion failed = criterion(check(f, "1.3.0", "SIT"), "previous-environment");
        assertEquals(Criterion.FAIL, failed.status());
        assertTrue(failed.detail().contains("failed in Dev") && failed.detail().endsWith("smoke: 2 routes failed"),
                failed.detail());

        f.deployed("1.3.0", "Dev", true, TUESDAY_EVENING);
        Verdict sit = check(f, "1.3.0", "SIT");
        assertEquals(Criterion.PASS, criterion(sit, "previous-environment").status());
        assertTrue(sit.allMet(), sit.criteria().toString());
        assertEquals(List.of(), sit.unmet());
        assertEquals("127.0.0.1:5000/fhir/fhir-gateway:1.3.0", sit.environment().get("image"),
                "the deploy block gets the component's image at this version");
        assertEquals("1.3.0", sit.environment().get("version"));
    }

    @Test
    void theFirstEnvironmentHasNoPreviousOneAndAPlainEnvironmentNeedsNothingElse() {
        PromotionFixture f = fixture();
        Verdict dev = check(f, "1.3.0", "Dev");
        assertTrue(dev.allMet());
        assertEquals(List.of("freeze"), dev.criteria().stream().map(Criterion::name).toList());
    }

    @Test
    void namedApprovalsMustBeApprovedForThisVersionInAnyBuild() {
        PromotionFixture f = fixture();
        f.deployed("1.3.0", "SIT", true, TUESDAY_EVENING);
        Verdict unanswered = check(f, "1.3.0", "UAT");
        Criterion missing = criterion(unanswered, "approval:sit-sign-off");
        assertEquals(Criterion.FAIL, missing.status());
        assertTrue(missing.detail().contains("gate: 'fhir-gateway@1.3.0'"), missing.detail());
        assertEquals(List.of(Map.of("task", "sit-sign-off", "gate", "fhir-gateway@1.3.0")),
                unanswered.approvalsToAsk(), "nobody answered: a pipeline may ask it");

        f.answer("sit-sign-off", "fhir-gateway@1.2.0", "http://jenkins.example/job/sit/3/", "approve", "dev2", "");
        assertEquals(Criterion.FAIL, criterion(check(f, "1.3.0", "UAT"), "approval:sit-sign-off").status(),
                "an approval of another version does not count");

        f.answer("sit-sign-off", "fhir-gateway@1.3.0", "http://jenkins.example/job/sit/4/", "reject", "dev2",
                "regression suite red");
        Verdict afterRejection = check(f, "1.3.0", "UAT");
        Criterion rejected = criterion(afterRejection, "approval:sit-sign-off");
        assertEquals(Criterion.FAIL, rejected.status());
        assertEquals(List.of(), afterRejection.approvalsToAsk(), "a rejection is not asked again by itself");
        assertTrue(rejected.detail().contains("rejected by dev2: regression suite red"), rejected.detail());

        f.answer("sit-sign-off", "fhir-gateway@1.3.0", "http://jenkins.example/job/sit/5/", "approve", "dev2", "");
        Criterion approved = criterion(check(f, "1.3.0", "UAT"), "approval:sit-sign-off");
        assertEquals(Criterion.PASS, approved.status(), approved.detail());
        assertTrue(approved.detail().contains("approved by dev2"), approved.detail());
    }

    @Test
    void anApprovalAnsweredBySomeoneWhoMayNotDoesNotCount() {
        PromotionFixture f = fixture();
        f.answer("uat-sign-off", "fhir-gateway@1.3.0", f.build, "approve", "dev2", "");
        Criterion refused = criterion(check(f, "1.3.0", "Pre-Prod"), "approval:uat-sign-off");
        assertEquals(Criterion.FAIL, refused.status(), "dev2 is not a product owner: the engine refused the answer");
        assertTrue(refused.detail().startsWith("not approved: no answer"), refused.detail());
    }

    @Test
    void aCustomersOwnApprovalCountsForThatCustomerOnly() {
        PromotionFixture f = fixture();
        f.answer("release-dates-agreed", "fhir-gateway@1.3.0/acme", f.build, "approve", "po1", "");
        PromotionRequest acme = new PromotionRequest("fhir-gateway", "1.3.0", "Production", "acme", f.build, null,
                null);
        PromotionRequest stMary = new PromotionRequest("fhir-gateway", "1.3.0", "Production", "st-mary", f.build,
                null, null);
        Promotions p = f.promotions(TUESDAY_EVENING);
        assertEquals(Criterion.PASS, criterion(p.check(acme, TUESDAY_EVENING), "approval:release-dates-agreed")
                .status());
        Verdict forStMary = p.check(stMary, TUESDAY_EVENING);
        assertEquals(Criterion.FAIL, criterion(forStMary, "approval:release-dates-agreed").status());
        assertEquals(List.of(Map.of("task", "release-dates-agreed", "gate", "fhir-gateway@1.3.0/st-mary")),
                forStMary.approvalsToAsk(), "asked for this customer");
        assertEquals("st-mary", forStMary.environment().get("customer"));
    }

    @Test
    void releaseNotesAndTrainingNeedEvidenceForThisVersionAndEnvironment() {
        PromotionFixture f = fixture();
        Verdict before = check(f, "1.3.0", "UAT");
        assertEquals(Criterion.FAIL, criterion(before, "release-notes").status());
        assertTrue(criterion(before, "training").detail().startsWith("no record that training documentation was"
                + " updated for fhir-gateway 1.3.0"), criterion(before, "training").detail());

        f.evidence("release-notes", "1.3.0", "Pre-Prod");
        f.evidence("training", "1.2.0", null);
        Verdict elsewhere = check(f, "1.3.0", "UAT");
        assertEquals(Criterion.FAIL, criterion(elsewhere, "release-notes").status(), "notes for Pre-Prod only");
        assertEquals(Criterion.FAIL, criterion(elsewhere, "training").status(), "training for another version");

        f.evidence("release-notes", "1.3.0", "UAT");
        f.evidence("training", "1.3.0", null);
        Verdict after = check(f, "1.3.0", "UAT");
        assertEquals(Criterion.PASS, criterion(after, "release-notes").status());
        assertTrue(criterion(after, "training").detail().contains("https://wiki/notes"));
        assertEquals(Criterion.PASS, criterion(check(f, "1.3.0", "Pre-Prod"), "release-notes").status());
    }

    @Test
    void anOpenSeverityOneForTheServiceBlocksUntilRestored() {
        PromotionFixture f = fixture();
        f.deployed("1.3.0", "Dev", true, TUESDAY_EVENING);
        f.incident("SEV1-7", "raised", "terminology");
        assertEquals(Criterion.PASS, criterion(check(f, "1.3.0", "SIT"), "no-open-sev1").status(),
                "another service's issue");
        f.incident("SEV1-8", "raised", "fhir-gateway");
        Verdict blocked = check(f, "1.3.0", "SIT");
        assertEquals(List.of("no-open-sev1"), blocked.unmet());
        assertTrue(criterion(blocked, "no-open-sev1").detail().contains("SEV1-8 (patient search returns 500)"));
        f.incident("SEV1-8", "restored", "fhir-gateway");
        assertTrue(check(f, "1.3.0", "SIT").allMet());
        f.incident("SEV1-9", "raised", "");
        assertFalse(check(f, "1.3.0", "SIT").allMet(), "an issue naming no service concerns every service");
    }

    @Test
    void aFreezeWindowRefusesAndSaysWhenDeploymentsResume() {
        PromotionFixture f = fixture();
        Instant christmas = Instant.parse("2026-12-22T20:00:00Z");
        Verdict frozen = f.promotions(christmas).check(f.request("1.3.0", "Production"), christmas);
        Criterion freeze = criterion(frozen, "freeze");
        assertEquals(Criterion.FAIL, freeze.status());
        assertEquals("Production is frozen 2026-12-18 17:00 – 2027-01-04 08:00 Europe/London (Christmas change"
                + " freeze); deployments resume Mon 2027-01-04 08:00 Europe/London", freeze.detail());
        assertEquals("2027-01-04T19:00Z", frozen.nextWindow(),
                "after the freeze the hours open on the Monday evening");
        Criterion open = criterion(check(f, "1.3.0", "Production"), "freeze");
        assertEquals(Criterion.PASS, open.status());
        assertTrue(open.detail().endsWith("next: 2026-12-18 17:00 – 2027-01-04 08:00 Europe/London (Christmas"
                + " change freeze)"), open.detail());
    }

    @Test
    void deploymentHoursAreTheEnvironmentsLocalTime() {
        PromotionFixture f = fixture();
        Instant saturday = Instant.parse("2026-11-21T14:00:00Z");
        Criterion weekend = criterion(f.promotions(saturday).check(f.request("1.3.0", "Production"), saturday),
                "deployment-hours");
        assertEquals(Criterion.FAIL, weekend.status());
        assertEquals("Sat 2026-11-21 14:00 Europe/London is outside the deployment hours (Mon–Thu 19:00–23:00);"
                + " they next open Mon 2026-11-23 19:00 Europe/London", weekend.detail());
        assertEquals(Criterion.PASS, criterion(check(f, "1.3.0", "Production"), "deployment-hours").status());
    }

    @Test
    void startRecordsEveryCriterionAndFinishRecordsTheOutcomeTheNextEnvironmentReads() {
        PromotionFixture f = fixture();
        Promotions p = f.promotions(TUESDAY_EVENING);
        Promotions.Started started = p.start(f.request("1.3.0", "Dev"));
        assertTrue(started.verdict().allMet());
        var entry = f.ledger.entries().get((int) started.entry() - 1);
        assertEquals("started", entry.text("event"));
        assertEquals("Dev", entry.text("environment"));
        assertEquals(false, entry.data().get("production"));
        p.finish(f.request("1.3.0", "Dev"), true, null);
        assertThrows(BadInputException.class, () -> p.finish(f.request("1.3.0", "Dev"), true, null),
                "a finished promotion is not finished twice");

        Promotions.Started uat = p.start(f.request("1.3.0", "UAT"));
        assertFalse(uat.verdict().allMet());
        var refused = f.ledger.entries().get((int) uat.entry() - 1);
        assertEquals("refused", refused.text("event"));
        assertEquals(List.of("previous-environment", "approval:sit-sign-off", "release-notes", "training"),
                refused.data().get("unmet"));
        BadInputException notStarted = assertThrows(BadInputException.class,
                () -> p.finish(f.request("1.3.0", "UAT"), true, null));
        assertTrue(notStarted.getMessage().contains("no promotion of fhir-gateway 1.3.0 → UAT was started in"
                + " http://jenkins.example/job/release/7/"), notStarted.getMessage());

        assertEquals(Criterion.FAIL, criterion(check(f, "1.3.0", "UAT"), "previous-environment").status(),
                "nothing was deployed to SIT yet");
        Promotions.Started sit = p.start(f.request("1.3.0", "SIT"));
        assertTrue(sit.verdict().allMet());
        p.finish(f.request("1.3.0", "SIT"), true, null);
        assertEquals(Criterion.PASS, criterion(check(f, "1.3.0", "UAT"), "previous-environment").status());
    }

    @Test
    void anEmergencyOverrideNeedsItsOwnApprovalInThisBuildAndIsRecordedAsSuch() {
        PromotionFixture f = fixture();
        Instant christmas = Instant.parse("2026-12-22T20:00:00Z");
        Promotions p = f.promotions(christmas);
        PromotionRequest request = f.request("1.3.0", "Production");
        Verdict refused = p.check(request, christmas);
        assertEquals("override fhir-gateway@1.3.0 to Production", refused.overrideGate());
        assertEquals("emergency-promotion", refused.overrideTask());

        // approved in another build: not this promotion's override
        f.answer("emergency-promotion", refused.overrideGate(), "http://jenkins.example/job/release/6/", "approve",
                "ops1", "");
        Verdict otherBuild = p.check(request.withOverride(refused.overrideGate()), christmas);
        assertFalse(otherBuild.allMet());
        assertEquals(Criterion.FAIL, criterion(otherBuild, "override").status());

        f.answer("emergency-promotion", refused.overrideGate(), f.build, "approve", "ops1", "");
        Promotions.Started started = p.start(request.withOverride(refused.overrideGate()));
        Verdict overridden = started.verdict();
        assertTrue(overridden.allMet(), overridden.criteria().toString());
        assertEquals(Criterion.OVERRIDDEN, criterion(overridden, "freeze").status());
        assertEquals(Criterion.OVERRIDDEN, criterion(overridden, "previous-environment").status());
        assertEquals(List.of("ops1"), overridden.override().get("approvedBy"));
        var entry = f.ledger.entries().get((int) started.entry() - 1);
        assertEquals("started", entry.text("event"));
        @SuppressWarnings("unchecked")
        Map<String, Object> recorded = (Map<String, Object>) entry.data().get("override");
        assertEquals("emergency-promotion", recorded.get("task"));
        assertTrue(((List<?>) entry.data().get("unmet")).contains("freeze"), "the unmet criteria stay on record");
        p.finish(request, true, null);
        assertTrue(f.ledger.entries().get(f.ledger.entries().size() - 1).data().containsKey("override"),
                "the deployment itself is marked as overridden too");
    }

    @Test
    void withoutAnOverrideTaskThereIsNoOverride() {
        PromotionFixture f = new PromotionFixture(dir, """
                promotion:
                  environments:
                    - name: Test
                      requires: {approvals: [sit-sign-off]}
                """);
        PromotionRequest request = new PromotionRequest("fhir-gateway", "1.3.0", "Test", null, f.build, null,
                "override fhir-gateway@1.3.0 to Test");
        BadInputException e = assertThrows(BadInputException.class,
                () -> f.promotions(TUESDAY_EVENING).start(request));
        assertTrue(e.getMessage().contains("promotion.override: no override task is configured"), e.getMessage());
        assertTrue(f.ledger.entries().isEmpty(), "nothing recorded");
        assertNull(f.promotions(TUESDAY_EVENING).check(request.withOverride(null), TUESDAY_EVENING).overrideTask());
    }

    @Test
    void theHotfixLaneGoesToPreProdThenProductionWithItsOwnApproval() {
        PromotionFixture f = fixture();
        Instant christmas = Instant.parse("2026-12-23T03:00:00Z");
        Promotions p = f.promotions(christmas);
        f.incident("SEV1-123", "raised", "fhir-gateway");
        PromotionRequest preProd = new PromotionRequest("fhir-gateway", "1.3.1", "Pre-Prod", null, f.build,
                "SEV1-123", null);
        Verdict test = p.check(preProd, christmas);
        assertEquals(List.of("release-notes"), test.unmet(), test.criteria().toString());
        f.evidence("release-notes", "1.3.1", null);
        assertTrue(p.check(preProd, christmas).allMet());

        PromotionRequest production = new PromotionRequest("fhir-gateway", "1.3.1", "Production", null, f.build,
                "SEV1-123", null);
        Verdict prod = p.check(production, christmas);
        assertEquals(List.of("previous-environment", "approval:hotfix-production"), prod.unmet(),
                prod.criteria().toString());
        assertTrue(criterion(prod, "previous-environment").detail().contains("Pre-Prod"));
        assertEquals(Criterion.WAIVED, criterion(prod, "freeze").status(), "frozen, but a sev-1 fix goes out");
        assertEquals(Criterion.WAIVED, criterion(prod, "deployment-hours").status());
        assertEquals(Criterion.PASS, criterion(prod, "no-open-sev1").status(), "its own issue does not block it");
        assertFalse(prod.criteria().stream().anyMatch(c -> c.name().equals("approval:release-dates-agreed")),
                "the planned release's approvals do not apply");

        f.deployed("1.3.1", "Pre-Prod", true, christmas);
        f.answer("hotfix-production", "fhir-gateway@1.3.1", f.build, "approve", "ops1", "");
        assertTrue(p.check(production, christmas).allMet());
        f.incident("SEV1-124", "raised", "fhir-gateway");
        assertEquals(List.of("no-open-sev1"), p.check(production, christmas).unmet(), "another sev-1 does block");

        BadInputException uat = assertThrows(BadInputException.class, () -> p.check(new PromotionRequest(
                "fhir-gateway", "1.3.1", "UAT", null, f.build, "SEV1-123", null), christmas));
        assertTrue(uat.getMessage().contains("a hotfix goes to Pre-Prod, then Production; not to UAT"),
                uat.getMessage());
    }

    @Test
    void theDeploymentHistoryShowsPromotionsRefusalsAndIncidents() {
        PromotionFixture f = fixture();
        Promotions p = f.promotions(TUESDAY_EVENING);
        p.start(f.request("1.3.0", "Dev"));
        p.finish(f.request("1.3.0", "Dev"), true, null);
        p.start(f.request("1.3.0", "UAT"));
        f.incident("SEV1-8", "raised", "fhir-gateway");
        List<io.deployflow.ledger.DeploymentHistory.Row> rows = io.deployflow.ledger.DeploymentHistory.rows(
                f.ledger.entries(), null, false, 0);
        assertEquals(List.of("Incident", "Promotion", "Promotion"), rows.stream().map(
                io.deployflow.ledger.DeploymentHistory.Row::what).toList(), "a started promotion is no row of its own");
        assertEquals("SEV1-8 (fhir-gateway)", rows.get(0).subject());
        assertEquals("patient search returns 500", rows.get(0).reason());
        assertEquals("fhir-gateway → UAT", rows.get(1).subject());
        assertEquals("refused", rows.get(1).status());
        assertEquals("unmet: previous-environment, approval:sit-sign-off, release-notes, training",
                rows.get(1).reason());
        assertEquals("deployed", rows.get(2).status());
        assertEquals("1.3.0", rows.get(2).version());
    }

    @Test
    void anUnknownEnvironmentNamesTheSectionsLineAndTheNearestName() {
        PromotionFixture f = fixture();
        BadInputException e = assertThrows(BadInputException.class, () -> check(f, "1.3.0", "UTA"));
        assertEquals(dir.resolve("deployflow.yaml") + ":24: promotion.environments: unknown environment 'UTA';"
                + " did you mean 'UAT'? Environments: Dev, SIT, UAT, Pre-Prod, Production", e.getMessage());
    }
}
