package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.bluegreen.colours.ColourRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Colours as busybox {@code httpd} processes on fixed ports, each serving a directory with its image name and a
 * health file. The benchmark uses them so the load generator's JVM serves no requests itself: on a busy machine
 * in-JVM servers and the load generator would compete for the same CPU and the figures would measure that.
 */
final class BusyboxColours implements ColourRuntime, AutoCloseable {
    private final Path dir;
    private final Map<Colour, Integer> ports = new EnumMap<>(Colour.class);
    private final Map<Colour, Process> running = new EnumMap<>(Colour.class);
    private final Map<Colour, String> images = new EnumMap<>(Colour.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    BusyboxColours(Path dir, int bluePort, int greenPort) {
        this.dir = dir;
        ports.put(Colour.BLUE, bluePort);
        ports.put(Colour.GREEN, greenPort);
    }

    BusyboxColours live(Colour colour, String image) {
        deploy(colour, Map.of("web", image), 1);
        return this;
    }

    @Override
    public String describe() {
        return "busybox httpd processes on ports " + ports.values();
    }

    @Override
    public List<TopologyProblem> checkTopology() {
        return List.of();
    }

    @Override
    public synchronized void deploy(Colour colour, Map<String, String> wanted, int replicas) {
        String image = wanted.getOrDefault("web", wanted.get(RolloutTarget.ANY_SERVICE));
        if (replicas > 0 && running.containsKey(colour) && image.equals(images.get(colour))) {
            return;
        }
        stop(colour);
        if (replicas == 0) {
            return;
        }
        try {
            Path root = Files.createDirectories(dir.resolve(colour.label() + "-" + image.replaceAll("[^a-z0-9.]", "_")));
            Files.writeString(root.resolve("index.html"), colour + " " + image + "\n");
            Files.writeString(root.resolve("health"), "UP\n");
            Process process = new ProcessBuilder("busybox", "httpd", "-f", "-p", "127.0.0.1:" + ports.get(colour),
                    "-h", root.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            running.put(colour, process);
            images.put(colour, image);
        } catch (IOException e) {
            throw new UncheckedIOException("busybox httpd for " + colour + " did not start (busybox-static)", e);
        }
    }

    @Override
    public synchronized ColourReadiness readiness(Colour colour, Map<String, String> expected) {
        Process process = running.get(colour);
        if (process == null) {
            return new ColourReadiness(colour, 0, 0, Map.of(), List.of());
        }
        List<String> problems = new ArrayList<>();
        String want = expected.getOrDefault("web", expected.get(RolloutTarget.ANY_SERVICE));
        if (want != null && !want.equals(images.get(colour))) {
            problems.add("web: runs " + images.get(colour) + ", expected " + want);
        }
        if (!process.isAlive()) {
            problems.add("web: httpd exited with " + process.exitValue());
        } else {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(colour)
                        + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status != 200) {
                    problems.add("web: health answered " + status);
                }
            } catch (IOException e) {
                problems.add("web: health check failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("interrupted");
            }
        }
        return new ColourReadiness(colour, 1, problems.isEmpty() ? 1 : 0, Map.of("web", images.get(colour)), problems);
    }

    @Override
    public synchronized void scale(Colour colour, int replicas) {
        if (replicas == 0) {
            stop(colour);
        }
    }

    private void stop(Colour colour) {
        Process process = running.remove(colour);
        images.remove(colour);
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void close() {
        for (Colour colour : Colour.values()) {
            stop(colour);
        }
    }
}
