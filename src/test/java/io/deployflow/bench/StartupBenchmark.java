package io.deployflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Start-up cost of the CLI, which every pipeline step pays: {@code deployflow --version} and {@code deployflow
 * validate}, each a new JVM started through the launcher as agents run it (class-data archive built), timed from
 * outside, against a bare JVM hello-world; medians of alternating runs. A second table shows what each JVM option
 * brings on its own, with {@code java -jar} as a step with {@code DEPLOYFLOW_CLI=<jar>} runs it.
 * <pre>java -cp target/deployflow.jar:target/test-classes io.deployflow.bench.StartupBenchmark [rounds]</pre>
 * With {@code -Ddeployflow.baseline.jar=old.jar}, that jar's {@code java -jar} runs are timed in the same rounds.
 */
public final class StartupBenchmark {
    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path launcher = BenchSupport.launcher();
        Path jar = launcher.resolveSibling("deployflow.jar");
        Path archive = launcher.resolveSibling("deployflow.jsa");
        Path audit = Files.createTempFile("startup-bench", ".jsonl");
        Map<String, String> env = Map.of("DEPLOYFLOW_AUDIT_LOG", audit.toString());
        List<String> hello = List.of(java, "-cp", Path.of("target", "test-classes").toString(),
                HelloWorld.class.getName());
        List<String> validate = List.of("validate", "--config", Path.of("examples", "deployflow.yaml").toString());

        System.out.println("start-up, " + BenchSupport.header() + ", medians of " + rounds + " alternating runs");
        List<Callable<Long>> headline = new ArrayList<>(List.of(run(hello, env),
                run(with(List.of(launcher.toString()), List.of("--version")), env),
                run(with(List.of(launcher.toString()), validate), env)));
        String baseline = System.getProperty("deployflow.baseline.jar");
        if (baseline != null) {
            headline.add(run(List.of(java, "-jar", baseline, "--version"), env));
            headline.add(run(with(List.of(java, "-jar", baseline), validate), env));
        }
        double[] t = BenchSupport.alternating(rounds, headline);
        System.out.printf(Locale.ROOT, "hello-world JVM (the peer)          %6.3f s%n", t[0]);
        System.out.printf(Locale.ROOT, "deployflow --version (launcher)     %6.3f s  ratio %.2fx the bare JVM  (aim <= 2x:"
                + " %s)%n", t[1], t[1] / t[0], t[1] / t[0] <= 2 ? "met" : "MISSED");
        System.out.printf(Locale.ROOT, "deployflow validate (launcher)      %6.3f s  ratio %.2fx the bare JVM%n", t[2],
                t[2] / t[0]);
        if (baseline != null) {
            System.out.printf(Locale.ROOT, "java -jar %s --version  %6.3f s  ratio %.2fx%n", baseline, t[3], t[3] / t[0]);
            System.out.printf(Locale.ROOT, "java -jar %s validate   %6.3f s  ratio %.2fx%n", baseline, t[4], t[4] / t[0]);
        }

        System.out.println();
        System.out.println("what each JVM option brings, java <options> -jar deployflow.jar (ratio to the bare JVM):");
        String cds = "-XX:SharedArchiveFile=" + archive;
        List<List<String>> variants = List.of(List.of(), List.of("-Xshare:off"), List.of("-XX:TieredStopAtLevel=1"),
                List.of(cds), List.of(cds, "-XX:TieredStopAtLevel=1"),
                List.of(cds, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        for (List<String> command : List.of(List.of("--version"), validate)) {
            List<Callable<Long>> runs = new ArrayList<>();
            runs.add(run(hello, env));
            for (List<String> options : variants) {
                List<String> line = new ArrayList<>(List.of(java));
                line.addAll(options);
                line.addAll(List.of("-jar", jar.toString()));
                runs.add(run(with(line, command), env));
            }
            double[] v = BenchSupport.alternating(rounds, runs);
            for (int i = 0; i < variants.size(); i++) {
                String options = String.join(" ", variants.get(i)).replace(cds, "-XX:SharedArchiveFile=<archive>");
                System.out.printf(Locale.ROOT, "  %-10s %-72s %6.3f s  %.2fx%n", command.get(0),
                        options.isEmpty() ? "(none)" : options, v[i + 1], v[i + 1] / v[0]);
            }
        }
        System.out.println("load average now " + BenchSupport.loadAverage());
        Files.deleteIfExists(audit);
    }

    private static List<String> with(List<String> prefix, List<String> args) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(args);
        return all;
    }

    private static Callable<Long> run(List<String> command, Map<String, String> env) {
        return () -> BenchSupport.nanos(command, env);
    }
}
