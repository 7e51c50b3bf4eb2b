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
 * Colours as nginx processes (Debian's nginx) on fixed ports, each serving a directory with its image name and a
 * health file. The benchmark uses them so the load generator's JVM serves no requests itself (in-JVM services and
 * the load generator would compete for the same CPU), and because they behave like a production service under a
 * load balancer: keep-alive connections HAProxy reuses, and an accept queue of 1024. busybox httpd, used before,
 * forks per connection behind an accept queue of 9; on a machine with a load average above 10 that queue overflowed
 * thousands of times a run, the kernel dropped the connection attempts, and requests timed out before any rollout
 * step had happened: the stand-in service failed, not the traffic switch.
 */
final class NginxColours implements ColourRuntime, AutoCloseable {
    private final Path dir;
    private final Map<Colour, Integer> ports = new EnumMap<>(Colour.class);
    private final Map<Colour, Process> running = new EnumMap<>(Colour.class);
    private final Map<Colour, Path> roots = new EnumMap<>(Colour.class);
    private final Map<Colour, String> images = new EnumMap<>(Colour.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    NginxColours(Path dir, int bluePort, int greenPort) {
        this.dir = dir;
        ports.put(Colour.BLUE, bluePort);
        ports.put(Colour.GREEN, greenPort);
    }

    /** Production before the rollout: {@code colour} runs {@code image} and answers. */
    NginxColours live(Colour colour, String image) {
        deploy(colour, Map.of("web", image), 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ColourReadiness look = readiness(colour, Map.of());
        while (!look.ready() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            look = readiness(colour, Map.of());
        }
        if (!look.ready()) {
            throw new IllegalStateException("nginx for " + colour + " did not get ready: " + look.summary());
        }
        return this;
    }

    @Override
    public String describe() {
        return "nginx processes on ports " + ports.values();
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
            Path html = Files.createDirectories(root.resolve("html"));
            Files.writeString(html.resolve("index.html"), colour + " " + image + "\n");
            Files.writeString(html.resolve("health"), "UP\n");
            Files.writeString(root.resolve("nginx.conf"), config(root, ports.get(colour)));
            Process process = new ProcessBuilder("nginx", "-p", root.toString(), "-c", "nginx.conf", "-e",
                    "error.log").redirectErrorStream(true).redirectOutput(root.resolve("nginx.out").toFile()).start();
            running.put(colour, process);
            roots.put(colour, root);
            images.put(colour, image);
        } catch (IOException e) {
            throw new UncheckedIOException("nginx for " + colour + " did not start (Debian package nginx)", e);
        }
    }

    /** One master and one worker in the foreground; every path inside the colour's directory. */
    private static String config(Path root, int port) {
        // as root, nginx would run its worker as nobody, which may not read a private temporary directory
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        return user + """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp-body;
                  proxy_temp_path %1$s/tmp-proxy;
                  fastcgi_temp_path %1$s/tmp-fastcgi;
                  uwsgi_temp_path %1$s/tmp-uwsgi;
                  scgi_temp_path %1$s/tmp-scgi;
                  default_type text/plain;
                  keepalive_requests 100000;
                  server {
                    listen 127.0.0.1:%2$d backlog=1024;
                    root %1$s/html;
                  }
                }
                """.formatted(root, port);
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
            problems.add("web: nginx exited with " + process.exitValue() + ": " + output(colour));
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

    private String output(Colour colour) {
        try {
            return Files.readString(roots.get(colour).resolve("nginx.out")).strip();
        } catch (IOException e) {
            return "(no output)";
        }
    }

    @Override
    public synchronized void scale(Colour colour, int replicas) {
        if (replicas == 0) {
            stop(colour);
        }
    }

    /** Graceful stop, as an orchestrator stops a container: nginx finishes what it has in hand (SIGQUIT). */
    private void stop(Colour colour) {
        Process process = running.remove(colour);
        Path root = roots.remove(colour);
        images.remove(colour);
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                new ProcessBuilder("nginx", "-p", root.toString(), "-c", "nginx.conf", "-e", "error.log", "-s",
                        "quit").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                        .waitFor(5, TimeUnit.SECONDS);
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public synchronized void close() {
        for (Colour colour : Colour.values()) {
            stop(colour);
        }
    }
}
