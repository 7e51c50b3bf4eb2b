package io.deployflow.cli;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.ExitCode;
import io.deployflow.git.RepoCache;
import io.deployflow.hotfix.HotfixLane;
import io.deployflow.hotfix.HotfixResult;
import io.deployflow.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "hotfix", mixinStandardHelpOptions = true,
        subcommands = {HotfixCommand.Raise.class, HotfixCommand.Branch.class, HotfixCommand.Release.class,
                HotfixCommand.Deploying.class, HotfixCommand.Restored.class, HotfixCommand.MergeBack.class,
                HotfixCommand.Rca.class, HotfixCommand.Status.class, HotfixCommand.Close.class},
        description = {"The unplanned release for a severity-1 issue, one step per command, each recorded in the"
                + " ledger and safe to run again: raise (tell everyone), branch (hotfix/<next patch> from the tag"
                + " production runs), release (tag it once the fix is merged; release notes naming the issue),"
                + " deploying and restored (tell everyone), merge-back (into develop; a conflict names the files),"
                + " rca (the root-cause analysis from its template), status. The deployments themselves go through"
                + " 'promote start|finish --issue'.",
                "Exit 0 done (or done before), 1 not possible yet (no fix merged, not deployed) or a merge"
                        + " conflict, 2 bad input (a component production does not run names deployflow.yaml's"
                        + " line), 3 a repository failed."})
final class HotfixCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    /** Which issue of which component, and where the clones live. */
    static final class Issue {
        @Mixin
        ConfigOption config;

        @Option(names = "--component", required = true, paramLabel = "NAME", description = "the component at fault")
        String component;

        @Option(names = "--issue", required = true, paramLabel = "KEY", description = "the issue, such as SEV1-123")
        String issue;

        @Option(names = "--cache", paramLabel = "DIR",
                description = "where repositories are cloned (default ~/.cache/deployflow)")
        Path cache;

        @Mixin
        JsonOption json;

        HotfixLane lane() {
            DeployflowConfig loaded = config.load();
            return new HotfixLane(loaded, Ledger.open(loaded), cache != null ? cache
                    : RepoCache.defaultDir().getParent(), System.getenv(), Clock.systemUTC());
        }

        /** Runs one step, writes its --json, and maps its outcome to the exit code. */
        int run(Function<HotfixLane, HotfixResult> step) {
            HotfixResult result = step.apply(lane());
            json.write(result);
            return switch (result.outcome()) {
                case "no-fix", "conflict", "not-deployed" -> ExitCode.CHECK_FAILED;
                default -> ExitCode.OK;
            };
        }
    }

    static void write(Path out, String text) {
        if (out == null || text == null) {
            return;
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    @Command(name = "raise", mixinStandardHelpOptions = true,
            description = "Record the issue as raised (open until restored or closed) and print whom to tell.")
    static final class Raise implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Option(names = "--summary", paramLabel = "TEXT", description = "what is wrong, in one line")
        String summary;

        @Option(names = "--severity", paramLabel = "1|2", defaultValue = "1")
        int severity;

        @Option(names = "--customer", paramLabel = "NAME", description = "a customer affected; repeatable"
                + " (default: all)")
        List<String> customers = new ArrayList<>();

        @Override
        public Integer call() {
            return issue.run(lane -> lane.raise(issue.component, issue.issue, severity, summary, customers));
        }
    }

    @Command(name = "branch", mixinStandardHelpOptions = true,
            description = "Make hotfix/<next patch> from the tag production runs (read from the ledger, else from"
                    + " the customers' repositories) and push it.")
    static final class Branch implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Override
        public Integer call() {
            return issue.run(lane -> lane.branch(issue.component, issue.issue));
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Once the fix is merged into the hotfix branch: tag the patch release on its tip, write"
                    + " the release notes naming the issue, record them as shared. Exit 1 while no fix is merged.")
    static final class Release implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Option(names = "--notes-out", paramLabel = "FILE", description = "also write the release notes here")
        Path notesOut;

        @Override
        public Integer call() {
            return issue.run(lane -> {
                HotfixResult result = lane.release(issue.component, issue.issue);
                write(notesOut, result.notes());
                return result;
            });
        }
    }

    @Command(name = "deploying", mixinStandardHelpOptions = true,
            description = "Record that the fix is going to production now, and print whom to tell.")
    static final class Deploying implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Override
        public Integer call() {
            return issue.run(lane -> lane.deploying(issue.component, issue.issue));
        }
    }

    @Command(name = "restored", mixinStandardHelpOptions = true,
            description = "Declare service restored once the ledger shows the fix deployed to production; print"
                    + " whom to tell. Exit 1 before that.")
    static final class Restored implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Override
        public Integer call() {
            return issue.run(lane -> lane.restored(issue.component, issue.issue));
        }
    }

    @Command(name = "merge-back", mixinStandardHelpOptions = true,
            description = "Merge the released fix into the component's develop branch and push it. A conflict"
                    + " pushes nothing and names the files (exit 1).")
    static final class MergeBack implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Override
        public Integer call() {
            return issue.run(lane -> lane.mergeBack(issue.component, issue.issue));
        }
    }

    @Command(name = "rca", mixinStandardHelpOptions = true,
            description = "Write the root-cause analysis (timeline from the ledger, root cause, fix, prevention) from"
                    + " resources/io/deployflow/templates/rca.md beside the ledger; running it again replaces it.")
    static final class Rca implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Option(names = "--root-cause", paramLabel = "TEXT", description = "Markdown; line breaks are kept")
        String rootCause;

        @Option(names = "--prevention", paramLabel = "TEXT", description = "Markdown; line breaks are kept")
        String prevention;

        @Option(names = "--out", paramLabel = "FILE", description = "also write the analysis here")
        Path out;

        @Override
        public Integer call() {
            return issue.run(lane -> {
                HotfixResult result = lane.rca(issue.component, issue.issue, rootCause, prevention);
                write(out, result.notes());
                return result;
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Where the lane stands for the issue.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Override
        public Integer call() {
            return issue.run(lane -> lane.status(issue.component, issue.issue));
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true,
            description = "Close an issue resolved without a release, with the reason.")
    static final class Close implements Callable<Integer> {
        @Mixin
        Issue issue;

        @Option(names = "--reason", required = true, paramLabel = "TEXT")
        String reason;

        @Override
        public Integer call() {
            return issue.run(lane -> lane.close(issue.component, issue.issue, reason));
        }
    }
}
