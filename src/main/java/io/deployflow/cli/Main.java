package io.deployflow.cli;

import io.deployflow.core.AuditLog;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.InputProblemsException;
import io.deployflow.core.OutsideSystemException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point. Every pipeline step starts a JVM, so start-up is part of each step's cost: subcommands are listed
 * here by class name and only the one invoked is loaded, the top command's model is built in code
 * ({@link DeployflowCommand}), and {@code --version} is answered before picocli is loaded at all. {@code --help}
 * loads every command, which is fine for a human.
 */
public final class Main {
    /** Subcommand name to implementing class; one line per capability. */
    static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("validate", "io.deployflow.cli.ValidateCommand");
        COMMANDS.put("release-meeting", "io.deployflow.cli.ReleaseMeetingCommand");
        COMMANDS.put("demo", "io.deployflow.cli.DemoCommand");
        COMMANDS.put("verify-release", "io.deployflow.cli.VerifyReleaseCommand");
        COMMANDS.put("release-notes", "io.deployflow.cli.ReleaseNotesCommand");
        COMMANDS.put("compose", "io.deployflow.cli.ComposeCommand");
        COMMANDS.put("decision", "io.deployflow.cli.DecisionCommand");
        COMMANDS.put("stack", "io.deployflow.cli.StackCommand");
        COMMANDS.put("deliver", "io.deployflow.cli.DeliverCommand");
        COMMANDS.put("smoke", "io.deployflow.cli.SmokeCommand");
        COMMANDS.put("portainer", "io.deployflow.cli.PortainerCommand");
        COMMANDS.put("config", "io.deployflow.cli.ConfigCommand");
        COMMANDS.put("release", "io.deployflow.cli.ReleaseCommand");
        COMMANDS.put("approval", "io.deployflow.cli.ApprovalCommand");
        COMMANDS.put("ledger", "io.deployflow.cli.LedgerCommand");
        COMMANDS.put("notify", "io.deployflow.cli.NotifyCommand");
        COMMANDS.put("promote", "io.deployflow.cli.PromoteCommand");
        COMMANDS.put("hotfix", "io.deployflow.cli.HotfixCommand");
        COMMANDS.put("bluegreen", "io.deployflow.cli.BlueGreenCommand");
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command in this JVM and returns its exit code; tests call this directly. */
    public static int run(String... args) {
        return run(args, true);
    }

    /** @param audited false only for the class-data archive's training run, which does nothing a user asked for */
    static int run(String[] args, boolean audited) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // the cheapest command there is, and what agents run to check the install: no picocli, no audit entry
            System.out.println(DeployflowCommand.version());
            return ExitCode.OK;
        }
        CommandLine cli = new CommandLine(DeployflowCommand.spec());
        String first = args.length == 0 ? null : args[0];
        if (first != null && COMMANDS.containsKey(first)) {
            cli.addSubcommand(first, instantiate(COMMANDS.get(first)));
        } else if (first == null || !first.startsWith("-") || wantsHelp(args)) {
            COMMANDS.forEach((name, type) -> cli.addSubcommand(name, instantiate(type)));
        }
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.BAD_INPUT;
        });
        int code = cli.execute(args);
        if (audited) {
            audit(cli, args, code);
        }
        return code;
    }

    /** Every subcommand run is audited, except help and version output, which change and decide nothing. */
    private static void audit(CommandLine cli, String[] args, int code) {
        CommandLine.ParseResult parsed = cli.getParseResult();
        if (parsed == null || !parsed.hasSubcommand()) {
            return;
        }
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
            return;
        }
        String command = leaf.commandSpec().qualifiedName(" ").replaceFirst("^deployflow ", "");
        AuditLog.fromEnvironment().record(command, List.of(args), code);
    }

    private static boolean wantsHelp(String[] args) {
        return args[0].equals("--help") || args[0].equals("-h");
    }

    /** The command object, or the model of a command that builds its own ({@link OptionsInCode}). */
    private static Object instantiate(String className) {
        try {
            Object command = Class.forName(className).getDeclaredConstructor().newInstance();
            return command instanceof OptionsInCode.InCode inCode ? inCode.spec() : command;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("command class missing from the jar: " + className, e);
        }
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof InputProblemsException many) {
            many.problems().forEach(problem -> err.println("error: " + problem.getMessage()));
            err.println(many.problems().size() + " problems. Nothing was changed.");
            return ExitCode.BAD_INPUT;
        }
        if (e instanceof BadInputException) {
            err.println("error: " + e.getMessage());
            err.println("Nothing was changed.");
            return ExitCode.BAD_INPUT;
        }
        if (e instanceof OutsideSystemException) {
            err.println("error: " + e.getMessage());
            return ExitCode.OUTSIDE_SYSTEM_FAILED;
        }
        err.println("internal error (a deployflow bug, please report it): " + e);
        e.printStackTrace(err);
        return ExitCode.INTERNAL_ERROR;
    }
}
