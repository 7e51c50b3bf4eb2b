package io.deployflow.cli;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.ledger.Ledger;
import io.deployflow.notify.Notice;
import io.deployflow.notify.Notifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "notify", mixinStandardHelpOptions = true,
        description = {"Tell people through the channels configured under notify in deployflow.yaml: each webhook"
                + " (Slack or Teams JSON; the URL from its urlEnv variable) is sent here, and when notify.mail is on"
                + " the mail for Jenkins' mail step is printed in --json. Every outcome goes into the ledger.",
                "With --record CHANNEL, only records the outcome of a channel the pipeline sent itself (mail).",
                "Exit 0 sent (or no channel configured), 3 a webhook failed after retries (recorded), 2 bad input."})
final class NotifyCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--subject", required = true, paramLabel = "TEXT")
    String subject;

    @Option(names = "--text", paramLabel = "TEXT", defaultValue = "", description = "line breaks are kept")
    String text;

    @Option(names = "--link", paramLabel = "URL", description = "shown as a button (the approval page, the build)")
    String link;

    @Option(names = "--link-label", paramLabel = "TEXT", defaultValue = "Open in Jenkins")
    String linkLabel;

    @Option(names = "--channel", paramLabel = "NAME", description = "only these webhooks; repeatable")
    List<String> channels = new ArrayList<>();

    @Option(names = "--mail-to", paramLabel = "EMAIL", description = "mail recipients, used when notify.mail is on;"
            + " repeatable")
    List<String> mailTo = new ArrayList<>();

    @Option(names = "--event", paramLabel = "NAME", defaultValue = "",
            description = "what this is about, kept in the ledger (approval-requested, approved, …)")
    String event;

    @Option(names = "--record", paramLabel = "CHANNEL", description = "record an outcome instead of sending")
    String record;

    @Option(names = "--outcome", paramLabel = "sent|failed", description = "with --record")
    String outcome;

    @Option(names = "--detail", paramLabel = "TEXT", defaultValue = "", description = "with --record: why it failed")
    String detail;

    @Mixin
    JsonOption json;

    /** What the CLI did: the webhooks it sent, the mail for Jenkins' mail step (null: none), whether any failed. */
    record Sent(List<Notifier.Delivery> webhooks, Mail mail, boolean failed) {
    }

    record Mail(List<String> to, String subject, String body) {
    }

    /** The ledger entry of a notification; also the --json of --record. */
    record Notification(String event, String subject, List<?> channels, String status) {
        void keep(Ledger ledger) {
            ledger.keep("notification", Ledger.fields(this, "event", "subject", "channels", "status"));
        }
    }

    /** The outcome of a channel the pipeline sent itself. */
    record Recorded(String channel, String outcome, String detail) {
    }

    @Override
    public Integer call() {
        DeployflowConfig loaded = config.load();
        Ledger ledger = Ledger.open(loaded);
        if (record != null) {
            if (!List.of("sent", "failed").contains(String.valueOf(outcome))) {
                throw new BadInputException(null, 0, "--outcome", "with --record, give --outcome sent or failed");
            }
            Notification recorded = new Notification(event, subject, List.of(new Recorded(record, outcome, detail)),
                    outcome);
            recorded.keep(ledger);
            json.write(recorded);
            return ExitCode.OK;
        }
        for (String channel : channels) {
            if (loaded.notifications().webhooks().stream().noneMatch(w -> w.name().equals(channel))) {
                throw new BadInputException(loaded.file().toString(), 0, "notify.webhooks", "no webhook named '"
                        + channel + "'");
            }
        }
        List<Notifier.Delivery> sent = new Notifier(loaded.notifications(), System.getenv())
                .send(new Notice(subject, text, link, linkLabel), channels);
        Mail mail = loaded.notifications().mail() && !mailTo.isEmpty() ? new Mail(mailTo, subject, text
                + (link == null ? "" : "\n\n" + linkLabel + ": " + link) + "\n") : null;
        boolean failed = sent.stream().anyMatch(d -> !d.sent());
        if (!sent.isEmpty()) {
            new Notification(event, subject, sent, failed ? "failed" : "sent").keep(ledger);
        }
        json.write(new Sent(sent, mail, failed));
        return failed ? ExitCode.OUTSIDE_SYSTEM_FAILED : ExitCode.OK;
    }
}
