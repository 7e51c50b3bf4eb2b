package io.deployflow.hotfix;

import io.deployflow.approval.ApprovalPolicy;
import io.deployflow.approval.GateKey;
import io.deployflow.approval.GateStatus;
import io.deployflow.approval.GateView;
import io.deployflow.config.Component;
import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.TeamMember;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Progress;
import io.deployflow.git.RepoCache;
import io.deployflow.incident.Incident;
import io.deployflow.incident.Incidents;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerEntry;
import io.deployflow.promotion.Environment;
import io.deployflow.promotion.PromotionGates;
import io.deployflow.promotion.PromotionLedger;
import io.deployflow.promotion.Promotions;
import io.deployflow.promotion.ReleaseHistory;
import io.deployflow.release.SemVer;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The unplanned (hotfix) release for a severity-1 issue, as the release process describes it: the issue is raised
 * and everyone told; a branch {@code hotfix/<next patch>} is made from the tag production runs; once the fix is
 * merged there, the patch is tagged and its release notes written, naming the issue; it is deployed to the test
 * environment (Pre-Prod) with the smoke tests, approved, deployed to production (both through promotion, which
 * records them), and service is declared restored; the fix is merged back to develop; the root-cause analysis is
 * written from a template and signed off.
 * <p>
 * Every step is recorded in the ledger as a {@value #TYPE} (or {@code incident}) entry and reads the lane's state
 * back from there and from the repository, so each can be run again: what was done is not done twice, and a run
 * that stopped (a merge conflict, a restarted controller) carries on where it stopped.
 */
public final class HotfixLane {
    public static final String TYPE = "hotfix";
    private static final Pattern ISSUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final DeployflowConfig config;
    private final HotfixConfig settings;
    private final Ledger ledger;
    private final RepoCache repos;
    private final Path workDir;
    private final Map<String, String> env;
    private final Clock clock;

    /**
     * @param cacheDir where the repository cache and the lane's clones live ({@code ~/.cache/deployflow})
     */
    public HotfixLane(DeployflowConfig config, Ledger ledger, Path cacheDir, Map<String, String> env, Clock clock) {
        this.config = config;
        this.settings = config.hotfix().required();
        this.ledger = ledger;
        this.repos = new RepoCache(cacheDir.resolve("repos"));
        this.workDir = cacheDir.resolve("hotfix");
        this.env = env;
        this.clock = clock;
    }

    // ---- raise ------------------------------------------------------------------------------------------------

    /**
     * Records the issue as raised and returns the notice to everyone: the inform roles and the customers. An issue
     * raised before is not raised again.
     */
    public HotfixResult raise(String componentName, String issue, int severity, String summary,
                              List<String> customers) {
        Component component = component(componentName);
        requireIssue(issue);
        if (severity < 1 || severity > 2) {
            throw new BadInputException(null, 0, "--severity", "must be 1 or 2, not " + severity);
        }
        customers.forEach(config::customer);
        Incident known = Incidents.of(ledger.entries()).get(issue);
        if (known != null) {
            // a rerun of the lane; an issue that comes back after it was restored gets a new key
            return result(issue, component, "already", state(issue), null, "already raised as ledger #"
                    + known.raisedEntry() + " (" + known.status() + ")");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", Incidents.RAISED);
        data.put("issue", issue);
        data.put("severity", severity);
        data.put("service", component.name());
        data.put("customers", customers);
        data.put("summary", summary == null ? "" : summary.strip());
        LedgerEntry entry = ledger.append(Incidents.TYPE, data);
        String who = customers.isEmpty() ? "every customer" : String.join(", ", customers);
        GateStatus.Notice notice = notice(customers, issue + " raised: " + component.name() + (summary == null
                || summary.isBlank() ? "" : ": " + summary.strip()), "A severity-" + severity + " issue was raised"
                + " for " + component.name() + " in production, affecting " + who + ". A hotfix is being prepared;"
                + " you will be told when it is deployed and when service is restored.");
        return result(issue, component, "done", state(issue), notice, "raised as ledger #" + entry.seq());
    }

    /** Closes an issue that was resolved without a release (a configuration change, not a defect). */
    public HotfixResult close(String componentName, String issue, String reason) {
        Component component = component(componentName);
        Incident incident = Incidents.of(ledger.entries()).get(issue);
        if (incident == null || !incident.open()) {
            throw new BadInputException(null, 0, "--issue", issue + " is not open" + (incident == null
                    ? " (never raised)" : " (" + incident.status() + ")"));
        }
        if (reason == null || reason.isBlank()) {
            throw new BadInputException(null, 0, "--reason", "closing an issue without a release needs a reason");
        }
        LedgerEntry entry = ledger.append(Incidents.TYPE, Map.of("event", Incident.CLOSED, "issue", issue,
                "service", component.name(), "reason", reason.strip()));
        return result(issue, component, "done", state(issue), null, "closed as ledger #" + entry.seq());
    }

    // ---- branch -----------------------------------------------------------------------------------------------

    /** Makes {@code hotfix/<next patch>} from the tag production runs (once; a rerun finds it). */
    public HotfixResult branch(String componentName, String issue) {
        Component component = component(componentName);
        requireRaised(issue);
        State state = state(issue);
        try (ComponentRepo repo = open(component)) {
            if (state.branched != null) {
                String branch = state.branched.text("branch");
                if (repo.branch(branch) == null) {
                    ObjectId from = repo.tagCommit(state.branched.text("fromTag"));
                    repo.createBranch(branch, from);
                    Progress.line("hotfix: " + branch + " was gone from " + repo.shown() + "; made again from "
                            + state.branched.text("fromTag"));
                }
                return result(issue, component, "already", state, null, branch + " was made before (ledger #"
                        + state.branched.seq() + ")");
            }
            ProductionRelease production = ProductionRelease.find(config, component, ledger.entries(), repos);
            String fromTag = component.tagFor(production.version());
            ObjectId from = repo.tagCommit(fromTag);
            if (from == null) {
                int[] at = ProductionRelease.lineOf(config, component);
                throw new BadInputException(config.file().toString(), at[0], "components[" + at[1] + "].tagPrefix",
                        "production runs " + component.name() + " " + production.version() + " (" + production
                                .source() + "), but " + repo.shown() + " has no tag " + fromTag);
            }
            String version = nextPatch(repo, component, production.version());
            String branch = "hotfix/" + version;
            repo.createBranch(branch, from);
            Map<String, Object> data = event("branched", issue, component);
            data.put("version", version);
            data.put("fromVersion", production.version());
            data.put("fromTag", fromTag);
            data.put("fromCommit", from.name());
            data.put("branch", branch);
            data.put("productionSource", production.source());
            data.put("customers", production.customers());
            ledger.append(TYPE, data);
            Progress.line("hotfix: " + branch + " made from " + fromTag + " (production runs " + production.version()
                    + ", from " + production.source() + ")");
            return result(issue, component, "done", state(issue), null, "merge the fix for " + issue + " into "
                    + branch + " on " + repo.shown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next patch after production's version whose tag and branch do not exist yet. */
    private static String nextPatch(ComponentRepo repo, Component component, String production) throws IOException {
        SemVer candidate = SemVer.parse(production).nextPatch();
        while (repo.tagCommit(component.tagFor(candidate.toString())) != null
                || repo.branch("hotfix/" + candidate) != null) {
            Progress.line("hotfix: " + candidate + " is taken (tag or branch exists); trying the next patch");
            candidate = candidate.nextPatch();
        }
        return candidate.toString();
    }

    // ---- release ----------------------------------------------------------------------------------------------

    /**
     * Once the fix is merged into the hotfix branch: tags the patch release on the branch's tip, writes its release
     * notes (naming the issue) beside the ledger and records that they were shared. {@code no-fix} (exit 1) while
     * the branch holds nothing beyond production's tag.
     */
    public HotfixResult release(String componentName, String issue) {
        Component component = component(componentName);
        State state = requireBranched(issue);
        if (state.released != null) {
            return result(issue, component, "already", state, null, state.released.text("tag") + " was released"
                    + " before (ledger #" + state.released.seq() + ")");
        }
        String version = state.branched.text("version");
        String branch = state.branched.text("branch");
        String tag = component.tagFor(version);
        try (ComponentRepo repo = open(component)) {
            ObjectId tip = repo.branch(branch);
            ObjectId from = ObjectId.fromString(state.branched.text("fromCommit"));
            if (tip == null || tip.equals(from)) {
                return result(issue, component, "no-fix", state, null, "nothing is merged into " + branch
                        + " yet: merge the fix for " + issue + " there, then run this again");
            }
            List<RevCommit> commits = repo.commitsSince(from, tip);
            List<Map<String, Object>> listed = commits.stream().map(HotfixLane::commit).toList();
            Instant firstCommit = commits.stream().map(c -> c.getCommitterIdent().getWhenAsInstant())
                    .min(Instant::compareTo).orElse(null);
            Incident incident = Incidents.of(ledger.entries()).get(issue);
            String notes = HotfixDocuments.releaseNotes(config, settings, component, incident, version,
                    state.branched.text("fromVersion"), listed);
            ObjectId existing = repo.tagCommit(tag);
            if (existing == null) {
                repo.createTag(tag, tip, "Hotfix " + version + " for " + issue + "\n\n" + notes, ident());
            } else if (!existing.equals(tip)) {
                throw new BadInputException(null, 0, "--issue", tag + " already exists on " + repo.shown()
                        + " at " + existing.name() + ", not at " + branch + "'s tip " + tip.name()
                        + "; the patch release was made by hand, so check it and record it yourself");
            }
            String path = "hotfix/" + issue + "/release-notes-" + version + ".md";
            ledger.writeRecord(path, notes, "release notes of " + component.name() + " " + version + " (" + issue
                    + ")");
            new Promotions(config, ledger, clock, ReleaseHistory.NONE).evidence("release-notes", component.name(),
                    version, null, path, "hotfix for " + issue);
            Map<String, Object> data = event("released", issue, component);
            data.put("version", version);
            data.put("tag", tag);
            data.put("commit", tip.name());
            data.put("commits", listed);
            if (firstCommit != null) {
                data.put("firstCommitAt", firstCommit.toString());
            }
            data.put("notes", path);
            ledger.append(TYPE, data);
            HotfixResult out = result(issue, component, "done", state(issue), null, tag + " tagged on " + branch
                    + " (" + commits.size() + " commit(s) of fix); release notes in " + path);
            return out.withNotes(notes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> commit(RevCommit c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sha", c.abbreviate(10).name());
        out.put("subject", c.getShortMessage());
        out.put("author", c.getAuthorIdent().getName());
        out.put("time", c.getCommitterIdent().getWhenAsInstant().toString());
        return out;
    }

    // ---- deploying / restored --------------------------------------------------------------------------------

    /** Records that the fix is going to production now, and returns the notice to send. */
    public HotfixResult deploying(String componentName, String issue) {
        Component component = component(componentName);
        State state = requireReleased(issue);
        Environment production = settings.production(config.promotion());
        Map<String, Object> data = event("deploying", issue, component);
        data.put("version", state.released.text("version"));
        data.put("environment", production.name());
        ledger.append(TYPE, data);
        Incident incident = Incidents.of(ledger.entries()).get(issue);
        GateStatus.Notice notice = notice(incident.customers(), issue + ": deploying " + component.name() + " "
                + state.released.text("version") + " to " + production.name(), "The fix for " + issue
                + (incident.summary().isEmpty() ? "" : " (" + incident.summary() + ")") + " passed "
                + settings.testEnvironment(config.promotion()).name() + " and is being deployed to "
                + production.name() + " now. Expect a short interruption; you will be told when service is"
                + " restored.");
        return result(issue, component, "done", state(issue), notice, "deploying to " + production.name());
    }

    /**
     * Declares service restored once the hotfix is deployed to production (the ledger must show it), and returns
     * the notice. Exit 1 ({@code not-deployed}) before that.
     */
    public HotfixResult restored(String componentName, String issue) {
        Component component = component(componentName);
        State state = requireReleased(issue);
        Incident incident = Incidents.of(ledger.entries()).get(issue);
        if (!incident.open()) {
            return result(issue, component, "already", state, null, issue + " is " + incident.status()
                    + " already");
        }
        if (state.inProduction == null) {
            return result(issue, component, "not-deployed", state, null, component.name() + " "
                    + state.released.text("version") + " is not deployed to production yet (no such deployment in"
                    + " the ledger)");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", Incident.RESTORED);
        data.put("issue", issue);
        data.put("service", component.name());
        data.put("version", state.released.text("version"));
        data.put("deployment", state.inProduction.seq());
        LedgerEntry entry = ledger.append(Incidents.TYPE, data);
        GateStatus.Notice notice = notice(incident.customers(), issue + " restored: " + component.name() + " "
                + state.released.text("version") + " is in production", "Service is restored: the fix for " + issue
                + (incident.summary().isEmpty() ? "" : " (" + incident.summary() + ")") + " is in production as "
                + component.name() + " " + state.released.text("version") + ". The root-cause analysis follows.");
        return result(issue, component, "done", state(issue), notice, "restored (ledger #" + entry.seq() + ")");
    }

    // ---- merge back ---------------------------------------------------------------------------------------------

    /**
     * Merges the released fix back into develop, so the next planned release has it. A conflict stops with the
     * files named ({@code conflict}, exit 1) and nothing pushed; merge by hand and run again.
     */
    public HotfixResult mergeBack(String componentName, String issue) {
        Component component = component(componentName);
        State state = requireReleased(issue);
        if (state.mergedBack != null) {
            return result(issue, component, "already", state, null, "merged back before (ledger #"
                    + state.mergedBack.seq() + ")");
        }
        String develop = component.developBranch();
        ObjectId fix = ObjectId.fromString(state.released.text("commit"));
        try (ComponentRepo repo = open(component)) {
            ObjectId tip = repo.branch(develop);
            if (tip == null) {
                int[] at = ProductionRelease.lineOf(config, component);
                throw new BadInputException(config.file().toString(), at[0], "components[" + at[1]
                        + "].developBranch", repo.shown() + " has no branch '" + develop + "'");
            }
            Map<String, Object> data = event("merged-back", issue, component);
            data.put("version", state.released.text("version"));
            data.put("into", develop);
            if (repo.isAncestor(fix, tip)) {
                data.put("commit", tip.name());
                data.put("already", true);
                ledger.append(TYPE, data);
                return result(issue, component, "done", state(issue), null, state.released.text("tag")
                        + " is already in " + develop + " (merged by hand)");
            }
            ComponentRepo.Merge merge = repo.merge(develop, fix, "Merge hotfix " + state.released.text("version")
                    + " (" + issue + ") into " + develop, ident());
            if (!merge.conflicts().isEmpty()) {
                Map<String, Object> conflict = event("merge-conflict", issue, component);
                conflict.put("into", develop);
                conflict.put("files", merge.conflicts());
                ledger.append(TYPE, conflict);
                String message = "merging " + state.branched.text("branch") + " into " + develop + " conflicts in "
                        + String.join(", ", merge.conflicts()) + "; nothing was pushed. Merge it by hand, push "
                        + develop + ", then run this again";
                return result(issue, component, "conflict", state(issue), null, message)
                        .withConflicts(merge.conflicts());
            }
            data.put("commit", merge.commit().name());
            ledger.append(TYPE, data);
            return result(issue, component, "done", state(issue), null, "merged into " + develop + " as "
                    + merge.commit().abbreviate(10).name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- RCA ----------------------------------------------------------------------------------------------------

    /**
     * Writes the root-cause analysis from the template (timeline from the ledger, root cause, the fix, prevention)
     * beside the ledger, and returns the task and gate to sign it off under. Writing again replaces the text; the
     * ledger keeps every version's hash.
     */
    public HotfixResult rca(String componentName, String issue, String rootCause, String prevention) {
        Component component = component(componentName);
        State state = requireReleased(issue);
        List<LedgerEntry> entries = ledger.entries();
        String text = HotfixDocuments.rca(config, settings, component, issue, entries, rootCause, prevention);
        String path = settings.rcaDir() + "/" + issue + ".md";
        LedgerEntry record = ledger.writeRecord(path, text, "root-cause analysis of " + issue);
        Map<String, Object> data = event("rca-written", issue, component);
        data.put("version", state.released.text("version"));
        data.put("path", path);
        data.put("record", record.seq());
        ledger.append(TYPE, data);
        return result(issue, component, "done", state(issue), null, "root-cause analysis written to " + path
                + " in " + ledger.where()).withNotes(text);
    }

    /** Where the lane stands for this issue, changing nothing. */
    public HotfixResult status(String componentName, String issue) {
        Component component = component(componentName);
        requireIssue(issue);
        return result(issue, component, "status", state(issue), null, null);
    }

    // ---- state --------------------------------------------------------------------------------------------------

    /** The lane's entries for one issue, as the ledger has them now. */
    private final class State {
        LedgerEntry branched;
        LedgerEntry released;
        LedgerEntry mergedBack;
        LedgerEntry rcaWritten;
        LedgerEntry tested;
        LedgerEntry inProduction;
        Incident incident;
        boolean approved;
        boolean rcaSignedOff;
    }

    private State state(String issue) {
        List<LedgerEntry> entries = ledger.entries();
        State state = new State();
        for (LedgerEntry e : entries) {
            if (TYPE.equals(e.type()) && issue.equals(e.text("issue"))) {
                switch (e.text("event")) {
                    case "branched" -> state.branched = e;
                    case "released" -> state.released = e;
                    case "merged-back" -> state.mergedBack = e;
                    case "rca-written" -> state.rcaWritten = e;
                    default -> {
                        // deploying, merge-conflict: shown in the timeline, no state of their own
                    }
                }
            }
        }
        state.incident = Incidents.of(entries).get(issue);
        if (state.released != null) {
            String component = state.released.text("component");
            String version = state.released.text("version");
            PromotionLedger promotions = new PromotionLedger(entries);
            Environment test = settings.testEnvironment(config.promotion());
            Environment production = settings.production(config.promotion());
            state.tested = deployed(promotions.lastDeployment(component, version, test.name(), null));
            state.inProduction = deployed(promotions.lastDeployment(component, version, production.name(), null));
            PromotionLedger.GateOutcome go = promotions.gate(settings.approval(),
                    List.of(PromotionGates.release(component, version)), null);
            state.approved = go != null && go.approved();
        }
        PromotionLedger.GateOutcome signOff = new PromotionLedger(entries).gate(settings.rcaSignOff(),
                List.of(issue), null);
        state.rcaSignedOff = signOff != null && signOff.approved();
        return state;
    }

    private static LedgerEntry deployed(LedgerEntry last) {
        return last != null && PromotionLedger.DEPLOYED.equals(last.text("event")) ? last : null;
    }

    private HotfixResult result(String issue, Component component, String outcome, State state,
                                GateStatus.Notice notice, String message) {
        if (message != null) {
            Progress.line("hotfix " + issue + ": " + message);
        }
        Map<String, Boolean> phases = new LinkedHashMap<>();
        phases.put("raised", state.incident != null);
        phases.put("branched", state.branched != null);
        phases.put("released", state.released != null);
        phases.put("tested", state.tested != null);
        phases.put("approved", state.approved);
        phases.put("inProduction", state.inProduction != null);
        phases.put("restored", state.incident != null && Incident.RESTORED.equals(state.incident.status()));
        phases.put("mergedBack", state.mergedBack != null);
        phases.put("rcaWritten", state.rcaWritten != null);
        phases.put("rcaSignedOff", state.rcaSignedOff);
        LedgerEntry branched = state.branched;
        String version = branched == null ? null : branched.text("version");
        Map<String, Object> lane = new LinkedHashMap<>();
        lane.put("testEnvironment", settings.testEnvironment(config.promotion()).name());
        lane.put("production", settings.production(config.promotion()).name());
        lane.put("approvalTask", settings.approval());
        lane.put("approvalGate", version == null ? null : PromotionGates.release(component.name(), version));
        lane.put("rcaSignOffTask", settings.rcaSignOff());
        lane.put("rcaGate", issue);
        lane.put("rcaRecord", settings.rcaDir() + "/" + issue + ".md");
        lane.put("summary", state.incident == null ? "" : state.incident.summary());
        return new HotfixResult(issue, component.name(), outcome, version,
                branched == null ? null : branched.text("fromVersion"),
                branched == null ? null : branched.text("fromTag"),
                branched == null ? null : branched.text("branch"),
                state.released == null ? null : state.released.text("tag"),
                state.released == null ? List.of() : commits(state.released), List.of(),
                state.released == null ? null : state.released.text("notes"), null, phases, lane, notice,
                channels(), message);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> commits(LedgerEntry released) {
        Object value = released.data().get("commits");
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private GateView.Channels channels() {
        return new GateView.Channels(config.notifications().mail(), config.notifications().webhooks().stream()
                .map(w -> new GateView.Webhook(w.name(), w.credentialsId(), w.urlEnv())).toList());
    }

    /** Told: the inform roles' team members, and the contacts of the customers affected (all when none named). */
    private GateStatus.Notice notice(List<String> customers, String subject, String text) {
        Set<String> to = new LinkedHashSet<>(new ApprovalPolicy(config).emails(settings.inform()));
        for (Customer customer : config.customers()) {
            if (customers.isEmpty() || customers.contains(customer.name())) {
                to.addAll(customer.contacts());
            }
        }
        return new GateStatus.Notice(subject, text, env.getOrDefault("BUILD_URL", ""), List.copyOf(to));
    }

    private Map<String, Object> event(String event, String issue, Component component) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", event);
        data.put("issue", issue);
        data.put("component", component.name());
        return data;
    }

    private PersonIdent ident() {
        String user = env.getOrDefault("DEPLOYFLOW_USER", "");
        String name = env.getOrDefault("GIT_COMMITTER_NAME", "");
        String email = env.getOrDefault("GIT_COMMITTER_EMAIL", "");
        TeamMember member = config.member(user).orElse(null);
        return new PersonIdent(!name.isBlank() ? name : member != null ? member.name() : "deployflow",
                !email.isBlank() ? email : member != null ? member.primaryEmail() : "deployflow@localhost",
                clock.instant(), java.time.ZoneOffset.UTC);
    }

    private ComponentRepo open(Component component) {
        return ComponentRepo.open(workDir, RepoCache.resolve(component.repo(), config.file()), env);
    }

    private Component component(String name) {
        if (name == null || name.isBlank()) {
            throw new BadInputException(null, 0, "--component", "is required: the component the fix is for");
        }
        return config.component(name);
    }

    private static void requireIssue(String issue) {
        if (issue == null || !ISSUE.matcher(issue).matches()) {
            throw new BadInputException(null, 0, "--issue", "'" + issue + "' is not an issue key such as SEV1-123"
                    + " (letters, digits, . _ -)");
        }
    }

    private void requireRaised(String issue) {
        requireIssue(issue);
        if (Incidents.of(ledger.entries()).get(issue) == null) {
            throw new BadInputException(null, 0, "--issue", issue + " was never raised; run 'hotfix raise' first");
        }
    }

    private State requireBranched(String issue) {
        requireRaised(issue);
        State state = state(issue);
        if (state.branched == null) {
            throw new BadInputException(null, 0, "--issue", "no hotfix branch was made for " + issue + "; run"
                    + " 'hotfix branch' first");
        }
        return state;
    }

    private State requireReleased(String issue) {
        State state = requireBranched(issue);
        if (state.released == null) {
            throw new BadInputException(null, 0, "--issue", "the hotfix for " + issue + " is not released yet; run"
                    + " 'hotfix release' once the fix is merged");
        }
        return state;
    }
}
