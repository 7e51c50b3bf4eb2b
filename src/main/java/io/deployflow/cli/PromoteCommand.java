package io.deployflow.cli;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import io.deployflow.git.RepoCache;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerEntry;
import io.deployflow.promotion.Criterion;
import io.deployflow.promotion.PromotionCheck;
import io.deployflow.promotion.PromotionRequest;
import io.deployflow.promotion.Promotions;
import io.deployflow.promotion.ReleaseHistory;
import io.deployflow.promotion.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "promote", mixinStandardHelpOptions = true,
        subcommands = {PromoteCommand.Check.class, PromoteCommand.Start.class, PromoteCommand.Finish.class,
                PromoteCommand.Evidence.class, PromoteCommand.Environments.class},
        description = {"Promotion of a version through the environments in deployflow.yaml (promotion.environments):"
                + " every criterion of the target environment is checked against the ledger and the calendar and"
                + " printed with PASS or FAIL.",
                "environments: the environments in order, as a pipeline goes through them. check: the verdict,"
                        + " changing nothing. start: the verdict, recorded; exit 1 refuses, naming the"
                        + " unmet criteria. finish: records whether the deployment worked. evidence: records that"
                        + " release notes were shared or training documentation updated.",
                "Exit 0 all criteria hold (start: recorded as started), 1 refused, 2 bad input (an unknown"
                        + " environment names deployflow.yaml's line), 3 the ledger repository failed."})
final class PromoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    /** Which version of which service goes where, in which build. */
    static final class Target {
        // no mixinStandardHelpOptions on these commands: its --version would clash with the version promoted
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Mixin
        ConfigOption config;

        @Option(names = "--service", required = true, paramLabel = "NAME",
                description = "the service promoted: a component's name, or your product's")
        String service;

        @Option(names = "--version", required = true, paramLabel = "VERSION")
        String version;

        @Option(names = "--to", required = true, paramLabel = "ENVIRONMENT",
                description = "an environment of promotion.environments")
        String to;

        @Option(names = "--customer", paramLabel = "NAME",
                description = "when the environment is one customer's (production at one site)")
        String customer;

        @Option(names = "--issue", paramLabel = "KEY",
                description = "the severity-1 issue this hotfix fixes (the hotfix lane's criteria apply)")
        String issue;

        @Option(names = "--build", paramLabel = "URL", description = "the promoting build (default: BUILD_URL)")
        String build;

        @Option(names = "--cache", paramLabel = "DIR",
                description = "where repositories are cloned, to read when a release was first committed (default"
                        + " ~/.cache/deployflow)")
        Path cache;

        private DeployflowConfig loaded;

        DeployflowConfig config() {
            if (loaded == null) {
                loaded = config.load();
                if (customer != null) {
                    loaded.customer(customer);
                }
            }
            return loaded;
        }

        PromotionRequest request(String overrideGate) {
            return new PromotionRequest(service, version, to, customer,
                    build != null ? build : System.getenv("BUILD_URL"), issue, overrideGate);
        }

        Promotions promotions() {
            DeployflowConfig c = config();
            RepoCache repos = new RepoCache(cache != null ? cache.resolve("repos") : RepoCache.defaultDir());
            return new Promotions(c, Ledger.open(c), Clock.systemUTC(), ReleaseHistory.fromGit(c, repos));
        }
    }

    /** Prints the verdict one criterion per line, and the outcome. */
    static void print(Verdict verdict, String outcome) {
        PromotionRequest r = verdict.request();
        Progress.line("promote " + r.describe() + " (" + (r.hotfix() ? "hotfix for " + r.issue() : "planned release")
                + ") at " + verdict.at());
        for (Criterion criterion : verdict.criteria()) {
            Progress.line(criterion.line());
        }
        Progress.line(outcome);
    }

    static String refusal(Verdict verdict) {
        return "refused: unmet " + String.join(", ", verdict.unmet())
                + (verdict.nextWindow() == null ? "" : "; deployments are next allowed at " + verdict.nextWindow())
                + (verdict.overrideTask() == null ? "" : "; an emergency override needs the approval task '"
                + verdict.overrideTask() + "' under the gate '" + verdict.overrideGate() + "'");
    }

    @Command(name = "check",
            description = "Print every criterion with PASS or FAIL, changing nothing. Exit 0 all hold, 1 not.")
    static final class Check implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--at", paramLabel = "INSTANT",
                description = "judge as at this time (ISO-8601, such as 2026-12-24T09:00:00Z); default now")
        String at;

        @Option(names = "--override-gate", paramLabel = "GATE", description = "count this approved override")
        String overrideGate;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            Instant when;
            try {
                when = at == null ? Instant.now() : Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw new BadInputException(null, 0, "--at", "'" + at + "' is not an ISO-8601 instant such as"
                        + " 2026-12-24T09:00:00Z");
            }
            Verdict verdict = target.promotions().check(target.request(overrideGate), when);
            print(verdict, verdict.allMet() ? "all criteria hold" : refusal(verdict));
            json.write(verdict);
            return verdict.allMet() ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }
    }

    @Command(name = "start",
            description = {"Check every criterion now and record the outcome in the ledger: started, or refused"
                    + " (exit 1, the unmet criteria named). With --override-gate, an approved emergency override"
                    + " (promotion.override's task, asked under the gate the refusal names, in this build) lets"
                    + " the unmet criteria past, recorded as overridden."})
    static final class Start implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--override-gate", paramLabel = "GATE",
                description = "the emergency override's gate, approved in this build")
        String overrideGate;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            Promotions.Started started = target.promotions().start(target.request(overrideGate));
            Verdict verdict = started.verdict();
            print(verdict, verdict.allMet() ? (verdict.override() == null ? "started" : "started under the"
                    + " emergency override approved by " + verdict.override().get("approvedBy")) + " (ledger #"
                    + started.entry() + ")" : refusal(verdict) + " (recorded as ledger #" + started.entry() + ")");
            Map<String, Object> out = new LinkedHashMap<>(Ledger.fields(verdict, "request", "lane", "at",
                    "criteria", "unmet", "allMet", "override", "overrideTask", "overrideGate", "nextWindow",
                    "environment", "approvalsToAsk"));
            out.put("started", verdict.allMet());
            out.put("entry", started.entry());
            json.write(out);
            return verdict.allMet() ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }
    }

    @Command(name = "finish",
            description = "Record how the deployment of a started promotion ended. Exit 2 when this build started"
                    + " no such promotion.")
    static final class Finish implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--outcome", required = true, paramLabel = "deployed|failed")
        String outcome;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why it failed")
        String reason;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            if (!outcome.equals("deployed") && !outcome.equals("failed")) {
                throw new BadInputException(null, 0, "--outcome", "must be deployed or failed, not '" + outcome
                        + "'");
            }
            LedgerEntry entry = target.promotions().finish(target.request(null), outcome.equals("deployed"),
                    reason);
            Progress.line("promote " + target.request(null).describe() + ": " + outcome + " (ledger #"
                    + entry.seq() + ")");
            json.write(new Finished(outcome, entry.seq(), entry.data()));
            return ExitCode.OK;
        }

        /** How the deployment ended and the ledger entry that says so. */
        record Finished(String outcome, long entry, Map<String, Object> data) {
        }
    }

    @Command(name = "evidence",
            description = "Record that release notes were shared or training documentation updated for a version;"
                    + " the criteria releaseNotes and training look for these.")
    static final class Evidence implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Mixin
        ConfigOption config;

        @Option(names = "--kind", required = true, paramLabel = "release-notes|training")
        String kind;

        @Option(names = "--service", required = true, paramLabel = "NAME")
        String service;

        @Option(names = "--version", required = true, paramLabel = "VERSION")
        String version;

        @Option(names = "--environment", paramLabel = "NAME",
                description = "only for this environment (UAT notes for the product owner); default: every one")
        String environment;

        @Option(names = "--link", paramLabel = "URL", description = "where it is")
        String link;

        @Option(names = "--note", paramLabel = "TEXT", description = "who it was shared with, what changed")
        String note;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            DeployflowConfig loaded = config.load();
            LedgerEntry entry = new Promotions(loaded, Ledger.open(loaded), Clock.systemUTC(), ReleaseHistory.NONE)
                    .evidence(kind, service, version, environment, link, note);
            Progress.line("evidence: " + kind + " for " + service + " " + version
                    + (environment == null ? "" : " (" + environment + ")") + " recorded as ledger #" + entry.seq());
            json.write(new Recorded(entry.seq(), entry.data()));
            return ExitCode.OK;
        }

        /** The ledger entry the evidence went into. */
        record Recorded(long entry, Map<String, Object> data) {
        }
    }

    @Command(name = "environments", mixinStandardHelpOptions = true,
            description = "The environments of promotion.environments in order, with their settings (name, target,"
                    + " routes, baseUrl, timeZone, production): what a pipeline goes through, so its Jenkinsfile"
                    + " does not repeat them. An empty list when deployflow.yaml has no promotion section.")
    static final class Environments implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            DeployflowConfig loaded = config.load();
            List<Map<String, Object>> environments = loaded.promotion().environments().stream()
                    .map(PromotionCheck::where).toList();
            for (Map<String, Object> environment : environments) {
                Progress.line("environment " + environment.get("name")
                        + (Boolean.TRUE.equals(environment.get("production")) ? " (production)" : ""));
            }
            json.write(new Listed(environments));
            return ExitCode.OK;
        }

        /** Each environment's settings as the promotion criteria name them (PromotionCheck.where). */
        record Listed(List<Map<String, Object>> environments) {
        }
    }
}
