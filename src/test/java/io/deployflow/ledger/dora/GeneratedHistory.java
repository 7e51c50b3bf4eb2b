package io.deployflow.ledger.dora;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.TimedLedger;
import io.deployflow.promotion.PromotionRequest;
import io.deployflow.promotion.Promotions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Twelve weeks of a team's ledger, 2026-09-07 to 2026-11-30, written through the real promotion and ledger code
 * with a clock the test sets, whose DORA answers are worked out by hand:
 * <ul>
 * <li>fhir-gateway (shared production): a release every Tuesday 20:00, first committed 48 h before; in week 5 a
 * failed deployment on Wednesday and a good one Thursday (restored after 24 h). 14 deployments, 1 failed.</li>
 * <li>terminology: Mondays 10:00 of weeks 2, 6 and 10, first committed 7 days before; the week-6 release gets a
 * severity-1 issue on Tuesday 10:00, a hotfix branched from it at 11:00 and deployed at 14:00 (first committed
 * 12:00), restored 15:00. 4 deployments, 1 failed (needed a hotfix), restored after 5 h.</li>
 * <li>acme's stack through Portainer: deployed in week 3, rolled back by itself in week 4, deployed in week 7 and
 * rolled back on Thursday (24 h later). st-mary's stack deployed in week 8. 4 deployments, 2 failed.</li>
 * <li>Not counted: a production deployment before the period, every UAT deployment, and a Portainer deploy inside
 * the week-9 fhir-gateway promotion (the promotion counts it).</li>
 * </ul>
 */
public final class GeneratedHistory {
    public static final Instant SINCE = Instant.parse("2026-09-07T00:00:00Z");
    public static final Instant UNTIL = Instant.parse("2026-11-30T00:00:00Z");
    static final String BUILD = "http://jenkins.example/job/release/1/";

    final DeployflowConfig config;
    final TimedLedger clock = new TimedLedger(SINCE);
    final Ledger ledger;

    public GeneratedHistory(Path dir) {
        try {
            Files.writeString(dir.resolve("deployflow.yaml"), """
                    team:
                      - {id: dev1, name: Developer One, emails: [dev1@example.org]}
                    components:
                      - {name: fhir-gateway, repo: 'file:///nowhere/a', image: 127.0.0.1:5000/fhir/fhir-gateway}
                      - {name: terminology, repo: 'file:///nowhere/b', image: 127.0.0.1:5000/fhir/terminology}
                    customers:
                      - {name: acme, repo: 'file:///nowhere/acme'}
                      - {name: st-mary, repo: 'file:///nowhere/st-mary'}
                    approval:
                      tasks:
                        hotfix-production: {responsible: team}
                        rca-sign-off: {responsible: team}
                    promotion:
                      environments:
                        - name: UAT
                        - name: Pre-Prod
                          requires: {previous: false}
                        - name: Production
                          requires: {previous: false}
                    hotfix:
                      approval: hotfix-production
                      rcaSignOff: rca-sign-off
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config = ConfigLoader.load(dir.resolve("deployflow.yaml"));
        ledger = clock.open(config, Map.of("DEPLOYFLOW_USER", "dev1", "BUILD_URL", BUILD));
        write();
    }

    static Instant day(int week, int dayOfWeek, int hour) {
        return SINCE.plus(Duration.ofDays(week * 7L + dayOfWeek)).plus(Duration.ofHours(hour));
    }

    private void write() {
        promote("fhir-gateway", "0.9.0", "Production", Instant.parse("2026-09-01T20:00:00Z"), 48, true);
        for (int week = 0; week < 12; week++) {
            Instant tuesday = day(week, 1, 20);
            promote("fhir-gateway", "1." + week + ".0", "UAT", tuesday.minus(Duration.ofHours(3)), 0, true);
            if (week == 9) {
                // a Portainer deploy inside the promotion's deploy block: part of it, not a deployment of its own
                clock.at(tuesday);
                PromotionRequest request = request("fhir-gateway", "1.9.0", "Production");
                promotions(48).start(request);
                ledger.append("deploy", Map.of("customer", "acme", "outcome", "deployed", "stack", "acme-stack"));
                promotions(48).finish(request, true, null);
                continue;
            }
            promote("fhir-gateway", "1." + week + ".0", "Production", tuesday, 48, true);
        }
        promote("fhir-gateway", "1.5.1", "Production", day(5, 2, 20), 48, false);
        promote("fhir-gateway", "1.5.2", "Production", day(5, 3, 20), 48, true);

        promote("terminology", "2.0.0", "Production", day(2, 0, 10), 168, true);
        promote("terminology", "2.1.0", "Production", day(6, 0, 10), 168, true);
        clock.at(day(6, 1, 10));
        ledger.append("incident", Map.of("event", "raised", "issue", "SEV1-9", "severity", 1, "service",
                "terminology", "customers", List.of(), "summary", "lookups fail"));
        clock.at(day(6, 1, 11));
        ledger.append("hotfix", Map.of("event", "branched", "issue", "SEV1-9", "component", "terminology",
                "version", "2.1.1", "fromVersion", "2.1.0", "fromTag", "v2.1.0", "branch", "hotfix/2.1.1"));
        promote("terminology", "2.1.1", "Production", day(6, 1, 14), 2, true);
        clock.at(day(6, 1, 15));
        ledger.append("incident", Map.of("event", "restored", "issue", "SEV1-9", "service", "terminology",
                "version", "2.1.1"));
        promote("terminology", "2.2.0", "Production", day(10, 0, 10), 168, true);

        portainer("acme", "deployed", day(3, 2, 9));
        portainer("acme", "rolled-back", day(4, 2, 9));
        portainer("acme", "deployed", day(7, 2, 9));
        clock.at(day(7, 3, 9));
        ledger.append("rollback", Map.of("customer", "acme", "outcome", "rolled-back", "message", "on demand"));
        portainer("st-mary", "deployed", day(8, 2, 9));
    }

    private void portainer(String customer, String outcome, Instant at) {
        clock.at(at);
        ledger.append("deploy", Map.of("customer", customer, "outcome", outcome, "stack", customer + "-stack"));
    }

    /** A promotion as the promote step does it (start, deploy block, finish), at {@code at}. */
    private void promote(String service, String version, String environment, Instant at, int leadHours,
                         boolean worked) {
        clock.at(at);
        PromotionRequest request = request(service, version, environment);
        Promotions.Started started = promotions(leadHours).start(request);
        if (!started.verdict().allMet()) {
            throw new IllegalStateException("the generated promotion was refused: " + started.verdict().criteria());
        }
        promotions(leadHours).finish(request, worked, worked ? null : "smoke: 3 routes failed");
    }

    private PromotionRequest request(String service, String version, String environment) {
        return new PromotionRequest(service, version, environment, null, BUILD, null, null);
    }

    private Promotions promotions(int leadHours) {
        return new Promotions(config, ledger, clock, (service, version) -> Optional.of(clock.instant()
                .minus(Duration.ofHours(leadHours))));
    }
}
