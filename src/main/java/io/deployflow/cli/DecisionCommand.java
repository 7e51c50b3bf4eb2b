package io.deployflow.cli;

import io.deployflow.compose.VersionSetter;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.ExitCode;
import io.deployflow.decision.Choice;
import io.deployflow.decision.DecisionRecord;
import io.deployflow.decision.DecisionRequest;
import io.deployflow.decision.ProductionVersions;
import io.deployflow.decision.ReleaseDecision;
import io.deployflow.git.RepoCache;
import io.deployflow.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "decision", mixinStandardHelpOptions = true,
        description = {"Record and carry out the team's decision after a failed stack test or a failed release (error handling).",
                "retry: the components go back to release verification. release-with-error: proceed."
                        + " release-without: the components go back to production's version in --file."
                        + " do-not-release: a retrospective record is written and the customer is told.",
                "Exit 2, nothing written, when --by may not decide, the reason is blank or a component is"
                        + " unknown."})
final class DecisionCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--customer", paramLabel = "NAME",
            description = "The customer whose stack failed; leave it out for a decision about the release as a"
                    + " whole (a component whose release failed): release-without then keeps the component at its"
                    + " last release, and do-not-release tells every customer.")
    String customer;

    @Option(names = "--choice", required = true, paramLabel = "CHOICE",
            description = "retry | release-with-error | release-without | do-not-release")
    String choice;

    @Option(names = "--by", required = true, paramLabel = "USERID", description = "The decider's Jenkins user id.")
    String by;

    @Option(names = "--reason", required = true, paramLabel = "TEXT")
    String reason;

    @Option(names = "--failures", paramLabel = "smoke.json", description = "The smoke --json report.")
    Path failures;

    @Option(names = "--component", paramLabel = "NAME", description = "A failing component; repeat for more.")
    List<String> components;

    @Option(names = "--file", paramLabel = "COMPOSE",
            description = "The stack to edit for release-without; default: the customer's composeFile.")
    Path file;

    @Option(names = "--production-file", paramLabel = "COMPOSE",
            description = "For release-without: the compose file production runs (its .env beside it). Default:"
                    + " the customer's composeFile on its mainBranch, read through the repository cache.")
    Path productionFile;

    @Option(names = "--plan", paramLabel = "plan.json",
            description = "The plan as it stands. The record's planAfter is the plan that goes on: held-back"
                    + " components at the version they stay at (heldBack: who, why, when), components released with"
                    + " their error marked (knownError); release notes and deliver take it from there.")
    Path plan;

    @Option(names = "--cache", paramLabel = "DIR", description = "Repository cache; default: ~/.cache/deployflow/repos")
    Path cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        DeployflowConfig loaded = config.load();
        Choice chosen = Choice.fromCli(choice);
        VersionSetter setter = new VersionSetter(loaded);
        ReleaseDecision decision = new ReleaseDecision(loaded, setter,
                () -> productionFile != null ? ProductionVersions.fromFile(productionFile, setter)
                        : ProductionVersions.fromRepository(new RepoCache(cache != null ? cache
                        : RepoCache.defaultDir()), setter),
                Clock.systemUTC());
        DecisionRecord record = decision.decide(new DecisionRequest(customer, chosen, by, reason, components,
                failures, file, plan));
        json.write(record);
        Ledger.open(loaded).keep("decision", Ledger.fields(record, "customer", "choice", "decidedBy", "reason",
                "failing", "next", "reverted", "retrospective"));
        return ExitCode.OK;
    }
}
