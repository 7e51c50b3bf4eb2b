package io.deployflow.cli;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.ExitCode;
import io.deployflow.git.RepoCache;
import io.deployflow.meeting.MeetingPlan;
import io.deployflow.meeting.PlanJson;
import io.deployflow.meeting.PlanSummary;
import io.deployflow.meeting.ReleaseMeeting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

@Command(name = "release-meeting", mixinStandardHelpOptions = true,
        description = {"Find what each component releases (changes since its last release tag, next version by"
                + " Conventional Commits, repo-person) and the dc-person of each customer.",
                "Repositories are cloned once into the cache; later meetings ask each remote for its refs and"
                        + " fetch and read only what moved."})
final class ReleaseMeetingCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
            description = "Meeting date for the dc-person rotation (default: today).")
    LocalDate date;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Repository cache (default: ~/.cache/deployflow/repos).")
    Path cache;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "0",
            description = "Repositories scanned at once (default: 2 per core, 4 to 16).")
    int concurrency;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        DeployflowConfig loaded = config.load();
        MeetingPlan plan = new ReleaseMeeting(loaded, new RepoCache(cache == null ? RepoCache.defaultDir() : cache),
                concurrency > 0 ? concurrency : ReleaseMeeting.defaultConcurrency())
                .run(date == null ? LocalDate.now() : date);
        json.write(file -> PlanJson.write(file, plan));
        System.out.print(PlanSummary.text(plan));
        return ExitCode.OK;
    }
}
