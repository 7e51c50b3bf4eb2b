package io.deployflow.bench;

import io.deployflow.smoke.FhirTestServer;
import io.deployflow.smoke.RoutesFile;
import io.deployflow.smoke.SmokeOptions;
import io.deployflow.smoke.SmokeReport;
import io.deployflow.smoke.SmokeRunner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * 500 smoke routes, one sample each, against a loopback FHIR-like server that answers at once: {@code deployflow
 * smoke} as a pipeline step runs it (a new JVM through the launcher, class-data archive built, timed from outside,
 * JUnit XML written), against what people do by hand today, a sequential curl loop over the same URLs; medians of
 * alternating runs, ratio printed. In-process figures (runner only, cold and warm JVM) follow as a second figure.
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; mvn -B -q test-compile
 * java -cp target/deployflow.jar:target/test-classes io.deployflow.bench.SmokeBenchmark [routes] [rounds]
 * </pre>
 * With {@code -Ddeployflow.baseline.jar=old.jar}, that jar's {@code java -jar … smoke} is timed in the same rounds.
 */
public final class SmokeBenchmark {
    private SmokeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int routes = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path launcher = BenchSupport.launcher();
        Path dir = Files.createTempDirectory("smoke-bench");
        try (FhirTestServer server = FhirTestServer.start(0, Duration.ZERO, 0)) {
            Path routesFile = writeRoutes(dir, server.baseUrl(), routes);
            Path urls = dir.resolve("urls.txt");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < routes; i++) {
                lines.add(server.baseUrl() + "/fhir/Patient/p1?_n=" + i);
            }
            Files.write(urls, lines);
            System.out.println(routes + " smoke routes against " + server.baseUrl() + " (answers at once), "
                    + BenchSupport.header() + ", medians of " + rounds + " alternating runs");

            Map<String, String> env = Map.of("DEPLOYFLOW_AUDIT_LOG", dir.resolve("audit.jsonl").toString());
            List<String> smoke = List.of("smoke", "--routes", routesFile.toString(), "--junit",
                    dir.resolve("smoke.xml").toString(), "--json", dir.resolve("smoke.json").toString());
            List<Callable<Long>> runs = new ArrayList<>();
            runs.add(() -> curlLoop(dir, urls, routes));
            runs.add(() -> BenchSupport.nanos(with(List.of(launcher.toString()), smoke), env));
            String baseline = System.getProperty("deployflow.baseline.jar");
            if (baseline != null) {
                runs.add(() -> BenchSupport.nanos(with(List.of("java", "-jar", baseline), smoke), env));
            }
            double[] t = BenchSupport.alternating(rounds, runs);
            System.out.printf(Locale.ROOT, "sequential curl loop (the peer)     %6.3f s%n", t[0]);
            System.out.printf(Locale.ROOT, "deployflow smoke (launcher)         %6.3f s  ratio %.3f  (%.1fx faster; aim"
                    + " <= 0.1: %s)%n", t[1], t[1] / t[0], t[0] / t[1], t[1] / t[0] <= 0.1 ? "met" : "MISSED");
            if (baseline != null) {
                System.out.printf(Locale.ROOT, "java -jar %s smoke  %6.3f s  ratio %.3f%n", baseline, t[2],
                        t[2] / t[0]);
            }

            SmokeOptions options = new SmokeOptions(16, Duration.ofSeconds(10), Duration.ofSeconds(10));
            long cold = inProcess(routesFile, options);
            long warm = inProcess(routesFile, options);
            System.out.printf(Locale.ROOT, "second figure, SmokeRunner in this JVM: first run %d ms, again %d ms%n",
                    cold, warm);
            System.out.println("load average now " + BenchSupport.loadAverage());
        }
    }

    private static List<String> with(List<String> prefix, List<String> args) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(args);
        return all;
    }

    private static Path writeRoutes(Path dir, String baseUrl, int count) throws IOException {
        StringBuilder yaml = new StringBuilder("baseUrl: " + baseUrl + "\nreadyPath: /health\nroutes:\n");
        for (int i = 0; i < count; i++) {
            yaml.append("  - name: patient-read-").append(i).append('\n')
                    .append("    path: /fhir/Patient/p1?_n=").append(i).append('\n')
                    .append("    expect: {status: 200, json: {\"$.resourceType\": Patient}}\n");
        }
        Path file = dir.resolve("routes.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** What a person writes today: one curl per URL, one after another, checking each status. */
    private static long curlLoop(Path dir, Path urls, int count) throws Exception {
        Path out = dir.resolve("curl.out");
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c",
                "while read -r u; do curl -s -o /dev/null -w '%{http_code}\\n' \"$u\"; done < " + urls)
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
        int rc = p.waitFor();
        long nanos = System.nanoTime() - start;
        long ok = Files.readAllLines(out).stream().filter("200"::equals).count();
        if (rc != 0 || ok != count) {
            throw new IllegalStateException("curl loop: exit " + rc + ", " + ok + " of " + count + " answered 200");
        }
        return nanos;
    }

    private static long inProcess(Path routesFile, SmokeOptions options) {
        PrintStream err = System.err;
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            long start = System.nanoTime();
            SmokeReport report = new SmokeRunner(options).run(RoutesFile.load(routesFile), null);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (!report.passed()) {
                throw new IllegalStateException("routes failed: " + report.failures().get(0));
            }
            return millis;
        } finally {
            System.setErr(err);
        }
    }
}
