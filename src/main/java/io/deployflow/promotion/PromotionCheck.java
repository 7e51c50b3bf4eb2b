package io.deployflow.promotion;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.hotfix.HotfixConfig;
import io.deployflow.incident.Incident;
import io.deployflow.incident.Incidents;
import io.deployflow.ledger.LedgerEntry;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks every criterion of a promotion against the ledger and the calendar. A planned release needs what its
 * environment requires; a hotfix (a severity-1 fix) goes only to the hotfix test environment and then production,
 * needs the hotfix approval for production, its release notes, and no other open severity-1 issue, and by default
 * is not held back by freeze windows or deployment hours (they are shown, as waived). Reads only.
 */
public final class PromotionCheck {
    private final DeployflowConfig config;

    public PromotionCheck(DeployflowConfig config) {
        this.config = config;
    }

    public Verdict evaluate(PromotionRequest request, List<LedgerEntry> entries, Instant at) {
        PromotionConfig promotion = config.promotion();
        Environment environment = promotion.environment(request.environment());
        PromotionLedger ledger = new PromotionLedger(entries);
        List<Criterion> criteria = new ArrayList<>();
        Environment previous;
        List<String> approvals;
        boolean windows;
        if (request.hotfix()) {
            HotfixConfig hotfix = config.hotfix().required();
            Environment test = hotfix.testEnvironment(promotion);
            Environment production = hotfix.production(promotion);
            if (!environment.equals(test) && !environment.equals(production)) {
                throw new BadInputException(config.file().toString(), environment.line(), environment.field(),
                        "a hotfix goes to " + test.name() + ", then " + production.name() + "; not to "
                                + environment.name());
            }
            previous = environment.equals(production) ? test : null;
            approvals = environment.equals(production) ? List.of(hotfix.approval()) : List.of();
            windows = hotfix.respectWindows();
        } else {
            previous = environment.requires().previous() ? promotion.previous(environment) : null;
            approvals = environment.requires().approvals();
            windows = true;
        }
        if (previous != null) {
            criteria.add(previous(ledger, request, previous));
        }
        List<Map<String, String>> toAsk = new ArrayList<>();
        for (String task : approvals) {
            Criterion criterion = approval(ledger, request, task);
            criteria.add(criterion);
            if (criterion.failed() && ledger.gate(task, request.releaseGates(), null) == null) {
                toAsk.add(Map.of("task", task, "gate", request.releaseGates().get(request.releaseGates().size() - 1)));
            }
        }
        if (environment.requires().releaseNotes() || request.hotfix()) {
            criteria.add(evidence(ledger, request, "release-notes", "release notes shared",
                    "release notes were shared"));
        }
        if (environment.requires().training()) {
            criteria.add(request.hotfix() ? Criterion.waived("training", "not required for a hotfix")
                    : evidence(ledger, request, "training", "training documentation updated",
                    "training documentation was updated"));
        }
        if (environment.requires().noOpenSev1()) {
            criteria.add(noOpenSev1(entries, request));
        }
        Criterion freeze = freeze(environment, at);
        Criterion hours = hours(environment, at);
        String why = "a severity-1 fix is not held back (hotfix.respectWindows is false)";
        criteria.add(windows || !freeze.failed() ? freeze : Criterion.waived(freeze.name(), freeze.detail() + "; "
                + why));
        if (!environment.hours().isEmpty()) {
            criteria.add(windows || !hours.failed() ? hours : Criterion.waived(hours.name(), hours.detail() + "; "
                    + why));
        }
        List<String> unmet = criteria.stream().filter(Criterion::failed).map(Criterion::name).toList();
        String overrideGate = PromotionGates.override(request);
        Map<String, Object> override = null;
        if (request.overrideGate() != null && !unmet.isEmpty()) {
            override = override(ledger, request, criteria);
            if (override != null) {
                criteria.replaceAll(c -> c.failed() ? c.overridden() : c);
            }
        }
        boolean allMet = criteria.stream().noneMatch(Criterion::failed);
        return new Verdict(request, request.lane(), at.toString(), criteria, unmet, allMet, override,
                promotion.override(), overrideGate, nextWindow(environment, at), settings(environment, request),
                toAsk);
    }

    private Criterion previous(PromotionLedger ledger, PromotionRequest request, Environment previous) {
        String name = "previous-environment";
        LedgerEntry last = ledger.lastDeployment(request.service(), request.version(), previous.name(),
                request.customer());
        if (last == null) {
            return Criterion.fail(name, request.version() + " has not been deployed to " + previous.name()
                    + " (no deployment of " + request.service() + " " + request.version() + " there in the ledger)");
        }
        String where = " (#" + last.seq() + ", " + PromotionLedger.shortTime(last.time()) + ")";
        if (PromotionLedger.DEPLOYED.equals(last.text("event"))) {
            return Criterion.pass(name, request.version() + " passed " + previous.name() + where);
        }
        return Criterion.fail(name, request.version() + " failed in " + previous.name() + where
                + (last.text("reason").isEmpty() ? "" : ": " + last.text("reason")));
    }

    private Criterion approval(PromotionLedger ledger, PromotionRequest request, String task) {
        String name = "approval:" + task;
        PromotionLedger.GateOutcome gate = ledger.gate(task, request.releaseGates(), null);
        String gates = String.join(" or ", request.releaseGates());
        if (gate == null) {
            return Criterion.fail(name, "not approved: no answer to " + task + " for " + gates + " in the ledger"
                    + " (ask it with approvalGate(task: '" + task + "', gate: '" + request.releaseGates().get(0)
                    + "'))");
        }
        String detail = task + " for " + gate.gate() + " " + gate.describe();
        return gate.approved() ? Criterion.pass(name, detail) : Criterion.fail(name, detail);
    }

    private Criterion evidence(PromotionLedger ledger, PromotionRequest request, String kind, String what,
                               String missing) {
        LedgerEntry found = ledger.evidence(kind, request.service(), request.version(), request.environment());
        if (found == null) {
            return Criterion.fail(kind, "no record that " + missing + " for " + request.service() + " "
                    + request.version() + " (record it with: deployflow promote evidence --kind " + kind + ")");
        }
        String link = found.text("link");
        return Criterion.pass(kind, what + " by " + (found.user().isEmpty() ? "someone" : found.user()) + " (#"
                + found.seq() + ", " + PromotionLedger.shortTime(found.time()) + ")" + (link.isEmpty() ? ""
                : ": " + link));
    }

    private Criterion noOpenSev1(List<LedgerEntry> entries, PromotionRequest request) {
        List<Incident> open = Incidents.of(entries).open(1, request.service(), request.issue());
        if (open.isEmpty()) {
            return Criterion.pass("no-open-sev1", "no severity-1 issue is open for " + request.service()
                    + (request.hotfix() ? " besides " + request.issue() + ", which this fixes" : ""));
        }
        List<String> named = open.stream().map(i -> i.issue() + (i.summary().isEmpty() ? "" : " (" + i.summary()
                + ")") + " raised " + PromotionLedger.shortTime(i.raisedAt().toString())).toList();
        return Criterion.fail("no-open-sev1", "open severity-1: " + String.join("; ", named));
    }

    private static Criterion freeze(Environment environment, Instant at) {
        Optional<FreezeWindow> frozen = environment.freezeAt(at);
        if (frozen.isPresent()) {
            return Criterion.fail("freeze", environment.name() + " is frozen " + frozen.get().describe()
                    + "; deployments resume " + Times.zoned(frozen.get().end().atZone(frozen.get().zone())));
        }
        Optional<FreezeWindow> next = environment.nextFreeze(at);
        return Criterion.pass("freeze", "not in a freeze window" + next.map(f -> "; next: " + f.describe())
                .orElse(""));
    }

    private static Criterion hours(Environment environment, Instant at) {
        ZonedDateTime local = at.atZone(environment.zone());
        String allowed = DeploymentHours.describeAll(environment.hours());
        if (environment.withinHours(at)) {
            return Criterion.pass("deployment-hours", Times.zoned(local) + " is within the deployment hours ("
                    + allowed + ")");
        }
        ZonedDateTime next = environment.nextOpening(at);
        return Criterion.fail("deployment-hours", Times.zoned(local) + " is outside the deployment hours ("
                + allowed + ")" + (next == null ? "" : "; they next open " + Times.zoned(next)));
    }

    private Map<String, Object> override(PromotionLedger ledger, PromotionRequest request, List<Criterion> criteria) {
        String task = config.promotion().override();
        if (task == null) {
            throw new BadInputException(config.file().toString(), config.promotion().line(), "promotion.override",
                    "no override task is configured, so no emergency override exists for " + request.describe());
        }
        PromotionLedger.GateOutcome gate = ledger.gate(task, List.of(request.overrideGate()), request.build());
        if (gate == null || !gate.approved()) {
            criteria.add(Criterion.fail("override", task + " for '" + request.overrideGate() + "' in this build "
                    + (gate == null ? "was not answered" : gate.describe())));
            return null;
        }
        criteria.add(Criterion.pass("override", "emergency override " + task + " " + gate.describe()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", task);
        out.put("gate", gate.gate());
        out.put("approvedBy", gate.approvedBy());
        out.put("entry", gate.seq());
        return out;
    }

    /** When the environment next takes deployments, if it does not now: the freeze's end or the hours' opening. */
    private static String nextWindow(Environment environment, Instant at) {
        Instant candidate = at;
        for (int i = 0; i < 50; i++) {
            Optional<FreezeWindow> frozen = environment.freezeAt(candidate);
            if (frozen.isPresent()) {
                candidate = frozen.get().end();
                continue;
            }
            if (!environment.withinHours(candidate)) {
                ZonedDateTime opens = environment.nextOpening(candidate);
                if (opens == null) {
                    return null;
                }
                candidate = opens.toInstant();
                continue;
            }
            return candidate.equals(at) ? null : candidate.atZone(environment.zone()).toOffsetDateTime().toString();
        }
        return null;
    }

    /**
     * What the deploy block needs: where (the environment's settings) and what (the service's version, and its
     * image when the service is a component with one), so a Jenkinsfile repeats neither.
     */
    Map<String, Object> settings(Environment environment, PromotionRequest request) {
        Map<String, Object> out = where(environment);
        out.put("service", request.service());
        out.put("version", request.version());
        out.put("customer", request.customer());
        out.put("image", config.components().stream()
                .filter(c -> c.name().equals(request.service()) && c.image() != null)
                .map(c -> c.image() + ":" + request.version()).findFirst().orElse(null));
        return out;
    }

    /** An environment's own settings: name, target, routes, baseUrl, timeZone, production. */
    public static Map<String, Object> where(Environment environment) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", environment.name());
        out.put("target", environment.target());
        out.put("routes", environment.routes());
        out.put("baseUrl", environment.baseUrl());
        out.put("timeZone", environment.zone().getId());
        out.put("production", environment.production());
        return out;
    }
}
