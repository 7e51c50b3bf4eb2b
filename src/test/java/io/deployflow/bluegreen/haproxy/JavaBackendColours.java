package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.bluegreen.colours.ColourRuntime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Colours as two in-JVM HTTP services on fixed ports (the ports HAProxy's servers point at). Used where the test is
 * about the router, the engine and the analysis, and starting compose stacks would only add minutes: fault tests
 * and the zero-downtime benchmark. Readiness is a real HTTP health check of the running service.
 */
final class JavaBackendColours implements ColourRuntime, AutoCloseable {
    private final Map<Colour, Integer> ports = new EnumMap<>(Colour.class);
    private final Map<Colour, ColourBackend> running = new EnumMap<>(Colour.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    JavaBackendColours(int bluePort, int greenPort) {
        ports.put(Colour.BLUE, bluePort);
        ports.put(Colour.GREEN, greenPort);
    }

    /** Starts a colour as if it had been deployed before the test (the live colour). */
    JavaBackendColours live(Colour colour, String image) {
        deploy(colour, Map.of("web", image), 1);
        return this;
    }

    URI url(Colour colour) {
        return URI.create("http://127.0.0.1:" + ports.get(colour));
    }

    @Override
    public String describe() {
        return "in-JVM HTTP services on ports " + ports.values();
    }

    @Override
    public List<TopologyProblem> checkTopology() {
        return List.of();
    }

    @Override
    public synchronized void deploy(Colour colour, Map<String, String> images, int replicas) {
        String image = images.getOrDefault("web", images.get(RolloutTarget.ANY_SERVICE));
        ColourBackend now = running.get(colour);
        if (now != null && now.image.equals(image) && replicas > 0) {
            return;
        }
        stop(colour);
        if (replicas > 0) {
            running.put(colour, ColourBackend.start(ports.get(colour), colour.label(), image));
        }
    }

    @Override
    public synchronized ColourReadiness readiness(Colour colour, Map<String, String> expected) {
        ColourBackend backend = running.get(colour);
        if (backend == null) {
            return new ColourReadiness(colour, 0, 0, Map.of(), List.of());
        }
        List<String> problems = new ArrayList<>();
        String want = expected.getOrDefault("web", expected.get(RolloutTarget.ANY_SERVICE));
        if (want != null && !want.equals(backend.image)) {
            problems.add("web: runs " + backend.image + ", expected " + want);
        }
        try {
            HttpResponse<Void> health = http.send(HttpRequest.newBuilder(URI.create(url(colour) + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            if (health.statusCode() != 200) {
                problems.add("web: health check answered " + health.statusCode());
            }
        } catch (IOException e) {
            problems.add("web: health check failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted");
        }
        return new ColourReadiness(colour, 1, problems.isEmpty() ? 1 : 0, Map.of("web", backend.image), problems);
    }

    @Override
    public synchronized void scale(Colour colour, int replicas) {
        if (replicas == 0) {
            stop(colour);
        } else if (!running.containsKey(colour)) {
            throw new IllegalStateException(colour + " was never deployed");
        }
    }

    private void stop(Colour colour) {
        ColourBackend backend = running.remove(colour);
        if (backend != null) {
            backend.stop();
        }
    }

    boolean isRunning(Colour colour) {
        return running.containsKey(colour);
    }

    @Override
    public synchronized void close() {
        for (Colour colour : Colour.values()) {
            stop(colour);
        }
    }
}
