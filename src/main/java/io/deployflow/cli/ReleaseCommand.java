package io.deployflow.cli;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.git.RepoCache;
import io.deployflow.registry.RegistryClient;
import io.deployflow.release.PlannedRelease;
import io.deployflow.release.ReleaseCheck;
import io.deployflow.release.ReleaseTagger;
import io.deployflow.smoke.DurationText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "release", mixinStandardHelpOptions = true,
        subcommands = {ReleaseCommand.Tag.class, ReleaseCommand.Check.class},
        description = "The release of a component: the pipeline tags it (release tag), or the repo-person does;"
                + " then the pipeline waits for the tag and the image and checks the release (release check).")
final class ReleaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT;
    }

    /** Options both subcommands share. */
    static final class Target {
        @Mixin
        ConfigOption config;

        @Option(names = "--component", required = true, paramLabel = "NAME")
        String component;

        @Option(names = "--plan", required = true, paramLabel = "FILE",
                description = "plan.json: the version to release, develop's tip as the meeting saw it, the people")
        Path plan;

        @Option(names = "--cache", paramLabel = "DIR",
                description = "Repository cache (default: ~/.cache/deployflow/repos, as every command).")
        Path cache;

        RepoCache repoCache() {
            return new RepoCache(cache == null ? RepoCache.defaultDir() : cache);
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true,
            description = {"Release a component the pipeline releases (release: pipeline): create the annotated tag"
                    + " <tagPrefix><version> on develop's tip as the meeting saw it (or on --commit, which must be on"
                    + " develop), push it, and publish a GitHub release when the repository is on GitHub.",
                    "Exit 0 tagged (or the tag was already there on that commit), 1 the tag exists on another"
                            + " commit (nothing moved), 2 bad input, 3 the remote refused or failed.",
                    "Environment: DEPLOYFLOW_GIT_USERNAME/PASSWORD or DEPLOYFLOW_GIT_SSH_KEY (push),"
                            + " DEPLOYFLOW_GITHUB_TOKEN, GIT_COMMITTER_NAME/EMAIL (the tagger)."})
    static final class Tag implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--commit", paramLabel = "SHA",
                description = "the merge the repo-person names; default: develop's tip as the meeting saw it")
        String commit;

        @Mixin
        JsonOption json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            DeployflowConfig config = target.config.load();
            config.component(target.component);
            PlannedRelease planned = PlannedRelease.read(target.plan, target.component);
            try {
                json.write(new ReleaseTagger(config, target.repoCache(), System.getenv()).tag(planned, commit));
                return ExitCode.OK;
            } catch (ReleaseTagger.TagElsewhere refused) {
                json.write(new Refused(target.component, planned.version(), "refused", refused.getMessage()));
                spec.commandLine().getErr().println("error: " + target.component + ": " + refused.getMessage());
                return ExitCode.CHECK_FAILED;
            }
        }

        /** The tag exists on another commit: nothing was moved (action {@code refused}), and why. */
        record Refused(String component, String version, String action, String failure) {
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"After a release: wait until the tag is in the repository and the image in the registry"
                    + " (a line per look), then run the release checks (as verify-release), then name whom to tell:"
                    + " the dc-persons when it passed, the repo-person when not.",
                    "Exit 0 released and verified, 1 not there in time or a check failed, 2 bad input (also when"
                            + " --confirmed-by is neither the repo-person nor a decider), 3 the registry could not"
                            + " be asked."})
    static final class Check implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--confirmed-by", paramLabel = "USERID",
                description = "who said in Jenkins that they released it: the repo-person, or a decider")
        String confirmedBy;

        @Option(names = "--wait", paramLabel = "DURATION",
                description = "how long to wait for tag and image (default: the component's releaseWaitMinutes)")
        String wait;

        @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "15s",
                description = "how often to look (default: ${DEFAULT-VALUE})")
        String poll;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            DeployflowConfig config = target.config.load();
            Duration limit = wait == null ? Duration.ofMinutes(config.component(target.component).releaseWaitMinutes())
                    : duration("--wait", wait);
            Duration every = duration("--poll", poll);
            PlannedRelease planned = PlannedRelease.read(target.plan, target.component);
            ReleaseCheck.Result result = new ReleaseCheck(config, target.repoCache(), new RegistryClient(),
                    Clock.systemUTC(), d -> Thread.sleep(d.toMillis()))
                    .run(planned, confirmedBy, new ReleaseCheck.Timing(limit, every));
            json.write(result);
            if (result.passed()) {
                return ExitCode.OK;
            }
            return result.couldNotAsk() ? ExitCode.OUTSIDE_SYSTEM_FAILED : ExitCode.CHECK_FAILED;
        }

        private static Duration duration(String option, String text) {
            try {
                return DurationText.parse(text);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(null, 0, option, e.getMessage());
            }
        }
    }
}
