package io.deployflow.promotion;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerEntry;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Promotions recorded in the ledger. {@link #start} checks every criterion against the ledger as it is at the
 * moment of writing and records the outcome: {@code started} when all hold (or an approved override let the unmet
 * ones past), else {@code refused}, with every criterion either way. {@link #finish} records what the deployment
 * did: {@code deployed} or {@code failed}. The next environment's "passed the environment before" reads those.
 */
public final class Promotions {
    private final DeployflowConfig config;
    private final Ledger ledger;
    private final Clock clock;
    private final ReleaseHistory history;

    public Promotions(DeployflowConfig config, Ledger ledger, Clock clock, ReleaseHistory history) {
        this.config = config;
        this.ledger = ledger;
        this.clock = clock;
        this.history = history;
    }

    /** The verdict at {@code at}, changing nothing. */
    public Verdict check(PromotionRequest request, Instant at) {
        requireVersion(request);
        return new PromotionCheck(config).evaluate(request, ledger.entries(), at);
    }

    /** The verdict and the entry that recorded it. */
    public record Started(Verdict verdict, long entry) {
    }

    public Started start(PromotionRequest request) {
        requireVersion(request);
        Environment environment = config.promotion().environment(request.environment());
        Optional<Instant> firstCommit = environment.production()
                ? history.firstCommit(request.service(), request.version()) : Optional.empty();
        AtomicReference<Verdict> verdict = new AtomicReference<>();
        LedgerEntry entry = ledger.appendComputed(PromotionLedger.TYPE, entries -> {
            verdict.set(new PromotionCheck(config).evaluate(request, entries, clock.instant()));
            Map<String, Object> data = data(request, environment,
                    verdict.get().allMet() ? PromotionLedger.STARTED : PromotionLedger.REFUSED);
            data.put("criteria", verdict.get().criteria());
            data.put("unmet", verdict.get().unmet());
            if (!verdict.get().allMet()) {
                data.put("reason", "unmet: " + String.join(", ", verdict.get().unmet()));
            }
            if (verdict.get().override() != null) {
                data.put("override", verdict.get().override());
            }
            firstCommit.ifPresent(t -> data.put("firstCommitAt", t.toString()));
            return data;
        });
        return new Started(verdict.get(), entry.seq());
    }

    /**
     * Records how the deployment of a started promotion ended. Exit 2 when this build started no such promotion,
     * or finished it already: a deployment nobody checked must not look checked in the ledger.
     */
    public LedgerEntry finish(PromotionRequest request, boolean deployed, String reason) {
        Environment environment = config.promotion().environment(request.environment());
        return ledger.appendComputed(PromotionLedger.TYPE, entries -> {
            LedgerEntry started = new PromotionLedger(entries).unfinished(request);
            if (started == null) {
                throw new BadInputException(null, 0, "--build", "no promotion of " + request.describe()
                        + " was started in " + request.build() + " and left unfinished; run 'promote start' first");
            }
            Map<String, Object> data = data(request, environment,
                    deployed ? PromotionLedger.DEPLOYED : PromotionLedger.FAILED);
            data.put("started", started.seq());
            data.put("startedAt", started.time());
            if (started.data().containsKey("firstCommitAt")) {
                data.put("firstCommitAt", started.data().get("firstCommitAt"));
            }
            if (started.data().containsKey("override")) {
                data.put("override", started.data().get("override"));
            }
            if (reason != null && !reason.isBlank()) {
                data.put("reason", reason.strip());
            }
            return data;
        });
    }

    /**
     * Records that release notes were shared or training documentation updated for a version (for every
     * environment, or for one).
     */
    public LedgerEntry evidence(String kind, String service, String version, String environment, String link,
                                String note) {
        if (!List.of("release-notes", "training").contains(kind)) {
            throw new BadInputException(null, 0, "--kind", "must be release-notes or training, not '" + kind + "'");
        }
        if (environment != null) {
            config.promotion().environment(environment);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", kind);
        data.put("service", service);
        data.put("version", version);
        if (environment != null) {
            data.put("environment", environment);
        }
        data.put("link", link == null ? "" : link);
        data.put("note", note == null ? "" : note);
        return ledger.append(PromotionLedger.EVIDENCE, data);
    }

    private static Map<String, Object> data(PromotionRequest request, Environment environment, String event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", event);
        data.put("service", request.service());
        data.put("version", request.version());
        data.put("environment", environment.name());
        data.put("production", environment.production());
        data.put("customer", request.customer() == null ? "" : request.customer());
        data.put("lane", request.lane());
        if (request.issue() != null) {
            data.put("issue", request.issue());
        }
        data.put("build", request.build());
        return data;
    }

    private static void requireVersion(PromotionRequest request) {
        if (request.service() == null || request.service().isBlank()) {
            throw new BadInputException(null, 0, "--service", "is required: the service (component) promoted");
        }
        if (request.version() == null || request.version().isBlank()) {
            throw new BadInputException(null, 0, "--version", "is required: the version promoted");
        }
    }
}
