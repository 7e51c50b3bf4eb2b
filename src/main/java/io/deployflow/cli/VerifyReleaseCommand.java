package io.deployflow.cli;

import io.deployflow.core.ExitCode;
import io.deployflow.git.RepoCache;
import io.deployflow.registry.RegistryClient;
import io.deployflow.release.ReleaseVerifier;
import io.deployflow.release.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "verify-release",
        description = {"Check that a release was done right: tag exists, tagged commit does not skip CI, README"
                + " changed since the previous release and has an example configuration, image is in the registry.",
                "Prints PASS/FAIL per check; exit 1 if any check fails, 3 if the registry could not be asked."})
final class VerifyReleaseCommand implements Callable<Integer> {
    // no mixinStandardHelpOptions: its --version would clash with the release version option
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ConfigOption config;

    @Option(names = "--component", required = true, paramLabel = "NAME", description = "Component to verify.")
    String component;

    @Option(names = "--version", paramLabel = "VERSION",
            description = "Version to verify, 1.3.0 or v1.3.0 (default: the latest release).")
    String version;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Repository cache (default: ~/.cache/deployflow/repos).")
    Path cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        VerificationReport report = new ReleaseVerifier(config.load(),
                new RepoCache(cache == null ? RepoCache.defaultDir() : cache), new RegistryClient())
                .verify(component, version);
        json.write(report);
        report.checks().forEach(System.out::println);
        System.out.println((report.passed() ? "PASSED " : "FAILED ") + report.component() + " "
                + (report.tag() == null ? "(no release)" : report.tag()));
        if (report.anyFailed()) {
            return ExitCode.CHECK_FAILED;
        }
        return report.anyError() ? ExitCode.OUTSIDE_SYSTEM_FAILED : ExitCode.OK;
    }
}
