package io.deployflow.promotion;

import io.deployflow.approval.Answer;
import io.deployflow.approval.ApprovalGate;
import io.deployflow.approval.ApprovalPolicy;
import io.deployflow.approval.GateKey;
import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.ledger.Ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** The environments of the release process in a deployflow.yaml, with a local ledger, for promotion tests. */
final class PromotionFixture {
    static final String TEAM = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
              - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
            components:
              - {name: fhir-gateway, repo: 'file:///nowhere/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
            customers:
              - {name: acme, repo: 'file:///nowhere/acme'}
              - {name: st-mary, repo: 'file:///nowhere/st-mary'}
            approval:
              roles:
                product-owner: [po1]
                ops: [ops1]
              tasks:
                sit-sign-off: {responsible: team}
                uat-sign-off: {responsible: product-owner}
                release-dates-agreed: {responsible: product-owner}
                emergency-promotion: {responsible: ops}
                hotfix-production: {responsible: ops}
                rca-sign-off: {responsible: product-owner}
            """;

    /** The environment table of the release process, with London hours and a Christmas freeze on production. */
    static final String ENVIRONMENTS = """
            promotion:
              timeZone: Europe/London
              override: emergency-promotion
              environments:
                - name: Dev
                - name: SIT
                  requires: {noOpenSev1: true}
                - name: UAT
                  requires:
                    approvals: [sit-sign-off]
                    releaseNotes: true
                    training: true
                    noOpenSev1: true
                  routes: smoke/uat.yaml
                  baseUrl: http://uat.example.org
                  target: uat-stack
                - name: Pre-Prod
                  requires: {approvals: [uat-sign-off], releaseNotes: true}
                - name: Production
                  requires: {approvals: [release-dates-agreed], noOpenSev1: true}
                  hours:
                    - {days: Mon-Thu, from: "19:00", until: "23:00"}
                  freeze:
                    - {from: "2026-12-18 17:00", until: "2027-01-04 08:00", reason: Christmas change freeze}
            hotfix:
              approval: hotfix-production
              rcaSignOff: rca-sign-off
              inform: [product-owner]
            """;

    final Path dir;
    final DeployflowConfig config;
    final Ledger ledger;
    final String build = "http://jenkins.example/job/release/7/";

    PromotionFixture(Path dir, String promotion) {
        this.dir = dir;
        try {
            Files.writeString(dir.resolve("deployflow.yaml"), TEAM + promotion);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config = ConfigLoader.load(dir.resolve("deployflow.yaml"));
        ledger = Ledger.open(config, Map.of("DEPLOYFLOW_USER", "dev1", "BUILD_URL", build), dir.resolve("cache"));
    }

    Promotions promotions(Instant now) {
        return new Promotions(config, ledger, Clock.fixed(now, ZoneOffset.UTC), ReleaseHistory.NONE);
    }

    PromotionRequest request(String version, String to) {
        return new PromotionRequest("fhir-gateway", version, to, null, build, null, null);
    }

    /** Records a finished deployment, as the promote step does after its block. */
    void deployed(String version, String to, boolean worked, Instant at) {
        Promotions promotions = promotions(at);
        PromotionRequest request = request(version, to);
        // the criteria of the environment are not the point here: an override-free start may be refused, so the
        // entry is written the way a started promotion writes it
        ledger.append(PromotionLedger.TYPE, Map.of("event", PromotionLedger.STARTED, "service", "fhir-gateway",
                "version", version, "environment", to, "customer", "", "lane", "planned", "build", build));
        promotions.finish(request, worked, worked ? null : "smoke: 2 routes failed");
    }

    /** One approval answer through the real approval engine. */
    void answer(String task, String gate, String build, String event, String by, String reason) {
        new ApprovalGate(new ApprovalPolicy(config), ledger).answer(new GateKey(task, gate, build),
                new Answer(event, by, reason, List.of(), List.of(), "dev1", List.of(), List.of()));
    }

    void evidence(String kind, String version, String environment) {
        promotions(Instant.now()).evidence(kind, "fhir-gateway", version, environment, "https://wiki/notes", "");
    }

    void incident(String issue, String event, String service) {
        ledger.append("incident", Map.of("event", event, "issue", issue, "severity", 1, "service", service,
                "summary", "patient search returns 500"));
    }
}
