package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.LockHolder;
import io.deployflow.bluegreen.PhaseResult;
import io.deployflow.bluegreen.RolloutEngine;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.RouterCapabilities;
import io.deployflow.bluegreen.TargetSettings;
import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.bluegreen.TrafficSplit;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The zero-downtime proof: a steady 500 requests/s through a real HAProxy for a whole rollout (10 → 50 → 100 →
 * promote, each step gated by a Prometheus analysis of the new colour's 5xx rate), then a second rollout that is
 * aborted at 50 %. It counts responses per colour and errors, and for each traffic decision measures the time from
 * the decision (the engine calling the router) to the first response served at the new weight.
 * <p>
 * "Served at the new weight": HAProxy's runtime API applies a weight before it answers the command, so every
 * request that reaches HAProxy after the answer is routed by the new weights; the figure is the time from the
 * decision to the first response to such a request. Where a colour goes from 0 to some traffic, or from some to
 * none, the responses show it directly, and that observed figure is printed too.
 * <p>
 * Run (after {@code mvn -B -q package -DskipTests && mvn -B -q test-compile}):
 * {@code java -cp target/deployflow.jar:target/test-classes io.deployflow.bluegreen.haproxy.ZeroDowntimeBenchmark}
 * Add {@code --hey} to cross-check with Debian's {@code hey} load generator (a second, shorter run).
 * Exit 0 when the aims hold: no failed request of at least 20,000, every weight change effective within 100 ms.
 */
public final class ZeroDowntimeBenchmark {
    private static final int RATE = 500;

    private record Decision(String label, TrafficSplit split, long startNanos, long appliedNanos) {
    }

    /** Wraps the real target to note when each traffic decision starts and when HAProxy has applied it. */
    private static final class Recording implements RolloutTarget {
        private final RolloutTarget target;
        private final List<Decision> decisions = new ArrayList<>();
        private String label = "";

        Recording(RolloutTarget target) {
            this.target = target;
        }

        @Override
        public TrafficSplit setTraffic(TrafficSplit split) {
            long start = System.nanoTime();
            TrafficSplit applied = target.setTraffic(split);
            decisions.add(new Decision(label, split, start, System.nanoTime()));
            return applied;
        }

        @Override
        public String describe() {
            return target.describe();
        }

        @Override
        public RouterCapabilities capabilities() {
            return target.capabilities();
        }

        @Override
        public List<TopologyProblem> checkTopology() {
            return target.checkTopology();
        }

        @Override
        public Optional<RolloutState> readState() {
            return target.readState();
        }

        @Override
        public void writeState(RolloutState state) {
            target.writeState(state);
        }

        @Override
        public Optional<LockHolder> acquireLock(LockHolder candidate) {
            return target.acquireLock(candidate);
        }

        @Override
        public void releaseLock(String rolloutId) {
            target.releaseLock(rolloutId);
        }

        @Override
        public Optional<LockHolder> readLock() {
            return target.readLock();
        }

        @Override
        public void deployColour(Colour colour, Map<String, String> images, int replicas) {
            target.deployColour(colour, images, replicas);
        }

        @Override
        public ColourReadiness readiness(Colour colour, Map<String, String> expectedImages) {
            return target.readiness(colour, expectedImages);
        }

        @Override
        public void scaleColour(Colour colour, int replicas) {
            target.scaleColour(colour, replicas);
        }

        @Override
        public TrafficSplit readTraffic() {
            return target.readTraffic();
        }

        @Override
        public URI previewUrl(Colour colour) {
            return target.previewUrl(colour);
        }

        @Override
        public URI activeUrl() {
            return target.activeUrl();
        }

        @Override
        public List<Colour> probeActive(int requests) {
            return target.probeActive(requests);
        }

        @Override
        public void close() {
            target.close();
        }
    }

    public static void main(String[] args) throws Exception {
        boolean hey = List.of(args).contains("--hey");
        Path dir = Files.createTempDirectory("zero-downtime");
        boolean ok;
        try (HaproxyFixture fixture = HaproxyFixture.start(dir, true, true)) {
            ok = run(fixture);
            if (hey) {
                ok &= crossCheckWithHey(fixture);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean run(HaproxyFixture fixture) throws IOException {
        String analysis = """
                      analysis:
                        prometheus: %s
                        interval: 5s
                        count: 2
                        failureLimit: 0
                        metrics:
                          - name: error-rate
                            query: '%s'
                            successCondition: result < 0.01
                """.formatted(fixture.prometheus.url(), HaproxyFixture.ERROR_RATE);
        TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(), analysis,
                "[10, 50, 100]"));
        Recording target = new Recording(fixture.target(settings));
        RolloutEngine engine = fixture.engine(settings, target);
        System.out.println("zero-downtime benchmark: " + RATE + " requests/s through HAProxy " + fixture.haproxy.url()
                + " (HAProxy " + version() + ")");

        List<LoadGenerator.Sample> samples;
        List<String> outcomes = new ArrayList<>();
        long overflowsBefore = listenOverflows();
        long loadStart;
        try (LoadGenerator load = new LoadGenerator(URI.create(fixture.haproxy.url()), "X-Served-By")) {
            loadStart = System.nanoTime();
            load.start(RATE);
            pause(2000);
            try {
                outcomes.add(phase(engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:2.0"),
                        "2.0", "bench-1", null))));
                for (String step : List.of("10", "50", "100")) {
                    target.label = "rollout 1: green " + step + " %" + (step.equals("100") ? " (promote)" : "");
                    outcomes.add(phase(engine.shift(Integer.valueOf(step), "bench-1")));
                }
                pause(2000);
                outcomes.add(phase(engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:3.0"),
                        "3.0", "bench-2", null))));
                for (String step : List.of("10", "50")) {
                    target.label = "rollout 2: blue " + step + " %";
                    outcomes.add(phase(engine.shift(Integer.valueOf(step), "bench-2")));
                }
                pause(3000);
                target.label = "rollout 2: abort (all back on green)";
                outcomes.add(phase(engine.abort("benchmark: aborted on purpose", "bench-2")));
                pause(3000);
            } catch (RuntimeException stopped) {
                outcomes.add("stopped: " + stopped.getMessage());
                System.out.println("  the sequence stopped: " + stopped.getMessage());
            }
            samples = load.stop();
        }
        long overflows = listenOverflows() - overflowsBefore;
        boolean ok = report(samples, target.decisions, outcomes, loadStart);
        printHaproxyCounters(fixture);
        System.out.println("kernel: " + overflows + " connection attempt(s) dropped because a listen queue was full"
                + " (TcpExt ListenOverflows during the run, every process on this machine; a dropped SYN is resent"
                + " after 1 s, then 3 s)");
        return ok;
    }

    /**
     * HAProxy's own counters for the run (runtime API {@code show stat}): where a failed request came from. Connection
     * errors and retries towards a server mean the colour's service did not accept in time; errors on the frontend
     * mean the client side; 5xx answers HAProxy produced itself mean it had no server to send to.
     */
    private static void printHaproxyCounters(HaproxyFixture fixture) {
        List<String> lines = fixture.socket.execute("show stat").lines().filter(l -> !l.isBlank()).toList();
        List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
        List<String> wanted = List.of("stot", "econ", "eresp", "wretr", "wredis", "ereq", "hrsp_5xx", "cli_abrt",
                "srv_abrt", "dresp");
        System.out.println();
        System.out.println("HAProxy's counters (show stat): " + String.join(", ", wanted));
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = List.of(line.split(",", -1));
            String proxy = fields.get(header.indexOf("pxname"));
            if (!proxy.equals("be") && !proxy.equals("fe")) {
                continue;
            }
            StringBuilder row = new StringBuilder("  " + proxy + "/" + fields.get(header.indexOf("svname")) + ":");
            for (String name : wanted) {
                String value = fields.get(header.indexOf(name));
                row.append(' ').append(name).append('=').append(value.isEmpty() ? "-" : value);
            }
            System.out.println(row);
        }
    }

    private static String phase(PhaseResult result) {
        String line = result.phase() + " " + result.outcome() + ": " + result.message();
        System.out.println("  " + line);
        return result.outcome();
    }

    private static boolean report(List<LoadGenerator.Sample> samples, List<Decision> decisions, List<String> outcomes,
                                  long loadStart) {
        long failed = samples.stream().filter(LoadGenerator.Sample::failed).count();
        long blue = samples.stream().filter(s -> "blue".equals(s.server())).count();
        long green = samples.stream().filter(s -> "green".equals(s.server())).count();
        double seconds = (samples.get(samples.size() - 1).sentNanos() - samples.get(0).sentNanos()) / 1e9;
        System.out.println();
        System.out.printf(Locale.ROOT, "requests: %d in %.1f s (%.0f/s); answered by blue %d, green %d; failed %d%n",
                samples.size(), seconds, samples.size() / seconds, blue, green, failed);
        samples.stream().filter(LoadGenerator.Sample::failed).limit(5)
                .forEach(s -> System.out.printf(Locale.ROOT, "  failed: sent at %.2f s, status %d %s%n",
                        (s.sentNanos() - loadStart) / 1e9, s.status(), s.error()));
        if (failed > 0) {
            // when the failures were sent, in seconds since the load started, to tell a rollout step from a stall
            java.util.TreeMap<Long, Long> perSecond = new java.util.TreeMap<>();
            samples.stream().filter(LoadGenerator.Sample::failed)
                    .forEach(s -> perSecond.merge((s.sentNanos() - loadStart) / 1_000_000_000L, 1L, Long::sum));
            System.out.println("  failed per second of the run: " + perSecond);
            for (Decision d : decisions) {
                System.out.printf(Locale.ROOT, "  decision '%s' at %.2f s%n", d.label(),
                        (d.startNanos() - loadStart) / 1e9);
            }
        }
        List<Long> latencies = samples.stream().map(s -> (s.answeredNanos() - s.sentNanos()) / 1000).sorted().toList();
        System.out.printf(Locale.ROOT, "response time: median %.2f ms, p99 %.2f ms, max %.2f ms; %d over 100 ms"
                        + " (machine load average at the end: %s)%n",
                latencies.get(latencies.size() / 2) / 1000.0, latencies.get(latencies.size() * 99 / 100) / 1000.0,
                latencies.get(latencies.size() - 1) / 1000.0, latencies.stream().filter(l -> l > 100_000).count(),
                loadAverage());
        System.out.println();
        System.out.println("decision                               | split set        | socket ms | first response at"
                + " new weight ms | observed ms | observed share of green until next decision");
        double worst = 0;
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            long end = i + 1 < decisions.size() ? decisions.get(i + 1).startNanos() : Long.MAX_VALUE;
            double socketMs = (d.appliedNanos() - d.startNanos()) / 1e6;
            Optional<LoadGenerator.Sample> first = samples.stream().filter(s -> s.sentNanos() >= d.appliedNanos())
                    .min((a, b) -> Long.compare(a.answeredNanos(), b.answeredNanos()));
            double effectiveMs = first.map(s -> (s.answeredNanos() - d.startNanos()) / 1e6).orElse(Double.NaN);
            worst = Math.max(worst, Double.isNaN(effectiveMs) ? Double.MAX_VALUE : effectiveMs);
            String observed = observed(samples, d, i == 0 ? null : decisions.get(i - 1).split(), end);
            List<LoadGenerator.Sample> window = samples.stream()
                    .filter(s -> s.sentNanos() >= d.appliedNanos() && s.sentNanos() < end && s.server() != null)
                    .toList();
            long greens = window.stream().filter(s -> s.server().equals("green")).count();
            System.out.printf(Locale.ROOT, "%-38s | %-16s | %9.2f | %30.2f | %11s | %5.1f %% of %d%n", d.label(),
                    d.split().blue() + "/" + d.split().green(), socketMs, effectiveMs, observed,
                    window.isEmpty() ? 0 : 100.0 * greens / window.size(), window.size());
        }
        boolean enough = samples.size() >= 20_000;
        boolean fast = worst <= 100;
        boolean phasesOk = outcomes.stream().allMatch(o -> o.equals("ok") || o.equals("aborted"));
        System.out.println();
        System.out.printf(Locale.ROOT, "aim: 0 failed of >= 20,000 -> %s (%d failed of %d)%n",
                failed == 0 && enough ? "MET" : "NOT MET", failed, samples.size());
        System.out.printf(Locale.ROOT, "aim: every weight change effective within 100 ms -> %s (worst %.2f ms)%n",
                fast ? "MET" : "NOT MET", worst);
        if (!phasesOk) {
            System.out.println("a phase did not succeed: " + outcomes);
        }
        return failed == 0 && enough && fast && phasesOk;
    }

    /**
     * Where the responses themselves show the change: a colour that had no traffic answers its first request
     * (time of that answer), or a colour that loses all traffic gets its last request (time that request was sent).
     */
    private static String observed(List<LoadGenerator.Sample> samples, Decision d, TrafficSplit before, long end) {
        TrafficSplit previous = before == null ? TrafficSplit.allOn(Colour.BLUE) : before;
        for (Colour colour : Colour.values()) {
            String name = colour.label();
            if (previous.weightOf(colour) == 0 && d.split().weightOf(colour) > 0) {
                return samples.stream().filter(s -> s.sentNanos() >= d.startNanos() && s.sentNanos() < end
                                && name.equals(s.server()))
                        .mapToLong(LoadGenerator.Sample::answeredNanos).min()
                        .stream().mapToObj(t -> String.format(Locale.ROOT, "%.2f", (t - d.startNanos()) / 1e6))
                        .findFirst().orElse("none");
            }
            if (previous.weightOf(colour) > 0 && d.split().weightOf(colour) == 0) {
                return samples.stream().filter(s -> name.equals(s.server()) && s.sentNanos() >= d.startNanos()
                                && s.sentNanos() < end)
                        .mapToLong(LoadGenerator.Sample::sentNanos).max()
                        .stream().mapToObj(t -> String.format(Locale.ROOT, "last %.2f", (t - d.startNanos()) / 1e6))
                        .findFirst().orElse("none after");
            }
        }
        return "-";
    }

    /** A shorter second run with Debian's hey as the load generator: its status code distribution must be all 200. */
    private static boolean crossCheckWithHey(HaproxyFixture fixture) throws Exception {
        System.out.println();
        System.out.println("cross-check: hey -z 25s -c 10 -q 50 (10 workers x 50/s = 500/s) during a rollout without"
                + " analysis: 10, 50, 100, then a second rollout aborted at 50");
        TargetSettings settings = fixture.settings(fixture.yaml("be", fixture.haproxy.socket(), null,
                "[10, 50, 100]"));
        RolloutEngine engine = fixture.engine(settings, fixture.target(settings));
        Process hey = new ProcessBuilder("hey", "-z", "25s", "-c", "10", "-q", "50", fixture.haproxy.url())
                .redirectErrorStream(true).start();
        pause(2000);
        String current = engine.status().state().active() == Colour.GREEN ? "blue" : "green";
        engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:4.0"), "4.0", "hey-1", null));
        for (int step : List.of(10, 50, 100)) {
            engine.shift(step, "hey-1");
            pause(2000);
        }
        engine.deploy(new RolloutEngine.DeployRequest(Map.of("web", "acme/portal:5.0"), "5.0", "hey-2", null));
        engine.shift(10, "hey-2");
        pause(2000);
        engine.shift(50, "hey-2");
        pause(2000);
        engine.abort("cross-check abort", "hey-2");
        String output = new String(hey.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        hey.waitFor(60, TimeUnit.SECONDS);
        int from = output.indexOf("Status code distribution:");
        String distribution = from < 0 ? output : output.substring(from);
        int end = distribution.indexOf("\n\n");
        System.out.println((end < 0 ? distribution : distribution.substring(0, end)).strip());
        System.out.println("(the first rollout went to " + current + ")");
        boolean allOk = from >= 0 && distribution.substring(0, end < 0 ? distribution.length() : end).lines()
                .skip(1).allMatch(line -> line.strip().startsWith("[200]") || line.isBlank());
        int errors = output.indexOf("Error distribution:");
        if (errors >= 0) {
            System.out.println(output.substring(errors).strip());
            allOk = false;
        }
        System.out.println("hey cross-check: " + (allOk ? "all answers 200" : "NOT all answers 200"));
        return allOk;
    }

    /** The kernel's count of connections refused a place in a full accept queue (/proc/net/netstat), or -1. */
    private static long listenOverflows() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat")).stream()
                    .filter(l -> l.startsWith("TcpExt:")).toList();
            List<String> names = List.of(lines.get(0).split(" "));
            return Long.parseLong(lines.get(1).split(" ")[names.indexOf("ListenOverflows")]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder("haproxy", "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return out.lines().findFirst().orElse("?").replace("HAProxy version ", "");
        } catch (IOException e) {
            return "?";
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
