package io.deployflow.bluegreen;

import io.deployflow.bluegreen.analysis.ConfigPlace;
import io.deployflow.bluegreen.analysis.Sleeper;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The blue/green phases, one method per CLI call. Every method starts from what the target says (state, lock,
 * live weights), checks everything it can before changing anything (bad input: exit 2, nothing changed), writes
 * its intent into the target before slow work, and records who did what.
 * <p>
 * Rules kept here rather than in the routers:
 * <ul>
 *   <li>a phase run twice is a no-op the second time;</li>
 *   <li>a second rollout of a target is refused while the first holds the target's lock;</li>
 *   <li>the new colour is ready only after two ready looks in a row, so a crash loop does not pass;</li>
 *   <li>a failed analysis or smoke, a colour that never gets ready, or a router that fails mid-way aborts
 *       automatically: traffic back to 100 % on the old colour FIRST, then the new colour scaled to zero, then
 *       verified by reading the router back and by requests that must land on the old colour; the reason is
 *       recorded.</li>
 * </ul>
 */
public final class RolloutEngine {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final RolloutTarget target;
    private final TargetSettings settings;
    private final PreviewCheck preview;
    private final StepAnalysis analysis;
    private final Actor actor;
    private final Clock clock;
    private final Sleeper sleeper;
    private Consumer<RolloutOutcome> outcomes = outcome -> {
    };

    /**
     * @param preview  the pre-promotion smoke check, or null when the target configures none
     * @param analysis the metric analysis after each step, or null when the target configures none
     */
    public RolloutEngine(RolloutTarget target, TargetSettings settings, PreviewCheck preview, StepAnalysis analysis,
                         Actor actor, Clock clock, Sleeper sleeper) {
        this.target = target;
        this.settings = settings;
        this.preview = preview;
        this.analysis = analysis;
        this.actor = actor;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Who is told each rollout outcome (promoted, aborted, rolled back) when it happens, after it is written to the
     * target; the CLI files it in the ledger. A phase run again that changes nothing tells nothing.
     */
    public RolloutEngine onOutcome(Consumer<RolloutOutcome> listener) {
        this.outcomes = listener;
        return this;
    }

    /** What deploy is asked to roll out. {@code id} and {@code steps} may be null (generated / from config). */
    public record DeployRequest(Map<String, String> images, String version, String id, List<Integer> steps) {
    }

    // ---- deploy -----------------------------------------------------------------------------------------------

    public PhaseResult deploy(DeployRequest request) {
        if (request.images().isEmpty()) {
            throw new BadInputException(null, 0, "--image", "no image given: name the new version's image(s)");
        }
        List<Integer> steps = request.steps() == null ? settings.steps() : request.steps();
        checkStepsFit(steps);
        checkTopology();
        RolloutState state = currentState();
        String id = request.id() == null || request.id().isBlank() ? defaultId() : request.id();
        Rollout running = state.rollout();
        if (state.inProgress()) {
            if (!running.id().equals(id)) {
                throw held(running.id(), running.phase(), running.startedBy(), running.startedAt());
            }
            if (!running.images().equals(request.images())) {
                throw new BadInputException(null, 0, "--image", "rollout '" + id + "' is already under way with "
                        + running.images() + "; a rerun must ask for the same images (or abort it first)");
            }
            if (running.phase() != RolloutPhase.DEPLOYING) {
                return result("deploy", "no-op", ExitCode.OK, "rollout '" + id + "' is already deployed ("
                        + running.phase() + ")", state, null, null, null);
            }
            Progress.line(settings.name() + ": rollout '" + id + "' was interrupted while deploying; continuing");
        } else {
            if (running != null && running.id().equals(id)) {
                throw new BadInputException(null, 0, "--id", "rollout '" + id + "' already ran and ended ("
                        + running.phase() + " at " + running.finishedAt() + "); use a new id");
            }
            TrafficSplit live = target.readTraffic();
            if (!live.isAllOn(state.active())) {
                throw new BadInputException(null, 0, "--target", settings.name() + ": production traffic is not all"
                        + " on the active colour " + state.active() + " (the router reads " + live + ") and no"
                        + " rollout is recorded; put all traffic on one colour first");
            }
        }
        checkQueries(state.active().other(), state.active(), 0);
        Optional<LockHolder> holder = target.acquireLock(new LockHolder(id, actor.user(), actor.build(), now()));
        if (holder.isPresent()) {
            throw held(holder.get());
        }
        if (!state.inProgress()) {
            Colour old = state.active();
            Colour next = old.other();
            Map<String, String> previous = state.spec(old) != null ? state.spec(old).images()
                    : target.readiness(old, Map.of()).images();
            Rollout rollout = new Rollout(id, request.version(), old, next, request.images(), previous,
                    settings.replicas(), steps, RolloutPhase.DEPLOYING, 0, null, null, null, now(), actor.user(),
                    actor.build(), null, null);
            state = state.withRollout(rollout).withSpec(next, new ColourSpec(request.images(), settings.replicas()));
            state = history(state, "deploy", "started", next + " gets " + request.images() + " x"
                    + settings.replicas() + ", " + old + " stays live");
            target.writeState(state);
        }
        Rollout rollout = state.rollout();
        Progress.line(settings.name() + ": deploying " + rollout.to() + " with " + rollout.images() + " beside "
                + rollout.from());
        try {
            target.deployColour(rollout.to(), rollout.images(), rollout.replicas());
        } catch (OutsideSystemException e) {
            return autoAbort(state, "deploy", "deploying " + rollout.to() + " failed: " + e.getMessage(), null, null);
        }
        ColourReadiness last = waitReady(rollout.to(), rollout.images());
        if (!last.ready()) {
            return autoAbort(state, "deploy", "the new colour " + rollout.to() + " never got ready within "
                    + settings.readyTimeout().toSeconds() + " s: " + last.summary(), null, null);
        }
        state = history(state.withRollout(rollout.withPhase(RolloutPhase.DEPLOYED)), "deploy", "ok",
                last.summary() + " (two looks in a row)");
        target.writeState(state);
        return result("deploy", "ok", ExitCode.OK, rollout.to() + " is ready with " + rollout.images()
                + "; no traffic yet", state, null, null, null);
    }

    // ---- analyze (prePromotionAnalysis) -----------------------------------------------------------------------

    public PhaseResult analyze(String id) {
        checkTopology();
        PhaseResult done = alreadyCompleted(id, "analyze");
        if (done != null) {
            return done;
        }
        RolloutState state = inProgress(id, "analyze");
        Rollout rollout = state.rollout();
        if (rollout.phase() != RolloutPhase.DEPLOYED) {
            if (rollout.phase() == RolloutPhase.DEPLOYING) {
                throw wrongOrder("the new colour is still deploying: run 'bluegreen deploy' again to finish it");
            }
            return result("analyze", "no-op", ExitCode.OK, "the pre-promotion analysis already passed ("
                    + rollout.phase() + ")", state, null, null, null);
        }
        AnalysisRecord record;
        Map<String, Object> report = null;
        if (preview == null) {
            record = new AnalysisRecord("preview", 0, true, "no prePromotionAnalysis configured", now(), List.of());
        } else {
            Progress.line(settings.name() + ": pre-promotion analysis against the preview "
                    + target.previewUrl(rollout.to()));
            PreviewCheck.Outcome outcome = preview.run(target.previewUrl(rollout.to()));
            record = outcome.record();
            report = outcome.report();
        }
        // A preview that answers while its replicas crash-loop must not pass (Argo Rollouts #3724): look again.
        ColourReadiness after = target.readiness(rollout.to(), rollout.images());
        if (record.passed() && !after.ready()) {
            record = new AnalysisRecord("preview", 0, false, "the routes passed but the new colour is not ready: "
                    + after.summary(), record.at(), record.measurements());
        }
        if (!record.passed()) {
            return autoAbort(state, "analyze", "pre-promotion analysis failed: " + record.summary(), record, report);
        }
        state = history(state.withRollout(rollout.withAnalysis(record).withPhase(RolloutPhase.ANALYZED)), "analyze",
                "ok", record.summary());
        target.writeState(state);
        return result("analyze", "ok", ExitCode.OK, "pre-promotion analysis passed: " + record.summary(), state,
                record, report, null);
    }

    // ---- shift ------------------------------------------------------------------------------------------------

    /** @param weight the new colour's weight, or null for the next step of the rollout's plan */
    public PhaseResult shift(Integer weight, String id) {
        checkTopology();
        PhaseResult done = alreadyCompleted(id, "shift");
        if (done != null) {
            return done;
        }
        RolloutState state = inProgress(id, "shift");
        Rollout rollout = state.rollout();
        switch (rollout.phase()) {
            case DEPLOYING -> throw wrongOrder("the new colour is still deploying: run 'bluegreen deploy' again");
            case DEPLOYED -> {
                if (preview != null) {
                    throw wrongOrder("the pre-promotion analysis has not passed yet: run 'bluegreen analyze' first");
                }
            }
            case PROMOTED -> {
                return result("shift", "no-op", ExitCode.OK, "already promoted: 100 % on " + rollout.to(), state,
                        null, null, null);
            }
            default -> {
            }
        }
        int next = weight != null ? weight : nextStep(rollout);
        if (next == -1) {
            return result("shift", "no-op", ExitCode.OK, "every step is done: " + rollout.weight() + " % on "
                    + rollout.to() + (settings.autoPromotionEnabled() ? "" : "; run 'bluegreen promote'"), state,
                    null, null, null);
        }
        int settled = rollout.phase() == RolloutPhase.SHIFTED ? rollout.weight() : 0;
        if (rollout.phase() == RolloutPhase.SHIFTED && next == rollout.weight()) {
            return result("shift", "no-op", ExitCode.OK, "already at " + next + " % on " + rollout.to()
                    + " with a passed analysis", state, null, null, null);
        }
        BlueGreenSection.checkStep(next, rollout.phase() == RolloutPhase.SHIFTED ? settled : null,
                message -> new BadInputException(null, 0, "--weight", message + " (the rollout is at "
                        + rollout.weight() + " % on " + rollout.to() + ")"));
        if (!target.capabilities().weighted() && next != 100) {
            throw new BadInputException(null, 0, "--weight", target.describe() + " switches all-or-nothing; only"
                    + " 100 is possible, not " + next);
        }
        Map<String, String> values = values(rollout, next);
        try {
            checkQueries(rollout.to(), rollout.from(), next);
        } catch (OutsideSystemException e) {
            return autoAbort(state, "shift", "analysis failed before shifting to " + next + " %: " + e.getMessage(),
                    failedStep(next, e.getMessage()), null);
        }
        ColourReadiness ready = target.readiness(rollout.to(), rollout.images());
        if (!ready.ready()) {
            return autoAbort(state, "shift", "the new colour is no longer ready: " + ready.summary(), null, null);
        }
        state = history(state.withRollout(rollout.shifting(next)), "shift", "started", "shifting " + next + " % to "
                + rollout.to());
        target.writeState(state);
        try {
            TrafficSplit applied = target.setTraffic(TrafficSplit.of(rollout.to(), next));
            TrafficSplit back = target.readTraffic();
            if (!back.equals(applied)) {
                return autoAbort(state, "shift", "the router reads back " + back + " after " + applied + " was set",
                        null, null);
            }
            Progress.line(settings.name() + ": weight now " + back.weightOf(rollout.to()) + " % on " + rollout.to()
                    + " (" + back + ", read back from the router)");
            state = state.withRollout(state.rollout().withWeight(back.weightOf(rollout.to())));
            target.writeState(state);
        } catch (OutsideSystemException e) {
            return autoAbort(state, "shift", "shifting to " + next + " % failed: " + e.getMessage(), null, null);
        }
        AnalysisRecord record = analysis == null
                ? new AnalysisRecord("step", next, true, "no analysis configured", now(), List.of())
                : analysis.run(next, values);
        if (!record.passed()) {
            return autoAbort(state, "shift", "analysis at " + next + " % failed: " + record.summary(), record, null);
        }
        state = history(state.withRollout(state.rollout().withAnalysis(record).shifted()), "shift", "ok",
                next + " % on " + rollout.to() + ", analysis: " + record.summary());
        target.writeState(state);
        if (next == 100 && settings.autoPromotionEnabled()) {
            return promoteNow(state, "shift", record);
        }
        return result("shift", "ok", ExitCode.OK, next + " % on " + rollout.to() + "; analysis: "
                + record.summary(), state, record, null, null);
    }

    // ---- promote / cleanup ------------------------------------------------------------------------------------

    public PhaseResult promote(String id) {
        checkTopology();
        PhaseResult done = alreadyCompleted(id, "promote");
        if (done != null) {
            return done;
        }
        RolloutState state = currentState();
        if (state.rollout() != null && state.rollout().phase() == RolloutPhase.PROMOTED
                && (id == null || id.equals(state.rollout().id()))) {
            return result("promote", "no-op", ExitCode.OK, "already promoted: " + state.active() + " is active",
                    state, null, null, null);
        }
        state = inProgress(id, "promote");
        Rollout rollout = state.rollout();
        switch (rollout.phase()) {
            case DEPLOYING -> throw wrongOrder("the new colour is still deploying: run 'bluegreen deploy' again");
            case SHIFTING -> throw wrongOrder("a shift to " + rollout.targetWeight() + " % did not finish: run"
                    + " 'bluegreen shift' again or abort");
            case DEPLOYED -> {
                if (preview != null) {
                    throw wrongOrder("the pre-promotion analysis has not passed yet: run 'bluegreen analyze'");
                }
            }
            default -> {
            }
        }
        return promoteNow(state, "promote", null);
    }

    private PhaseResult promoteNow(RolloutState state, String action, AnalysisRecord record) {
        Rollout rollout = state.rollout();
        try {
            if (!target.readTraffic().isAllOn(rollout.to())) {
                Progress.line(settings.name() + ": promoting from " + rollout.weight() + " %: remaining steps skipped");
                TrafficSplit applied = target.setTraffic(TrafficSplit.allOn(rollout.to()));
                TrafficSplit back = target.readTraffic();
                if (!back.equals(applied)) {
                    return autoAbort(state, action, "the router reads back " + back + " after " + applied
                            + " was set", record, null);
                }
            }
        } catch (OutsideSystemException e) {
            return autoAbort(state, action, "switching all traffic to " + rollout.to() + " failed: "
                    + e.getMessage(), record, null);
        }
        Colour old = rollout.from();
        Instant scaleDownAt = clock.instant().plusSeconds(settings.scaleDownDelaySeconds());
        state = state.withActive(rollout.to())
                .withRollout(rollout.withWeight(100).withPhase(RolloutPhase.PROMOTED)
                        .withScaleDownAt(scaleDownAt.toString()));
        target.writeState(state);
        try {
            target.scaleColour(old, settings.scaleDownReplicas());
        } catch (OutsideSystemException e) {
            Progress.line(settings.name() + ": warning: keeping " + old + " at " + settings.scaleDownReplicas()
                    + " replica(s) failed: " + e.getMessage());
        }
        ColourSpec oldSpec = state.spec(old);
        if (oldSpec != null) {
            state = state.withSpec(old, oldSpec.withReplicas(settings.scaleDownReplicas()));
        }
        state = history(state, "promote", "ok", rollout.to() + " is active with 100 %; " + old + " kept at "
                + settings.scaleDownReplicas() + " replica(s) until " + scaleDownAt);
        target.writeState(state);
        outcomes.accept(new RolloutOutcome("promoted", action, settings.name(), state.rollout(), "", List.of(
                rollout.to() + " is active with 100 %", old + " kept at " + settings.scaleDownReplicas()
                        + " replica(s) until " + scaleDownAt)));
        Progress.line(settings.name() + ": promoted " + rollout.to() + "; " + old + " kept at "
                + settings.scaleDownReplicas() + " replica(s) for " + settings.scaleDownDelaySeconds() + " s");
        if (settings.scaleDownDelaySeconds() == 0) {
            return cleanupNow(state, action);
        }
        return result(action, "ok", ExitCode.OK, rollout.to() + " promoted; cleanup after " + scaleDownAt, state,
                record, null, null);
    }

    /** @param now true to scale the old colour down without waiting for scaleDownDelaySeconds */
    public PhaseResult cleanup(boolean now, String id) {
        checkTopology();
        RolloutState state = currentState();
        Rollout rollout = state.rollout();
        if (rollout == null || rollout.phase() != RolloutPhase.PROMOTED) {
            if (rollout != null && rollout.phase().finished()) {
                return result("cleanup", "no-op", ExitCode.OK, "nothing to clean up: rollout '" + rollout.id()
                        + "' is " + rollout.phase(), state, null, null, null);
            }
            throw wrongOrder("nothing to clean up: " + (rollout == null ? "no rollout recorded"
                    : "rollout '" + rollout.id() + "' is " + rollout.phase() + ", not promoted"));
        }
        checkId(rollout, id);
        Instant due = Instant.parse(rollout.scaleDownAt());
        Duration wait = Duration.between(clock.instant(), due);
        if (!now && !wait.isNegative() && !wait.isZero()) {
            Progress.line(settings.name() + ": keeping " + rollout.from() + " for " + wait.toSeconds()
                    + " s more (scaleDownDelaySeconds)");
            sleeper.sleep(wait);
            state = currentState();
            if (state.rollout() == null || !state.rollout().id().equals(rollout.id())
                    || state.rollout().phase() != RolloutPhase.PROMOTED) {
                return result("cleanup", "no-op", ExitCode.OK, "the rollout changed while waiting ("
                        + (state.rollout() == null ? "gone" : state.rollout().phase()) + "); nothing scaled down",
                        state, null, null, null);
            }
        }
        return cleanupNow(state, "cleanup");
    }

    private PhaseResult cleanupNow(RolloutState state, String action) {
        Rollout rollout = state.rollout();
        target.scaleColour(rollout.from(), 0);
        ColourSpec oldSpec = state.spec(rollout.from());
        if (oldSpec != null) {
            state = state.withSpec(rollout.from(), oldSpec.withReplicas(0));
        }
        state = history(state.withRollout(rollout.finished(RolloutPhase.COMPLETED, now())), "cleanup", "ok",
                rollout.from() + " scaled to zero; rollout finished");
        target.writeState(state);
        target.releaseLock(rollout.id());
        return result(action, "ok", ExitCode.OK, rollout.from() + " scaled down; " + rollout.to() + " serves alone",
                state, null, null, null);
    }

    // ---- abort / rollback -------------------------------------------------------------------------------------

    public PhaseResult abort(String reason, String id) {
        checkTopology();
        RolloutState state = currentState();
        if (!state.inProgress()) {
            Optional<LockHolder> stale = target.readLock();
            if (stale.isPresent() && (id == null || id.equals(stale.get().rolloutId()))) {
                // A deploy killed between taking the lock and writing its state: nothing ran, free the target.
                target.releaseLock(stale.get().rolloutId());
                state = history(state, "abort", "ok", "released the lock of " + stale.get().describe()
                        + ", which had recorded no rollout");
                target.writeState(state);
                return result("abort", "ok", ExitCode.OK, "released a stale lock of rollout '"
                        + stale.get().rolloutId() + "'", state, null, null, null);
            }
            return result("abort", "no-op", ExitCode.OK, "nothing to abort: " + (state.rollout() == null
                    ? "no rollout recorded" : "rollout '" + state.rollout().id() + "' is " + state.rollout().phase()),
                    state, null, null, null);
        }
        checkId(state.rollout(), id);
        if (state.rollout().phase() == RolloutPhase.PROMOTED) {
            throw wrongOrder("rollout '" + state.rollout().id() + "' is promoted; use 'bluegreen rollback'");
        }
        String why = reason == null || reason.isBlank() ? "aborted by " + actor.user() : reason;
        return revert(state, "abort", why, RolloutPhase.ABORTED, "aborted", ExitCode.OK, null, null);
    }

    public PhaseResult rollback(String reason, String id) {
        checkTopology();
        RolloutState state = currentState();
        Rollout rollout = state.rollout();
        if (rollout == null) {
            throw wrongOrder("nothing to roll back: no rollout recorded");
        }
        checkId(rollout, id);
        switch (rollout.phase()) {
            case ROLLED_BACK -> {
                return result("rollback", "no-op", ExitCode.OK, "rollout '" + rollout.id() + "' is already rolled"
                        + " back to " + rollout.from(), state, null, null, null);
            }
            case COMPLETED -> {
                return result("rollback", "failed", ExitCode.CHECK_FAILED, rollout.from() + " was scaled down at"
                        + " cleanup, so there is nothing to switch back to; roll out the previous version "
                        + rollout.previousImages() + " as a new rollout", state, null, null, null);
            }
            case PROMOTED -> {
            }
            default -> throw wrongOrder("rollout '" + rollout.id() + "' is " + rollout.phase()
                    + ", not promoted; use 'bluegreen abort'");
        }
        Colour old = rollout.from();
        target.scaleColour(old, rollout.replicas());
        Map<String, String> oldImages = rollout.previousImages();
        ColourReadiness ready = waitReady(old, oldImages);
        if (!ready.ready()) {
            state = history(state, "rollback", "failed", old + " did not get ready again: " + ready.summary());
            target.writeState(state);
            return result("rollback", "failed", ExitCode.CHECK_FAILED, "rollback not started: the kept colour "
                    + old + " is not ready (" + ready.summary() + "); " + rollout.to() + " still serves", state, null,
                    null, null);
        }
        String why = reason == null || reason.isBlank() ? "rolled back by " + actor.user() : reason;
        return revert(state, "rollback", why, RolloutPhase.ROLLED_BACK, "rolled-back", ExitCode.OK, null, null);
    }

    /**
     * The one way back: all traffic to the old colour first (so scaling down drops nothing), read it back, then
     * the new colour to zero, then requests through the production entry point that must all land on the old
     * colour. Only a verified revert finishes the rollout and frees the target; otherwise the lock stays, the
     * record says what is not verified, and exit 3 asks a person to look (running abort again retries).
     */
    private PhaseResult revert(RolloutState state, String action, String reason, RolloutPhase end, String outcome,
                               int exitWhenVerified, AnalysisRecord record, Map<String, Object> smoke) {
        Rollout rollout = state.rollout();
        Colour old = rollout.from();
        Colour next = rollout.to();
        Progress.line(settings.name() + ": " + action + ": " + reason);
        Progress.line(settings.name() + ": " + action + ": traffic back to 100 % on " + old);
        List<String> verification = new ArrayList<>();
        try {
            target.setTraffic(TrafficSplit.allOn(old));
            verification.add("set 100 % on " + old);
        } catch (OutsideSystemException e) {
            verification.add("setting 100 % on " + old + " failed: " + e.getMessage());
        }
        TrafficSplit back = readTrafficQuietly(verification);
        boolean trafficBack = back != null && back.isAllOn(old);
        boolean scaledDown = false;
        if (trafficBack) {
            verification.add("router reads back " + back);
            try {
                target.scaleColour(next, 0);
                scaledDown = true;
                verification.add(next + " scaled to zero");
            } catch (OutsideSystemException e) {
                verification.add("scaling " + next + " to zero failed (it is left running without traffic): "
                        + e.getMessage());
            }
            back = readTrafficQuietly(verification);
            trafficBack = back != null && back.isAllOn(old);
        } else {
            verification.add("NOT scaling " + next + " down: the router does not show all traffic on " + old
                    + (back == null ? "" : " (reads " + back + ")"));
        }
        boolean landed = false;
        if (trafficBack) {
            try {
                List<Colour> served = target.probeActive(settings.verifyRequests());
                long onOld = served.stream().filter(c -> c == old).count();
                landed = onOld == served.size() && !served.isEmpty();
                verification.add(onOld + " of " + served.size() + " requests through " + target.activeUrl()
                        + " served by " + old + (target.capabilities().colourProbe() ? ""
                        : " (as the router's live routing reports it)"));
            } catch (OutsideSystemException e) {
                verification.add("requests through " + target.activeUrl() + " failed: " + e.getMessage());
            }
        }
        verification.forEach(line -> Progress.line(settings.name() + ": " + action + ": " + line));
        boolean verified = trafficBack && scaledDown && landed;
        Rollout updated = rollout.withAnalysis(record != null ? record : rollout.lastAnalysis());
        if (!verified) {
            updated = updated.withReason(reason + "; " + action + " NOT verified: "
                    + verification.get(verification.size() - 1));
            state = history(state.withRollout(updated), action, "not-verified", updated.reason());
            target.writeState(state);
            outcomes.accept(new RolloutOutcome(action.equals("rollback") ? "rollback-not-verified"
                    : "abort-not-verified", action, settings.name(), updated, reason, verification));
            return result(action, "failed", ExitCode.OUTSIDE_SYSTEM_FAILED, action + " could not be verified: "
                    + String.join("; ", verification) + ". Run 'bluegreen abort' again or check "
                    + target.describe(), state, record, smoke, verification);
        }
        updated = updated.withReason(reason).withWeight(0).finished(end, now());
        ColourSpec nextSpec = state.spec(next);
        state = state.withActive(old).withRollout(updated);
        if (nextSpec != null) {
            state = state.withSpec(next, nextSpec.withReplicas(0));
        }
        ColourSpec oldSpec = state.spec(old);
        if (oldSpec != null) {
            state = state.withSpec(old, oldSpec.withReplicas(rollout.replicas()));
        }
        state = history(state, action, outcome, reason + " (verified: " + String.join("; ", verification) + ")");
        target.writeState(state);
        target.releaseLock(rollout.id());
        outcomes.accept(new RolloutOutcome(outcome, action, settings.name(), updated, reason, verification));
        return result(action, outcome, exitWhenVerified, outcome + ": " + reason + "; all traffic on " + old
                + ", verified", state, record, smoke, verification);
    }

    private PhaseResult autoAbort(RolloutState state, String action, String reason, AnalysisRecord record,
                                  Map<String, Object> smoke) {
        PhaseResult reverted = revert(state, action, reason, RolloutPhase.ABORTED, "aborted", ExitCode.CHECK_FAILED,
                record, smoke);
        return reverted;
    }

    // ---- status -----------------------------------------------------------------------------------------------

    public PhaseResult status() {
        RolloutState state = currentState();
        TrafficSplit live = target.readTraffic();
        List<ColourReadiness> looks = new ArrayList<>();
        for (Colour colour : Colour.values()) {
            ColourSpec spec = state.spec(colour);
            looks.add(target.readiness(colour, spec == null || spec.replicas() == 0 ? Map.of() : spec.images()));
        }
        Optional<LockHolder> lock = target.readLock();
        Rollout rollout = state.rollout();
        StringBuilder message = new StringBuilder(settings.name() + ": active " + state.active() + "; router "
                + live);
        if (rollout != null) {
            message.append("; rollout '").append(rollout.id()).append("' ").append(rollout.phase())
                    .append(" (").append(rollout.from()).append(" -> ").append(rollout.to()).append(", ")
                    .append(rollout.weight()).append(" % verified");
            if (rollout.targetWeight() != null) {
                message.append(", shifting to ").append(rollout.targetWeight()).append(" % unfinished");
            }
            message.append(")");
            if (rollout.reason() != null) {
                message.append("; reason: ").append(rollout.reason());
            }
        }
        if (state.inProgress() && live.weightOf(rollout.to()) != rollout.weight()) {
            message.append("; NOTE: the router has ").append(live.weightOf(rollout.to())).append(" % on ")
                    .append(rollout.to()).append(", the state ").append(rollout.weight()).append(" %: run shift to"
                    + " carry on or abort");
        }
        lock.ifPresent(l -> message.append("; locked by ").append(l.describe()));
        Progress.line(message.toString());
        return new PhaseResult("status", settings.name(), "ok", ExitCode.OK, message.toString(), live,
                rollout == null ? null : rollout.lastAnalysis(), null, null,
                rollout == null ? null : DeploymentRecord.of(rollout), state, lock.orElse(null), looks);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** The stored state, or a fresh one whose active colour is where the router sends all traffic. */
    private RolloutState currentState() {
        Optional<RolloutState> stored = target.readState();
        if (stored.isPresent()) {
            return stored.get();
        }
        TrafficSplit live = target.readTraffic();
        for (Colour colour : Colour.values()) {
            if (live.isAllOn(colour)) {
                return RolloutState.initial(settings.name(), colour);
            }
        }
        throw new BadInputException(null, 0, "--target", settings.name() + ": the router splits traffic (" + live
                + ") and deployflow has no record of a rollout there; put all traffic on one colour first");
    }

    /**
     * A phase of a rollout that already completed has nothing left to do (deploy, analyze, shift and promote all
     * led there); run again, it is a no-op. An aborted or rolled-back rollout is not "done" for them: refused.
     */
    private PhaseResult alreadyCompleted(String id, String phase) {
        RolloutState state = currentState();
        Rollout last = state.rollout();
        if (last != null && last.phase() == RolloutPhase.COMPLETED && (id == null || id.equals(last.id()))) {
            return result(phase, "no-op", ExitCode.OK, "rollout '" + last.id() + "' already completed: "
                    + last.to() + " serves alone", state, null, null, null);
        }
        return null;
    }

    private RolloutState inProgress(String id, String phase) {
        RolloutState state = currentState();
        if (!state.inProgress()) {
            throw wrongOrder("no rollout in progress on " + settings.name() + (state.rollout() == null ? ""
                    : " (the last one, '" + state.rollout().id() + "', is " + state.rollout().phase() + ")")
                    + "; start one with 'bluegreen deploy'");
        }
        checkId(state.rollout(), id);
        return state;
    }

    private void checkId(Rollout rollout, String id) {
        if (id != null && !id.isBlank() && !id.equals(rollout.id())) {
            throw held(rollout.id(), rollout.phase(), rollout.startedBy(), rollout.startedAt());
        }
    }

    private BadInputException held(String id, RolloutPhase phase, String by, String since) {
        return new BadInputException(null, 0, "--target", settings.name() + " is held by rollout '" + id + "' ("
                + phase + ", started by " + by + " at " + since + "); wait for it, or abort it with"
                + " 'bluegreen abort --id " + id + "'");
    }

    private BadInputException held(LockHolder holder) {
        return new BadInputException(null, 0, "--target", settings.name() + " is held by " + holder.describe()
                + "; wait for it, or abort it with 'bluegreen abort --id " + holder.rolloutId() + "'");
    }

    private BadInputException wrongOrder(String message) {
        return new BadInputException(null, 0, "--target", settings.name() + ": " + message);
    }

    private void checkTopology() {
        List<TopologyProblem> problems = target.checkTopology();
        if (!problems.isEmpty()) {
            TopologyProblem first = problems.get(0);
            ConfigPlace place = settings.place(first.field());
            StringBuilder all = new StringBuilder(first.message());
            for (int i = 1; i < problems.size(); i++) {
                all.append("; also ").append(problems.get(i).field()).append(": ").append(problems.get(i).message());
            }
            throw place.error(all.toString());
        }
    }

    private void checkStepsFit(List<Integer> steps) {
        if (!target.capabilities().weighted() && !steps.equals(List.of(100))) {
            ConfigPlace place = settings.stepsPlace();
            throw place.error("steps " + steps + " need a weighted router, but " + target.describe()
                    + " switches all-or-nothing; use steps: [100]");
        }
    }

    private void checkQueries(Colour next, Colour old, int weight) {
        if (analysis != null) {
            analysis.checkQueries(values(next, old, weight));
        }
    }

    private Map<String, String> values(Rollout rollout, int weight) {
        return values(rollout.to(), rollout.from(), weight);
    }

    private Map<String, String> values(Colour next, Colour old, int weight) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("colour", next.label());
        values.put("oldColour", old.label());
        values.put("target", settings.name());
        values.put("weight", Integer.toString(weight));
        return values;
    }

    private AnalysisRecord failedStep(int weight, String why) {
        return new AnalysisRecord("step", weight, false, why, now(), List.of(why));
    }

    private static int nextStep(Rollout rollout) {
        int reached = rollout.phase() == RolloutPhase.SHIFTED ? rollout.weight() : 0;
        if (rollout.phase() == RolloutPhase.SHIFTING && rollout.targetWeight() != null) {
            return rollout.targetWeight();
        }
        for (int step : rollout.steps()) {
            if (step > reached) {
                return step;
            }
        }
        return -1;
    }

    /** Polls until two ready looks in a row or the timeout; returns the last look. */
    private ColourReadiness waitReady(Colour colour, Map<String, String> images) {
        Instant deadline = clock.instant().plus(settings.readyTimeout());
        int readyInARow = 0;
        ColourReadiness look;
        String lastShown = "";
        while (true) {
            look = target.readiness(colour, images);
            readyInARow = look.ready() ? readyInARow + 1 : 0;
            if (!look.summary().equals(lastShown)) {
                Progress.line(settings.name() + ": " + look.summary());
                lastShown = look.summary();
            }
            if (readyInARow >= 2 || !clock.instant().isBefore(deadline)) {
                return readyInARow >= 2 ? look : notReady(look);
            }
            sleeper.sleep(settings.readyPoll());
        }
    }

    /** A look that was ready only once when time ran out is still not ready (two in a row are required). */
    private static ColourReadiness notReady(ColourReadiness look) {
        if (!look.ready()) {
            return look;
        }
        List<String> problems = List.of("ready only once before the timeout; two looks in a row are required");
        return new ColourReadiness(look.colour(), look.desiredReplicas(), look.readyReplicas(), look.images(),
                problems);
    }

    private TrafficSplit readTrafficQuietly(List<String> verification) {
        try {
            return target.readTraffic();
        } catch (OutsideSystemException e) {
            verification.add("reading the router back failed: " + e.getMessage());
            return null;
        }
    }

    private RolloutState history(RolloutState state, String action, String outcome, String detail) {
        String id = state.rollout() == null ? "" : state.rollout().id();
        return state.record(new HistoryEntry(now(), id, action, actor.user(), actor.build(), outcome, detail));
    }

    private PhaseResult result(String phase, String outcome, int exit, String message, RolloutState state,
                               AnalysisRecord record, Map<String, Object> smoke, List<String> verification) {
        Progress.line(settings.name() + ": " + phase + " " + outcome + ": " + message);
        TrafficSplit live;
        try {
            live = target.readTraffic();
        } catch (OutsideSystemException e) {
            live = null;
        }
        return new PhaseResult(phase, settings.name(), outcome, exit, message, live, record, smoke, verification,
                state.rollout() == null ? null : DeploymentRecord.of(state.rollout()), state,
                target.readLock().orElse(null), null);
    }

    private String defaultId() {
        return settings.name() + "-" + ID_TIME.format(clock.instant());
    }

    private String now() {
        return clock.instant().toString();
    }
}
