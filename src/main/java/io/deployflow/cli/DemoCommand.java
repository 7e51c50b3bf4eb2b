package io.deployflow.cli;

import io.deployflow.config.ConfigLoader;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import io.deployflow.git.RepoCache;
import io.deployflow.meeting.DemoRepositories;
import io.deployflow.meeting.MeetingPlan;
import io.deployflow.meeting.PlanSummary;
import io.deployflow.meeting.ReleaseMeeting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Make example FHIR component repositories and a deployflow.yaml in DIR, run the release"
                + " meeting on them, print the plan and write DIR/plan.json. Needs nothing but this jar."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "Where to make the demo (default: a new temp dir).")
    Path dir;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Meeting date (default: today).")
    LocalDate date;

    @Override
    public Integer call() {
        Path target = dir;
        try {
            if (target == null) {
                target = Files.createTempDirectory("deployflow-demo-");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path config = DemoRepositories.create(target);
        Progress.line("demo: example repositories and " + config + " created");
        MeetingPlan plan = new ReleaseMeeting(ConfigLoader.load(config), new RepoCache(target.resolve("cache")),
                ReleaseMeeting.defaultConcurrency()).run(date == null ? LocalDate.now() : date);
        Path planFile = target.resolve("plan.json");
        io.deployflow.meeting.PlanJson.write(planFile, plan);
        System.out.print(PlanSummary.text(plan));
        System.out.println();
        System.out.println("Config:  " + config);
        System.out.println("Plan:    " + planFile);
        System.out.println("Again:   java -jar deployflow.jar release-meeting --config " + config
                + " --cache " + target.resolve("cache") + " --json " + planFile);
        return ExitCode.OK;
    }
}
