package io.deployflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "deployflow", mixinStandardHelpOptions = true, versionProvider = DeployflowCommand.Version.class,
        description = "Release and deployment process as code. Exit codes: 0 ok, 1 a check failed,"
                + " 2 bad input (nothing changed), 3 an outside system failed.")
final class DeployflowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return io.deployflow.core.ExitCode.BAD_INPUT;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"deployflow " + (version == null ? "dev" : version)};
        }
    }
}
