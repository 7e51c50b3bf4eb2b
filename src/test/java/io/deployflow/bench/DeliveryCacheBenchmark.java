package io.deployflow.bench;

import io.deployflow.delivery.CustomerRepoFixture;
import io.deployflow.delivery.Deliverer;
import io.deployflow.delivery.DeliveryInputs;
import io.deployflow.delivery.DeliveryResult;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What {@code deliver --cache DIR} saves: a repeated delivery (the no-op re-run a pipeline retry makes) with the
 * working clone reused from the cache, against the baseline of a fresh clone into a temporary directory each time.
 * The customer repository is served by git daemon and carries a long history, as years of deliveries would.
 *
 * <pre>java -cp target/deployflow.jar:target/test-classes io.deployflow.bench.DeliveryCacheBenchmark [commits] [runs]</pre>
 */
public final class DeliveryCacheBenchmark {
    private DeliveryCacheBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path dir = Files.createTempDirectory("deployflow-bench-delivery");
        PrintStream err = System.err;
        try (CustomerRepoFixture repo = CustomerRepoFixture.start(dir.resolve("remote"))) {
            repo.addHistory("archive", commits, 8 * 1024);
            DeliveryInputs inputs = new DeliveryInputs(dir.resolve("inputs"), repo.url());
            Path cache = dir.resolve("cache");
            System.setErr(new PrintStream(OutputStream.nullOutputStream()));
            String first = new Deliverer(inputs.request(Map.of(), cache)).deliver().status;
            List<Long> reused = new ArrayList<>();
            List<Long> fresh = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                fresh.add(time(inputs, null));
                reused.add(time(inputs, cache));
            }
            System.setErr(err);
            long baseline = median(fresh);
            long candidate = median(reused);
            System.out.printf("customer repository: %d commits of history (%d KiB of blobs); first delivery: %s%n",
                    commits, commits * 8, first);
            System.out.printf("re-delivery, fresh clone each time (baseline): median %d ms over %d runs%n",
                    baseline, runs);
            System.out.printf("re-delivery, working clone reused from --cache:  median %d ms over %d runs%n",
                    candidate, runs);
            System.out.printf("ratio baseline/cached: %.1fx%n", (double) baseline / candidate);
        } finally {
            System.setErr(err);
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long time(DeliveryInputs inputs, Path cache) {
        long start = System.nanoTime();
        DeliveryResult result = new Deliverer(inputs.request(Map.of(), cache)).deliver();
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (!"unchanged".equals(result.status)) {
            throw new IllegalStateException("a re-delivery should change nothing, got " + result.status);
        }
        return ms;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
