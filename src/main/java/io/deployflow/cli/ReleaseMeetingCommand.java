package io.deployflow.cli;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.ExitCode;
import io.deployflow.git.RepoCache;
import io.deployflow.meeting.MeetingPlan;
import io.deployflow.meeting.PlanJson;
import io.deployflow.meeting.PlanSummary;
import io.deployflow.meeting.ReleaseMeeting;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import static io.deployflow.cli.OptionsInCode.option;

/** {@code release-meeting}; its options are declared in code ({@link OptionsInCode}), as every meeting runs it. */
final class ReleaseMeetingCommand implements Callable<Integer>, OptionsInCode.InCode {
    final ConfigOption config = new ConfigOption();
    LocalDate date;
    Path cache;
    int concurrency;
    final JsonOption json = new JsonOption();

    @Override
    public CommandSpec spec() {
        CommandSpec spec = OptionsInCode.command(this, "release-meeting",
                "Find what each component releases (changes since its last release tag, next version by"
                        + " Conventional Commits, repo-person) and the dc-person of each customer.",
                "Repositories are cloned once into the cache; later meetings ask each remote for its refs and"
                        + " fetch and read only what moved.");
        spec.addOption(config.inCode());
        spec.addOption(option("--date", LocalDate.class, "YYYY-MM-DD", v -> date = (LocalDate) v,
                "Meeting date for the dc-person rotation (default: today).").build());
        spec.addOption(option("--cache", Path.class, "DIR", v -> cache = (Path) v,
                "Repository cache (default: ~/.cache/deployflow/repos).").build());
        spec.addOption(option("--concurrency", int.class, "N", v -> concurrency = (Integer) v,
                "Repositories scanned at once (default: 2 per core, 4 to 16).").defaultValue("0").build());
        spec.addOption(json.inCode());
        return spec;
    }

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
