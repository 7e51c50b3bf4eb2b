package io.deployflow.bluegreen.haproxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends requests at a steady rate (one every 1/rate s, open loop: a slow answer does not slow the sending) and
 * records for each when it was sent and answered, its status and the server HAProxy named in the colour header.
 */
final class LoadGenerator implements AutoCloseable {
    /** One request: nanoTime when sent and answered; status 0 and an error when no answer came. */
    record Sample(long sentNanos, long answeredNanos, int status, String server, String error) {
        boolean failed() {
            return status != 200;
        }
    }

    private final URI url;
    private final String header;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-ticker");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "load-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http;
    private final AtomicInteger inFlight = new AtomicInteger();

    LoadGenerator(URI url, String header) {
        this.url = url;
        this.header = header;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    LoadGenerator start(int perSecond) {
        long period = 1_000_000_000L / perSecond;
        ticker.scheduleAtFixedRate(this::fire, 0, period, TimeUnit.NANOSECONDS);
        return this;
    }

    /** Never throws: an exception would silently end a fixed-rate schedule; it is recorded as a failed request. */
    private void fire() {
        long sent = System.nanoTime();
        try {
            send(sent);
        } catch (RuntimeException e) {
            samples.add(new Sample(sent, System.nanoTime(), 0, null, "not sent: " + e));
        }
    }

    private void send(long sent) {
        inFlight.incrementAndGet();
        http.sendAsync(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> {
                    long answered = System.nanoTime();
                    if (error != null) {
                        samples.add(new Sample(sent, answered, 0, null, error.toString()));
                    } else {
                        samples.add(new Sample(sent, answered, response.statusCode(),
                                response.headers().firstValue(header).orElse(null), null));
                    }
                    inFlight.decrementAndGet();
                });
    }

    /** Stops sending and waits for the answers still on their way. */
    List<Sample> stop() {
        ticker.shutdownNow();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return samples();
    }

    List<Sample> samples() {
        List<Sample> out = new ArrayList<>(samples);
        out.sort(java.util.Comparator.comparingLong(Sample::sentNanos));
        return out;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        pool.shutdownNow();
    }
}
