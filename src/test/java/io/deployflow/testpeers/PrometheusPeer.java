package io.deployflow.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Debian's Prometheus on 127.0.0.1 scraping the given targets every second (job {@code haproxy}). */
public final class PrometheusPeer implements AutoCloseable {
    private final Peer peer;

    private PrometheusPeer(Peer peer) {
        this.peer = peer;
    }

    public static PrometheusPeer start(Path dir, String... targets) {
        int port = Peer.freePort();
        StringBuilder list = new StringBuilder();
        for (String target : targets) {
            list.append(list.length() == 0 ? "" : ", ").append('"').append(target).append('"');
        }
        String config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: haproxy
                    static_configs:
                      - targets: [%s]
                """.formatted(list);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("prometheus.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PrometheusPeer(Peer.start("prometheus", List.of("prometheus",
                "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"), dir, port, Duration.ofSeconds(60)));
    }

    public String url() {
        return "http://127.0.0.1:" + peer.port();
    }

    /** Waits until the first scrape of every target is in, so queries have data. */
    public void awaitScraped(String metric, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url()
                        + "/api/v1/query?query=" + metric)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"value\"")) {
                    return;
                }
                Thread.sleep(200);
            } catch (IOException notYet) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Prometheus has no " + metric + " after " + timeout + ":\n" + peer.log());
    }

    public String log() {
        return peer.log();
    }

    @Override
    public void close() {
        peer.close();
    }
}
