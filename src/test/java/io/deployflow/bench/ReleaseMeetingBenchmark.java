package io.deployflow.bench;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.git.RepoCache;
import io.deployflow.meeting.MeetingPlan;
import io.deployflow.meeting.ReleaseMeeting;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The release meeting over 200 generated repositories × 2,000 commits, cache warm and nothing new upstream, as a
 * pipeline step runs it ({@code deployflow release-meeting}: a new JVM through the launcher, class-data archive
 * built, timed from outside), against the shell loop a team would write: per repository {@code git describe} for the
 * last release, {@code git log} for the changes and {@code git log --first-parent --merges} for the repo-person.
 * Medians of alternating runs, ratio printed; the in-process meeting follows as a second figure.
 * <p>
 * Run after {@code mvn -B -q package -DskipTests && mvn -B -q test-compile}:
 * {@code java -cp target/deployflow.jar:target/test-classes io.deployflow.bench.ReleaseMeetingBenchmark [repos]
 * [commits] [rounds]}. Repositories are generated once with {@code git fast-import} under {@code target/bench-repos}
 * and reused. Each has a release tag every 100 develop commits (the last 100 unreleased: 100 changes), a merge
 * every 10 commits, and a pre-release tag after the last release. The first CLI run clones every repository into
 * the cache and is not counted. With {@code -Ddeployflow.baseline.jar=old.jar}, that jar's {@code java -jar …
 * release-meeting} is timed in the same rounds, on a cache of its own.
 */
public final class ReleaseMeetingBenchmark {
    private static final int IN_PROCESS_RUNS = 3;

    private ReleaseMeetingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int repos = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int commits = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9; // its runs vary the most, so more of them
        Path base = Path.of("target", "bench-repos", repos + "x" + commits).toAbsolutePath();
        List<Path> dirs = generate(base, repos, commits);
        Path config = writeConfig(base, dirs);
        Path launcher = BenchSupport.launcher();
        Path cacheDir = base.resolve("cache");
        Path list = base.resolve("repos.txt");
        Files.write(list, dirs.stream().map(Path::toString).toList());
        Map<String, String> env = Map.of("DEPLOYFLOW_AUDIT_LOG", base.resolve("audit.jsonl").toString());
        List<String> meeting = List.of("release-meeting", "--config", config.toString(), "--cache",
                cacheDir.toString(), "--date", "2026-11-23", "--json", base.resolve("plan.json").toString());
        List<String> cli = new ArrayList<>(List.of(launcher.toString()));
        cli.addAll(meeting);
        BenchSupport.nanos(cli, env); // fills the cache (clones) and the meeting's memory

        List<Callable<Long>> runs = new ArrayList<>();
        runs.add(() -> shellLoop(list));
        runs.add(() -> BenchSupport.nanos(cli, env));
        String baseline = System.getProperty("deployflow.baseline.jar");
        if (baseline != null) {
            List<String> old = new ArrayList<>(List.of("java", "-jar", baseline));
            old.addAll(meeting);
            old.set(old.indexOf(cacheDir.toString()), base.resolve("baseline-cache").toString());
            BenchSupport.nanos(old, env);
            runs.add(() -> BenchSupport.nanos(old, env));
        }
        System.out.printf(Locale.ROOT, "release meeting, %d repositories x %d commits, cache warm, nothing new"
                + " upstream; %s, medians of %d alternating runs%n", repos, commits, BenchSupport.header(), rounds);
        double[] t = BenchSupport.alternating(rounds, runs);
        System.out.printf(Locale.ROOT, "shell loop, git describe + 2x git log (the peer)  %6.3f s%n", t[0]);
        System.out.printf(Locale.ROOT, "deployflow release-meeting (launcher)             %6.3f s  ratio %.3f  (aim"
                + " <= 0.25: %s)%n", t[1], t[1] / t[0], t[1] / t[0] <= 0.25 ? "met" : "MISSED");
        if (baseline != null) {
            System.out.printf(Locale.ROOT, "java -jar %s release-meeting  %6.3f s  ratio %.3f%n", baseline, t[2],
                    t[2] / t[0]);
        }

        DeployflowConfig loaded = ConfigLoader.load(config);
        PrintStream err = System.err;
        long best = Long.MAX_VALUE;
        MeetingPlan plan = null;
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            for (int i = 0; i < IN_PROCESS_RUNS; i++) {
                long start = System.nanoTime();
                plan = new ReleaseMeeting(loaded, new RepoCache(cacheDir), ReleaseMeeting.defaultConcurrency())
                        .run(LocalDate.of(2026, 11, 23));
                best = Math.min(best, System.nanoTime() - start);
            }
        } finally {
            System.setErr(err);
        }
        long changes = plan.components().stream().mapToLong(c -> c.changes().size()).sum();
        System.out.printf(Locale.ROOT, "second figure, the meeting in this JVM (warm JIT), best of %d: %.3f s"
                + " (%d unreleased changes found)%n", IN_PROCESS_RUNS, best / 1e9, changes);
        System.out.println("load average now " + BenchSupport.loadAverage());
    }

    /** What a team writes today, per repository: the last release, its changes, and who merged last. */
    private static long shellLoop(Path list) throws IOException, InterruptedException {
        String script = "while read -r r; do"
                + " t=$(git -C \"$r\" describe --tags --abbrev=0 --match 'v[0-9]*' --exclude '*-*' develop);"
                + " git -C \"$r\" log --format='%H %ae %s' \"$t..develop\" >/dev/null;"
                + " git -C \"$r\" log --first-parent --merges -1 --format='%ae' \"$t..develop\" >/dev/null;"
                + " done < " + list;
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", script).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("shell loop failed");
        }
        return System.nanoTime() - start;
    }

    private static Path writeConfig(Path base, List<Path> dirs) throws IOException {
        StringBuilder yaml = new StringBuilder("team:\n");
        for (int i = 0; i < 5; i++) {
            yaml.append("  - {id: dev").append(i).append(", emails: [dev").append(i).append("@example.org]}\n");
        }
        yaml.append("components:\n");
        for (Path dir : dirs) {
            yaml.append("  - {name: ").append(dir.getFileName()).append(", repo: '").append(dir.toUri())
                    .append("'}\n");
        }
        yaml.append("customers:\n  - {name: acme, repo: 'https://git.example.org/acme.git'}\n");
        Path config = base.resolve("deployflow.yaml");
        Files.writeString(config, yaml);
        return config;
    }

    /** Generates missing repositories, two at a time; a repository counts as done once its marker exists. */
    private static List<Path> generate(Path base, int repos, int commits) throws Exception {
        Files.createDirectories(base.resolve("repos"));
        List<Path> dirs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> jobs = new ArrayList<>();
        long start = System.nanoTime();
        int made = 0;
        for (int i = 0; i < repos; i++) {
            Path dir = base.resolve("repos").resolve(String.format("svc-%03d", i));
            dirs.add(dir);
            if (!Files.exists(dir.resolve("bench-complete"))) {
                made++;
                int seed = i;
                jobs.add(pool.submit(() -> {
                    fastImport(dir, commits, seed);
                    return null;
                }));
            }
        }
        for (Future<?> job : jobs) {
            job.get();
        }
        pool.shutdown();
        if (made > 0) {
            System.out.printf("generated %d repositories in %.1f s%n", made, (System.nanoTime() - start) / 1e9);
        }
        return dirs;
    }

    private static void fastImport(Path dir, int commits, int seed) throws IOException, InterruptedException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        run(dir.getParent(), "git", "init", "-q", "--bare", dir.getFileName().toString());
        Process p = new ProcessBuilder("git", "fast-import", "--quiet").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream out = new java.io.BufferedOutputStream(p.getOutputStream(), 1 << 16)) {
            long time = 1_700_000_000L + seed;
            int mark = 0;
            int releases = 0;
            int lastRelease = (commits - 50) / 100 * 100;
            for (int i = 1; i <= commits; i++) {
                time += 600;
                String author = "dev" + (i % 5) + " <dev" + (i % 5) + "@example.org> " + time + " +0000";
                if (i % 10 == 0) {
                    int side = ++mark;
                    write(out, "commit refs/heads/feature\nmark :" + side + "\nauthor " + author + "\ncommitter "
                            + author + "\n" + data("feat(api): feature " + i + " (FHIR-" + i + ")") + "from :"
                            + (side - 1) + "\nM 100644 inline feature/f" + (i % 20) + ".txt\n" + data("f" + i));
                    mark++;
                    write(out, "commit refs/heads/develop\nmark :" + mark + "\nauthor " + author + "\ncommitter "
                            + author + "\n" + data("Merge branch 'feature' into develop") + "from :" + (side - 1)
                            + "\nmerge :" + side + "\n");
                } else {
                    mark++;
                    String type = i % 3 == 0 ? "fix" : "chore";
                    write(out, "commit refs/heads/develop\nmark :" + mark + "\nauthor " + author + "\ncommitter "
                            + author + "\n" + data(type + ": change " + i + " (OPS-" + i + ")\n\nBody of " + i)
                            + (mark > 1 ? "from :" + (mark - 1) + "\n" : "") + "M 100644 inline src/file"
                            + (i % 50) + ".txt\n" + data("content " + i + "\n"));
                }
                if (i % 100 == 0 && i <= lastRelease) {
                    releases++;
                    write(out, "tag v1." + releases + ".0\nfrom :" + mark + "\ntagger " + author + "\n"
                            + data("release 1." + releases + ".0"));
                }
                if (i == commits - 10) {
                    write(out, "reset refs/tags/v1." + (releases + 1) + ".0-rc.1\nfrom :" + mark + "\n\n");
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git fast-import failed in " + dir);
        }
        run(dir, "git", "symbolic-ref", "HEAD", "refs/heads/develop");
        Files.writeString(dir.resolve("bench-complete"), "");
    }

    private static String data(String text) {
        return "data " + text.getBytes(StandardCharsets.UTF_8).length + "\n" + text + "\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + dir);
        }
    }
}
