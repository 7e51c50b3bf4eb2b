package io.deployflow.meeting;

import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.TeamMember;
import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.git.RepoCache;
import io.deployflow.meeting.MeetingPlan.ComponentPlan;
import io.deployflow.meeting.MeetingPlan.CustomerPlan;
import io.deployflow.meeting.MeetingPlan.Rotation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The release meeting (S0 "Meeting"): every component's repository is brought up to date in the cache and scanned,
 * several at once, then each customer gets a dc-person. Fetching is network-bound and scanning is short, so the
 * pool is a few threads per core, bounded so 200 repositories do not open 200 connections to one git server.
 */
public final class ReleaseMeeting {
    private final DeployflowConfig config;
    private final RepoCache cache;
    private final int concurrency;

    public ReleaseMeeting(DeployflowConfig config, RepoCache cache, int concurrency) {
        this.config = config;
        this.cache = cache;
        this.concurrency = concurrency;
    }

    public static int defaultConcurrency() {
        return Math.min(16, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }

    public MeetingPlan run(LocalDate meetingDate) {
        DcPersonRotation rotation = new DcPersonRotation(config);
        // the rotation first: a config problem there (everyone away) should not wait for 200 fetches
        List<CustomerPlan> customers = rotation.assign(meetingDate);
        List<ComponentPlan> components = scanAll();
        return new MeetingPlan(meetingDate.toString(),
                new Rotation(config.meeting().rotationStart().toString(), config.meeting().cadenceDays(),
                        rotation.meetingIndex(meetingDate),
                        rotation.available(meetingDate).stream().map(TeamMember::id).toList()),
                components, customers);
    }

    private List<ComponentPlan> scanAll() {
        List<Component> all = config.components();
        if (all.isEmpty()) {
            return List.of();
        }
        RepositoryScanner scanner = new RepositoryScanner(config);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, all.size()), r -> {
            Thread t = new Thread(r, "repo-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ComponentPlan>> futures = new ArrayList<>();
            for (Component component : all) {
                futures.add(pool.submit(() -> scanOne(scanner, component)));
            }
            List<ComponentPlan> out = new ArrayList<>();
            List<RuntimeException> failures = new ArrayList<>();
            for (Future<ComponentPlan> future : futures) {
                try {
                    out.add(future.get());
                } catch (ExecutionException e) {
                    failures.add(e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e));
                }
            }
            if (!failures.isEmpty()) {
                throw combined(failures);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scanning repositories", e);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ComponentPlan scanOne(RepositoryScanner scanner, Component component) {
        long start = System.nanoTime();
        String url = RepoCache.resolve(component.repo(), config.file());
        try {
            RepositoryScanner.Scan scan = scanner.scan(cache, url, component, RepoCache.redact(component.repo()));
            Progress.line(describe(scan.plan()) + " (" + seconds(System.nanoTime() - start) + " s, " + (
                    switch (scan.source()) {
                        case REMEMBERED -> "unchanged since the last meeting";
                        case EXTENDED -> scan.walked() + " new commit" + (scan.walked() == 1 ? "" : "s");
                        case FULL -> "scanned";
                    }) + ")");
            return scan.plan();
        } catch (RuntimeException e) {
            Progress.line(component.name() + ": FAILED " + e.getMessage());
            throw e;
        }
    }

    /**
     * {@code 0.12}: integer arithmetic, as a String.format per repository cost a new JVM ~40 ms for 200 of them
     * (the formatter's own start-up).
     */
    static String seconds(long nanos) {
        long centis = (Math.max(0, nanos) + 5_000_000) / 10_000_000;
        return centis / 100 + (centis % 100 < 10 ? ".0" : ".") + centis % 100;
    }

    static String describe(ComponentPlan plan) {
        String last = plan.lastRelease() == null ? "never released" : plan.lastRelease();
        if (!plan.hasChanges()) {
            return plan.name() + ": no changes since " + last;
        }
        if (!plan.releaseNeeded()) {
            return plan.name() + ": no release needed, " + changeCount(plan) + " since " + last + " ("
                    + changeTypes(plan) + ") make none by the release rules";
        }
        return plan.name() + ": " + last + " -> " + plan.nextVersion() + " (" + plan.bump() + "), "
                + changeCount(plan) + ", repo-person " + plan.repoPerson().label();
    }

    static String changeCount(ComponentPlan plan) {
        return plan.changes().size() + " change" + (plan.changes().size() == 1 ? "" : "s");
    }

    /** The distinct commit types, such as {@code docs, chore, untyped}. */
    static String changeTypes(ComponentPlan plan) {
        return String.join(", ", plan.changes().stream().map(c -> c.type() == null ? "untyped" : c.type())
                .distinct().toList());
    }

    /** Reports every failing repository at once; bad input wins, so the exit code says "fix the config". */
    private static RuntimeException combined(List<RuntimeException> failures) {
        RuntimeException first = failures.stream().filter(f -> f instanceof BadInputException).findFirst()
                .orElse(failures.get(0));
        if (failures.size() == 1) {
            return first;
        }
        StringBuilder all = new StringBuilder();
        failures.forEach(f -> all.append("\n  ").append(f.getMessage()));
        String message = failures.size() + " repositories failed:" + all;
        if (first instanceof BadInputException bad) {
            return new BadInputException(bad.file(), bad.line(), bad.field(), message);
        }
        if (first instanceof OutsideSystemException outside) {
            return new OutsideSystemException(outside.system(), message, outside);
        }
        return first;
    }
}
