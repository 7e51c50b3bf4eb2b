package io.deployflow.cli;

import io.deployflow.compose.EnvFile;
import io.deployflow.compose.StackImages;
import io.deployflow.compose.TestedImages;
import io.deployflow.config.Customer;
import io.deployflow.config.PortainerTarget;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.ledger.Ledger;
import io.deployflow.portainer.ComposeAdapter;
import io.deployflow.portainer.Credentials;
import io.deployflow.portainer.DeploymentCheck;
import io.deployflow.portainer.LedgerRollbackPoints;
import io.deployflow.portainer.PortainerClient;
import io.deployflow.portainer.PortainerDeployer;
import io.deployflow.portainer.RollbackPoint;
import io.deployflow.portainer.RollbackPoints;
import io.deployflow.portainer.StateDirRollbackPoints;
import io.deployflow.portainer.SmokeRoutesCheck;
import io.deployflow.portainer.Timings;
import io.deployflow.smoke.RoutesFile;
import io.deployflow.smoke.SmokeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

@Command(name = "portainer", mixinStandardHelpOptions = true,
        subcommands = {PortainerCommand.Deploy.class, PortainerCommand.Rollback.class},
        description = "Deploy a customer's stack to Portainer, verify it, roll it back.")
final class PortainerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    /**
     * Runs the work and writes its result. When Portainer refuses or fails before a result exists, the JSON still
     * says so, because the pipeline step reads the file rather than parsing stderr.
     */
    static int written(JsonOption json, Supplier<Map<String, Object>> work) {
        try {
            Map<String, Object> result = work.get();
            json.write(result);
            return (Integer) result.get("exitCode");
        } catch (BadInputException | OutsideSystemException e) {
            json.write(new Failed("failed", e.getMessage(), false, e instanceof BadInputException
                    ? ExitCode.BAD_INPUT : ExitCode.OUTSIDE_SYSTEM_FAILED));
            throw e;
        }
    }

    /** Portainer refused or failed before there was a result: nothing was rolled back, and why. */
    record Failed(String outcome, String message, boolean rolledBack, int exitCode) {
    }

    /** Options both subcommands share. */
    static final class Target {
        @Mixin
        CustomerOption named;

        @Option(names = "--routes", paramLabel = "FILE",
                description = "smoke routes run against portainer.deployedUrl (else the file's baseUrl)")
        Path routes;

        @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".deployflow/portainer",
                description = "where the file as sent is written, and the rollback point is kept when deployflow.yaml"
                        + " names no ledger repository (default: ${DEFAULT-VALUE})")
        Path stateDir;

        private Customer customer;

        /** The customer and its Portainer target, validated. */
        Customer customer() {
            if (customer == null) {
                customer = named.customer();
                if (customer.portainer() == null) {
                    throw customer.ref().error("customer '" + named.name + "' has no portainer section: nothing"
                            + " to deploy to");
                }
            }
            return customer;
        }

        /** Puts what happened into the team's ledger and returns the result as it was. */
        Map<String, Object> recorded(String type, Map<String, Object> result) {
            Ledger.open(named.config()).keep(type, Ledger.fields(result, "customer", "outcome",
                    "action", "stack", "rolledBack", "rollbackVerified", "message"));
            return result;
        }

        /** Routes and credentials are checked here too, so every refusal comes before the first call. */
        PortainerDeployer deployer() {
            Customer target = customer();
            DeploymentCheck check = null;
            if (routes != null) {
                SmokeOptions defaults = SmokeOptions.defaults();
                check = new SmokeRoutesCheck(RoutesFile.load(routes), new SmokeOptions(defaults.concurrency(),
                        Duration.ofSeconds(Math.min(120, target.portainer().waitSeconds())),
                        defaults.routeTimeout()));
            }
            Credentials credentials = Credentials.from(target.portainer(), System::getenv);
            Timings timings = Timings.defaults();
            return new PortainerDeployer(target, new PortainerClient(target.portainer().url(), credentials, timings),
                    timings, stateDir, rollbackPoints(), check);
        }

        /**
         * Beside the team's ledger when deployflow.yaml names a ledger repository, so that a rollback finds the point
         * from any agent; else in the state directory of this agent.
         */
        RollbackPoints rollbackPoints() {
            customer();
            return named.config().ledger().inGit() ? new LedgerRollbackPoints(Ledger.open(named.config()))
                    : new StateDirRollbackPoints(stateDir);
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Adapt the tested compose file for Portainer, update the stack (keeping its variables),"
                    + " wait until it runs, run the smoke routes; roll back on failure. Exit 0 deployed, 1 failed"
                    + " and rolled back, 2 bad input (nothing changed, including images that are not the tested"
                    + " ones per --plan / --tested), 3 Portainer failed.")
    static final class Deploy implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "the tested compose file")
        Path file;

        @Option(names = "--env-file", paramLabel = "FILE",
                description = "the tested .env: laid over the stack's variables; a declared secret it would change"
                        + " is refused (exit 2); default: the .env beside --file")
        Path envFile;

        @Option(names = "--plan", paramLabel = "FILE",
                description = "the plan as tested: each component's service must run its releaseVersion")
        Path plan;

        @Option(names = "--tested", paramLabel = "FILE",
                description = "the tested stack's images (compose images --json): every service must run exactly"
                        + " these")
        Path tested;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            PortainerTarget portainer = target.customer().portainer();
            ComposeAdapter.Adapted adapted = ComposeAdapter.adapt(file.toString(), read(file),
                    portainer.buildSections(), portainer.relativeMounts());
            Path effectiveEnv = envFile != null ? envFile : StackImages.besideOrNull(file);
            EnvFile env = effectiveEnv == null ? null : EnvFile.read(effectiveEnv, EnvFile.Mode.STRICT_SHELL_NAMES);
            PortainerDeployer deployer = target.deployer();
            TestedImages images = testedImages();
            if (images == null) {
                Progress.line("Portainer: the images are not checked against a tested stack (no --plan, no"
                        + " --tested)");
            } else {
                deployer.requireTested(images, file);
            }
            adapted.changes().forEach(c -> Progress.line("Portainer: " + c));
            return written(json, () -> target.recorded("deploy", deployer.deploy(adapted, env)));
        }

        private TestedImages testedImages() {
            TestedImages fromPlan = plan == null ? null
                    : TestedImages.fromPlan(target.named.config(), plan);
            TestedImages fromRecord = tested == null ? null : TestedImages.fromRecord(tested);
            if (fromPlan != null && fromRecord != null) {
                return fromPlan.and(fromRecord);
            }
            return fromPlan != null ? fromPlan : fromRecord;
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new BadInputException(file.toString(), 0, null, "cannot read the compose file: " + e);
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Put the stack back to the point the last deploy kept (beside the ledger when"
                    + " deployflow.yaml names a ledger repository, from any agent; else in --state-dir), and verify it"
                    + " with --routes."
                    + " Exit 0 restored and verified, 1 restored but not verified, 2 bad input, 3 Portainer failed.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        Target target;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            RollbackPoint point = target.rollbackPoints().load(target.customer().name(),
                    target.customer().portainer().stack());
            PortainerDeployer deployer = target.deployer();
            return written(json, () -> target.recorded("rollback", deployer.rollbackOnDemand(point)));
        }
    }
}
