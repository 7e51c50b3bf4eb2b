package io.deployflow.cli;

import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import io.deployflow.ledger.DeploymentHistory;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerVerifier;
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
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ledger", mixinStandardHelpOptions = true,
        subcommands = {LedgerCommand.Verify.class, LedgerCommand.History.class, LedgerDoraCommand.class},
        description = "The team's tamper-evident record of approvals, decisions, deployments, rollbacks and"
                + " deliveries (ledger in deployflow.yaml: a git repository, else a local file).")
final class LedgerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check that nothing in the ledger was edited, removed or reordered: every entry matches"
                    + " its hash and links to the one before; in a git ledger, every commit only appended.",
                    "Exit 0 intact, 1 tampered (each problem names its line), 3 the repository failed."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            Ledger ledger = Ledger.open(config.load());
            LedgerVerifier.Report report = ledger.verify();
            report.problems().forEach(p -> Progress.line("ledger: " + p.kind() + ": " + p.message()));
            Progress.line(report.intact() ? "ledger intact: " + report.entries() + " entries"
                    + (report.versions() > 0 ? ", " + report.versions() + " versions each only appended to" : "")
                    + " (" + ledger.where() + ")"
                    : "ledger TAMPERED: " + report.problems().size() + " problem(s) in " + ledger.where());
            json.write(new Verified(ledger.where(), report.intact(), report.entries(), report.versions(),
                    report.problems()));
            return report.intact() ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }

        /** Where the ledger is, whether it is intact, what was checked, and each problem with its line. */
        record Verified(String where, boolean intact, int entries, int versions,
                        List<LedgerVerifier.Problem> problems) {
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Render the deployment history (deployments, rollbacks, deliveries, decisions, approvals;"
                    + " newest first) as Markdown or HTML.")
    static final class History implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--out", paramLabel = "FILE",
                description = "write here (.md or .html picks the format); default: Markdown on stdout")
        Path out;

        @Option(names = "--format", paramLabel = "md|html", description = "overrides the --out extension")
        String format;

        @Option(names = "--customer", paramLabel = "NAME", description = "only this customer's entries")
        String customer;

        @Option(names = "--all", description = "every entry, not only the deployment history")
        boolean all;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "at most N rows (0: all)")
        int limit;

        @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Deployment history")
        String title;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            String chosen = format != null ? format
                    : out != null && out.getFileName().toString().endsWith(".html") ? "html" : "md";
            if (!List.of("md", "html").contains(chosen)) {
                throw new BadInputException(null, 0, "--format", "must be md or html, not '" + chosen + "'");
            }
            Ledger ledger = Ledger.open(config.load());
            List<DeploymentHistory.Row> rows = DeploymentHistory.rows(ledger.entries(), customer, all, limit);
            String text = chosen.equals("html") ? DeploymentHistory.html(title, rows)
                    : DeploymentHistory.markdown(title, rows);
            if (out == null) {
                System.out.print(text);
            } else {
                try {
                    Path parent = out.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                    Files.writeString(out, text, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + out, e);
                }
                Progress.line("deployment history: " + rows.size() + " rows written to " + out);
            }
            json.write(new Rendered(ledger.where(), rows));
            return ExitCode.OK;
        }

        /** Where the ledger is and the rows rendered, as the page shows them. */
        record Rendered(String where, List<DeploymentHistory.Row> rows) {
        }
    }
}
