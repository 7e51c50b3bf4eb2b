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

/**
 * 500 smoke routes against a loopback server whose every answer takes 5 ms (a realistic floor for a service that
 * touches a database), so that running routes concurrently matters. Compared, in the same run, with what people
 * do by hand today: a sequential curl loop over the same 500 URLs.
 *
 * <pre>
 * mvn -q -B -o package -DskipTests &amp;&amp; mvn -q -B -o test-compile
 * java -cp target/deployflow.jar:target/test-classes io.deployflow.bench.SmokeBenchmark
 * </pre>
 * Optional arguments: route count (500), server latency in ms (5), concurrency (16). "Cold" is the first run in a
 * fresh JVM (what a pipeline step pays, minus JVM start); "warm" runs the same routes again in that JVM.
 */
public final class SmokeBenchmark {
    public static void main(String[] args) throws Exception {
        int routes = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int latencyMillis = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path dir = Files.createTempDirectory("smoke-bench");
        try (FhirTestServer server = FhirTestServer.start(0, Duration.ZERO, latencyMillis)) {
            Path routesFile = writeRoutes(dir, server.baseUrl(), routes);
            System.out.printf(Locale.ROOT, "%d routes, server latency %d ms per request, concurrency %d, %s,"
                    + " load average %s%n", routes, latencyMillis, concurrency, server.baseUrl(), loadAverage());

            long curl = curlLoop(dir, server.baseUrl(), routes);
            System.out.printf(Locale.ROOT, "sequential curl loop:           %6d ms%n", curl);

            SmokeOptions options = new SmokeOptions(concurrency, Duration.ofSeconds(10), Duration.ofSeconds(10));
            long cold = inProcess(routesFile, options);
            System.out.printf(Locale.ROOT, "SmokeRunner in process, cold:   %6d ms   %5.1fx faster%n", cold,
                    (double) curl / cold);
            long warm = inProcess(routesFile, options);
            System.out.printf(Locale.ROOT, "SmokeRunner in process, warm:   %6d ms   %5.1fx faster%n", warm,
                    (double) curl / warm);

            Path jar = Path.of(System.getProperty("deployflow.jar", "target/deployflow.jar"));
            if (Files.isRegularFile(jar)) {
                long cli = cli(jar, routesFile, concurrency, dir);
                System.out.printf(Locale.ROOT, "java -jar deployflow.jar smoke: %6d ms   %5.1fx faster"
                        + " (includes JVM start)%n", cli, (double) curl / cli);
            } else {
                System.out.println("CLI row skipped: " + jar + " not built (mvn -o package -DskipTests)");
            }
            System.out.println("load average now " + loadAverage() + "; each time includes loading the routes file"
                    + " and the readiness probe");
        }
    }

    /** The machine is shared; the figures mean little without how busy it was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
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

    private static long curlLoop(Path dir, String baseUrl, int count) throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            urls.add(baseUrl + "/fhir/Patient/p1?_n=" + i);
        }
        Files.write(dir.resolve("urls.txt"), urls);
        Path out = dir.resolve("curl.out");
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c",
                "for u in $(cat urls.txt); do curl -s -o /dev/null -w '%{http_code}\\n' \"$u\"; done")
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectErrorStream(true).start();
        int rc = p.waitFor();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long ok = Files.readAllLines(out).stream().filter("200"::equals).count();
        if (rc != 0 || ok != count) {
            throw new IllegalStateException("curl loop: exit " + rc + ", " + ok + " of " + count + " answered 200");
        }
        return millis;
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

    private static long cli(Path jar, Path routesFile, int concurrency, Path dir) throws Exception {
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", jar.toString(), "smoke", "--routes",
                routesFile.toString(), "--concurrency", String.valueOf(concurrency),
                "--junit", dir.resolve("smoke.xml").toString())
                .redirectOutput(dir.resolve("cli.out").toFile()).redirectErrorStream(true);
        builder.environment().put("DEPLOYFLOW_AUDIT_LOG", dir.resolve("audit.jsonl").toString());
        Process p = builder.start();
        int rc = p.waitFor();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (rc != 0) {
            throw new IllegalStateException("smoke CLI exit " + rc + ": see " + dir.resolve("cli.out"));
        }
        return millis;
    }
}
