package io.deployflow.cli;

import io.deployflow.compose.StackImages;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.ExitCode;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.delivery.Deliverer;
import io.deployflow.delivery.DeliveryRequest;
import io.deployflow.delivery.DeliveryResult;
import io.deployflow.delivery.DeliveryStoppedException;
import io.deployflow.git.RepoCache;
import io.deployflow.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "deliver", mixinStandardHelpOptions = true,
        description = {"Deliver the tested stack to the customer repository: a release/<version>"
                + " branch with the compose file, .env and README sections, merged into develop and then main,"
                + " an annotated tag, and a GitHub release when the repository is on GitHub.",
                "Before anything is written, the images the compose file and its .env resolve to must be the"
                        + " tested ones: the plan's releaseVersion for each component (and every image of --tested);"
                        + " otherwise exit 2 naming each difference.",
                "Exit 1: a merge conflict (named files; develop and main untouched). Exit 2: bad input. Exit 3: the"
                        + " repository is unreachable or refused a push (named branch and reason).",
                "Environment: DEPLOYFLOW_GIT_USERNAME/PASSWORD (https), DEPLOYFLOW_GITHUB_TOKEN,"
                        + " DEPLOYFLOW_GITHUB_API_URL (GitHub Enterprise), GIT_COMMITTER_NAME/EMAIL (committer)."})
final class DeliverCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CustomerOption customer;

    @Option(names = "--plan", required = true, paramLabel = "FILE",
            description = "the plan as finally tested: release-meeting's, or the planAfter of a decision")
    Path plan;

    @Option(names = "--notes-template", paramLabel = "FILE",
            description = "your own markdown template for the release notes (see release-notes); the notes in the"
                    + " tag message and the GitHub release are generated from --plan, so they say what is"
                    + " delivered and what was held back")
    Path notesTemplate;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "the tested compose file")
    Path file;

    @Option(names = "--env-file", paramLabel = "FILE",
            description = "the tested .env, delivered beside the compose file; default: the .env beside --file")
    Path envFile;

    @Option(names = "--tested", paramLabel = "FILE",
            description = "the tested stack's images (compose images --json); every service must run exactly these."
                    + " Without it the plan's component versions are checked")
    Path tested;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "keep the working clone under DIR/delivery between runs (default: ~/.cache/deployflow,"
                    + " beside the repository cache every other command uses)")
    Path cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        DeployflowConfig loaded = customer.config();
        Deliverer deliverer = new Deliverer(new DeliveryRequest(loaded, customer.customer().name(), plan, notesTemplate, file,
                envFile != null ? envFile : StackImages.besideOrNull(file), tested,
                cache != null ? cache : RepoCache.defaultDir().getParent(), System.getenv()));
        try {
            json.write(recorded(loaded, deliverer.deliver()));
            return ExitCode.OK;
        } catch (DeliveryStoppedException stopped) {
            json.write(recorded(loaded, stopped.result()));
            spec.commandLine().getErr().println("error: " + stopped.getMessage());
            return ExitCode.CHECK_FAILED;
        } catch (OutsideSystemException failed) {
            if (deliverer.result().message == null) {
                deliverer.result().message = failed.getMessage();
            }
            json.write(recorded(loaded, deliverer.result()));
            throw failed;
        }
    }

    /** Puts the delivery into the team's ledger (a rerun that found it already delivered adds nothing). */
    private static DeliveryResult recorded(DeployflowConfig loaded, DeliveryResult result) {
        if (!"unchanged".equals(result.status)) {
            Ledger.open(loaded).keep("deliver", Ledger.fields(result, "customer", "version", "status", "branch",
                    "tag", "release", "message"));
        }
        return result;
    }
}
