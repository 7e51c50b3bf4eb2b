package io.deployflow.cli;

import io.deployflow.approval.Answer;
import io.deployflow.approval.ApprovalGate;
import io.deployflow.approval.ApprovalPolicy;
import io.deployflow.approval.GateKey;
import io.deployflow.approval.GateStatus;
import io.deployflow.approval.GateView;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import io.deployflow.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "approval", mixinStandardHelpOptions = true,
        subcommands = {ApprovalCommand.Open.class, ApprovalCommand.Check.class, ApprovalCommand.Status.class},
        description = {"The approval gate's engine: who may approve what (approval in deployflow.yaml), quorum,"
                + " no self-approval, checklists, reasons for rejections. Every answer goes into the ledger, and"
                + " the gate's state is read back from it.",
                "open: record the request and print what to ask and whom. check: record one answer and print the"
                        + " gate's state. status: print the gate's state.",
                "Exit 0: the gate is approved (open: recorded). 1: not approved (yet): pending, rejected, timed out"
                        + " or aborted; --json says which. 2: bad input, nothing recorded. 3: the ledger repository"
                        + " failed."})
final class ApprovalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    /** Options every subcommand shares: which gate of which build. */
    static final class Gate {
        @Mixin
        ConfigOption config;

        @Option(names = "--task", required = true, paramLabel = "TASK",
                description = "an approval.tasks entry, or release-plan / release-decision / traffic-shift"
                        + " (built in)")
        String task;

        @Option(names = "--gate", paramLabel = "NAME",
                description = "tells two gates of one task in one build apart (default: the task)")
        String gate;

        @Option(names = "--build", paramLabel = "URL", description = "the build the gate belongs to (default:"
                + " BUILD_URL)")
        String build;

        @Option(names = "--started-by", paramLabel = "USERID",
                description = "who started the build (default: DEPLOYFLOW_USER, which the library sets)")
        String startedBy;

        @Option(names = "--author", paramLabel = "ID_OR_EMAIL",
                description = "an author of the change (may not approve unless selfApproval); repeatable")
        List<String> authors = new ArrayList<>();

        @Option(names = "--item", paramLabel = "TEXT",
                description = "a checklist item added to the task's own; give the same items to every call")
        List<String> items = new ArrayList<>();

        DeployflowConfig config() {
            return config.load();
        }

        GateKey key() {
            return new GateKey(task, gate, build != null ? build : System.getenv("BUILD_URL"));
        }

        String startedBy() {
            if (startedBy != null) {
                return startedBy;
            }
            String env = System.getenv("DEPLOYFLOW_USER");
            return env == null ? "" : env;
        }

        ApprovalGate engine() {
            DeployflowConfig c = config();
            ApprovalPolicy policy = new ApprovalPolicy(c);
            policy.task(task);
            return new ApprovalGate(policy, Ledger.open(c));
        }
    }

    @Command(name = "open", mixinStandardHelpOptions = true,
            description = "Record that an approval is requested and print (--json) what the input should show:"
                    + " one-line message, details, who may answer (submitter), checklist, timeout, channels.")
    static final class Open implements Callable<Integer> {
        @Mixin
        Gate gate;

        @Option(names = "--message", paramLabel = "TEXT", description = "one line: what is being approved")
        String message;

        @Option(names = "--details", paramLabel = "TEXT", description = "more text; line breaks are kept")
        String details;

        @Option(names = "--link", paramLabel = "LABEL=URL", description = "a link shown with the request;"
                + " repeatable")
        List<String> links = new ArrayList<>();

        @Option(names = "--input-url", paramLabel = "URL",
                description = "the approval page sent in notifications (default: BUILD_URL + input/)")
        String inputUrl;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            List<GateView.Link> parsed = new ArrayList<>();
            for (String link : links) {
                int eq = link.indexOf('=');
                if (eq <= 0 || eq == link.length() - 1) {
                    throw new BadInputException(null, 0, "--link", "'" + link + "' is not LABEL=URL");
                }
                parsed.add(new GateView.Link(link.substring(0, eq).trim(), link.substring(eq + 1).trim()));
            }
            String buildUrl = System.getenv("BUILD_URL");
            String page = inputUrl != null ? inputUrl : buildUrl == null || buildUrl.isBlank() ? null
                    : buildUrl + (buildUrl.endsWith("/") ? "" : "/") + "input/";
            GateView view = gate.engine().open(gate.key(), new ApprovalGate.Request(gate.startedBy(), gate.authors,
                    gate.items, message, details, parsed, page));
            Progress.line("approval " + view.task() + ": requested; " + view.status().summary() + "; may answer: "
                    + (view.submitter().isEmpty() ? "nobody" : view.submitter()));
            json.write(view);
            return ExitCode.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Record one answer to the gate with whether it counts (and why not), and print the gate's"
                    + " state. Exit 0 when the gate is now approved, 1 otherwise.")
    static final class Check implements Callable<Integer> {
        @Mixin
        Gate gate;

        @Option(names = "--answer", required = true, paramLabel = "EVENT",
                description = "approve | reject | timeout | abort")
        String answer;

        @Option(names = "--by", paramLabel = "USERID", description = "the Jenkins user id that answered")
        String by;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why (required to reject)")
        String reason;

        @Option(names = "--checked", paramLabel = "ITEM", description = "a ticked checklist item; repeatable")
        List<String> checked = new ArrayList<>();

        @Option(names = "--group", paramLabel = "GROUP", description = "a Jenkins group of the answering user;"
                + " repeatable")
        List<String> groups = new ArrayList<>();

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            GateStatus status = gate.engine().answer(gate.key(), new Answer(answer, by, reason, checked, groups,
                    gate.startedBy(), gate.authors, gate.items));
            GateStatus.Verdict verdict = status.answer();
            Progress.line("approval " + status.task() + ": " + verdict.event() + (verdict.by().isEmpty() ? ""
                    : " by " + verdict.by()) + (verdict.counted() ? " counted" : " refused: " + verdict.refused()));
            Progress.line("approval " + status.task() + ": " + status.status() + ": " + status.summary());
            json.write(status);
            return status.approved() ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print the gate's state from the ledger. Exit 0 when approved, 1 otherwise.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Gate gate;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            GateStatus status = gate.engine().status(gate.key());
            Progress.line("approval " + status.task() + ": " + status.status() + ": " + status.summary());
            json.write(status);
            return status.approved() ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }
    }
}
