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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The release meeting over 200 generated repositories × 2,000 commits, against the shell loop a team would write
 * ({@code git describe} + {@code git log} per repository), in the same run on this machine.
 * <p>
 * Run after {@code mvn -o -q package -DskipTests} (or any build that made the jar and test classes):
 * {@code java -cp target/deployflow.jar:target/test-classes io.deployflow.bench.ReleaseMeetingBenchmark [repos]
 * [commits]}. Repositories are generated once with {@code git fast-import} under {@code target/bench-repos} and
 * reused. Each has a release tag every 100 develop commits (the last 100 unreleased: 100 changes), a merge every 10
 * commits, and a pre-release tag after the last release. "Warm" means the repository cache is filled and the JIT has
 * run the meeting twice; the shell loop and the meeting then alternate five times and the best of each counts, so a
 * change in machine load does not decide the ratio. The CLI lines add JVM start-up and a cold JIT.
 */
public final class ReleaseMeetingBenchmark {
    private static final int WARMUP_RUNS = 2;
    private static final int ROUNDS = 5;
    private static final int CLI_RUNS = 3;

    public static void main(String[] args) throws Exception {
        int repos = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int commits = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path base = Path.of("target", "bench-repos", repos + "x" + commits).toAbsolutePath();
        List<Path> dirs = generate(base, repos, commits);
        Path config = writeConfig(base, dirs);

        DeployflowConfig loaded = ConfigLoader.load(config);
        Path cacheDir = base.resolve("cache");
        PrintStream err = System.err;
        long first;
        long shellBest = Long.MAX_VALUE;
        long meetingBest = Long.MAX_VALUE;
        List<String> pairs = new ArrayList<>();
        MeetingPlan plan;
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            long start = System.nanoTime();
            plan = meeting(loaded, cacheDir);
            first = System.nanoTime() - start;
            for (int i = 1; i < WARMUP_RUNS; i++) {
                meeting(loaded, cacheDir);
            }
            // alternate the two, so a change in machine load between them does not decide the ratio
            for (int i = 0; i < ROUNDS; i++) {
                long shell = shellLoop(dirs);
                start = System.nanoTime();
                plan = meeting(loaded, cacheDir);
                long meeting = System.nanoTime() - start;
                shellBest = Math.min(shellBest, shell);
                meetingBest = Math.min(meetingBest, meeting);
                pairs.add(String.format("%.2f/%.2f", shell / 1e9, meeting / 1e9));
            }
        } finally {
            System.setErr(err);
        }
        long changes = plan.components().stream().mapToLong(c -> c.changes().size()).sum();
        System.out.printf("repositories: %d x %d commits, %d unreleased changes found, %d cores%n", repos, commits,
                changes, Runtime.getRuntime().availableProcessors());
        System.out.printf("rounds (shell s / meeting s): %s%n", String.join("  ", pairs));
        System.out.printf("shell loop (git describe + git log), best of %d: %.3f s%n", ROUNDS, shellBest / 1e9);
        System.out.printf("release meeting, first run in this JVM (clones if the cache is empty): %.3f s%n",
                first / 1e9);
        System.out.printf("release meeting in-process, warm cache and JIT (up-to-date check + scan), best of %d:"
                + " %.3f s%n", ROUNDS, meetingBest / 1e9);
        System.out.printf("ratio meeting/shell: %.3f (aim <= 0.25; warm aim < 5 s)%n", (double) meetingBest / shellBest);
        Path jar = Path.of("target", "deployflow.jar");
        if (Files.exists(jar)) {
            // a CLI call is a new JVM: class loading and a cold JIT included; C1 only often wins for short runs
            for (List<String> opts : List.of(List.<String>of(), List.of("-XX:TieredStopAtLevel=1"))) {
                long cli = Long.MAX_VALUE;
                for (int i = 0; i < CLI_RUNS; i++) {
                    cli = Math.min(cli, cliRun(jar, opts, config, cacheDir));
                }
                System.out.printf("CLI for comparison, java %s-jar deployflow.jar release-meeting (new JVM, warm"
                        + " cache), best of %d: %.3f s, ratio %.3f%n", opts.isEmpty() ? "" : opts.get(0) + " ",
                        CLI_RUNS, cli / 1e9, (double) cli / shellBest);
            }
        }
    }

    private static MeetingPlan meeting(DeployflowConfig config, Path cacheDir) {
        return new ReleaseMeeting(config, new RepoCache(cacheDir), ReleaseMeeting.defaultConcurrency())
                .run(LocalDate.of(2026, 11, 23));
    }

    private static long cliRun(Path jar, List<String> jvmOptions, Path config, Path cacheDir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "release-meeting", "--config", config.toString(), "--cache",
                cacheDir.toString(), "--date", "2026-11-23"));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("release-meeting CLI failed: exit " + p.exitValue());
        }
        return System.nanoTime() - start;
    }

    private static long shellLoop(List<Path> dirs) throws IOException, InterruptedException {
        Path list = dirs.get(0).getParent().resolve("repos.txt");
        Files.write(list, dirs.stream().map(Path::toString).toList());
        String script = "while read r; do t=$(git -C \"$r\" describe --tags --abbrev=0 --exclude '*-*' develop);"
                + " git -C \"$r\" log --format='%H %ae %s' \"$t..develop\" >/dev/null; done < " + list;
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", script).inheritIO().start();
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
