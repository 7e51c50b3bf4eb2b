package io.deployflow.bluegreen;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import io.deployflow.testpeers.HaproxyPeer;
import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.PodmanPeer;
import io.deployflow.testpeers.PrometheusPeer;
import io.deployflow.testpeers.RegistryPeer;
import io.deployflow.testpeers.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The phases as a pipeline runs them: each a new JVM of the shaded jar, the colours as two compose projects on the
 * podman engine, a real HAProxy and Prometheus. Covers restart safety: the CLI killed in the middle of a shift and
 * between phases, {@code status} telling where things stand, then carrying on or aborting.
 */
class BlueGreenCliIT {
    @TempDir
    Path dir;

    private Map<String, String> env;
    private Path config;
    private String project;

    record Run(int exit, String stderr) {
    }

    @Test
    void phasesInSeparateProcessesSurviveKillsAndEndVerified() throws Exception {
        PodmanPeer podman = PodmanPeer.shared();
        project = "dfbg" + ProcessHandle.current().pid();
        int bluePort = Peer.freePort();
        int greenPort = Peer.freePort();
        TestImages v1 = null;
        TestImages v2 = null;
        try (RegistryPeer registry = RegistryPeer.start(dir.resolve("registry"));
             HaproxyPeer haproxy = HaproxyPeer.start(dir.resolve("haproxy"), bluePort, greenPort);
             PrometheusPeer prometheus = PrometheusPeer.start(dir.resolve("prometheus"), haproxy.metricsTarget())) {
            v1 = TestImages.build(podman, registry, "1.0.0");
            v2 = TestImages.build(podman, registry, "2.0.0");
            prometheus.awaitScraped("haproxy_server_http_responses_total", Duration.ofSeconds(30));
            writeFixtures(v1, haproxy, prometheus, bluePort, greenPort);
            env = new HashMap<>(podman.fullEnvironment());
            env.put("DEPLOYFLOW_USER", "dev1");
            env.put("BUILD_URL", "http://ci.example.org/job/portal/7/");
            env.put("DEPLOYFLOW_AUDIT_LOG", dir.resolve("audit.jsonl").toString());

            Map<String, String> blueEnv = new HashMap<>(env);
            blueEnv.put("PORT", Integer.toString(bluePort));
            assertEquals(0, run(blueEnv, "stack", "up", "--file", dir.resolve("docker-compose.yml").toString(),
                    "--project", project + "-blue", "--wait", "120s").exit(), "production runs blue");

            try (Background load = new Background(haproxy.url())) {
                Run status = bluegreen("status", "--json", dir.resolve("status0.json").toString());
                assertEquals(0, status.exit(), status.stderr());
                assertTrue(status.stderr().contains("active blue; router blue 100 % / green 0 %"), status.stderr());

                Run deploy = bluegreen("deploy", "--id", "r1", "--image", "web=" + v2.good(), "--version", "2.0.0");
                assertEquals(0, deploy.exit(), deploy.stderr());
                assertTrue(deploy.stderr().contains("green: 1/1 ready"), deploy.stderr());
                assertEquals(0, bluegreen("deploy", "--id", "r1", "--image", "web=" + v2.good()).exit(),
                        "deploy run again is a no-op");

                Path junit = dir.resolve("preview-smoke.xml");
                Run analyze = bluegreen("analyze", "--id", "r1", "--junit", junit.toString());
                assertEquals(0, analyze.exit(), analyze.stderr());
                assertTrue(Files.readString(junit).contains("patient-read"), "the preview smoke is JUnit XML");

                // killed in the middle of a shift: HAProxy already has 10 %, the analysis is still measuring
                Process shift = start("bluegreen", "shift", "--config", config.toString(), "--target", "portal",
                        "--id", "r1");
                awaitState("\"targetWeight\":10", "\"weight\":10");
                shift.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

                Path statusJson = dir.resolve("status1.json");
                status = bluegreen("status", "--json", statusJson.toString());
                assertEquals(0, status.exit(), status.stderr());
                assertTrue(status.stderr().contains("shifting to 10 % unfinished"), status.stderr());
                JsonNode seen = Json.mapper().readTree(statusJson.toFile());
                assertEquals("shifting", seen.path("state").path("rollout").path("phase").asText());
                assertEquals(10, seen.path("traffic").path("green").asInt());
                assertEquals("r1", seen.path("lock").path("rolloutId").asText());

                Run refused = bluegreen("deploy", "--id", "r2", "--image", "web=" + v2.good());
                assertEquals(2, refused.exit(), refused.stderr());
                assertTrue(refused.stderr().contains("held by rollout 'r1'"), refused.stderr());

                Run resumed = bluegreen("shift", "--id", "r1");
                assertEquals(0, resumed.exit(), resumed.stderr());
                assertTrue(resumed.stderr().contains("10 % on green; analysis: 2/2 measurements successful"),
                        resumed.stderr());

                // the agent dies between phases: nothing is lost, the next phase reads the target
                assertEquals(0, bluegreen("shift", "--id", "r1", "--weight", "50").exit());
                Run abort = bluegreen("abort", "--id", "r1", "--reason", "on-call saw slow admissions",
                        "--json", dir.resolve("abort.json").toString());
                assertEquals(0, abort.exit(), abort.stderr());
                assertTrue(abort.stderr().contains("20 of 20 requests through " + haproxy.url() + " served by blue"),
                        abort.stderr());
                JsonNode aborted = Json.mapper().readTree(dir.resolve("abort.json").toFile());
                assertEquals("aborted", aborted.path("deployment").path("status").asText());
                assertEquals("on-call saw slow admissions", aborted.path("deployment").path("reason").asText());
                assertEquals("2.0.0", aborted.path("deployment").path("version").asText());
                assertTrue(podman.api().projectContainers(project + "-green").isEmpty(), "green scaled to zero");

                // a promoted rollout rolls back to the kept colour, then a third one completes
                assertEquals(0, bluegreen("deploy", "--id", "r3", "--image", "web=" + v2.good()).exit());
                assertEquals(0, bluegreen("analyze", "--id", "r3").exit());
                Run promoted = bluegreen("shift", "--id", "r3", "--weight", "100");
                assertEquals(0, promoted.exit(), promoted.stderr());
                assertTrue(promoted.stderr().contains("promoted green"), promoted.stderr());
                Run rollback = bluegreen("rollback", "--id", "r3", "--reason", "NPE in admissions");
                assertEquals(0, rollback.exit(), rollback.stderr());
                assertEquals("1.0.0", version(haproxy.url()), "production is back on the old version");
                assertEquals("1.0.0", version("http://127.0.0.1:" + bluePort), "blue still runs the old version");

                assertEquals(0, bluegreen("deploy", "--id", "r4", "--image", "web=" + v2.good()).exit());
                assertEquals(0, bluegreen("analyze", "--id", "r4").exit());
                assertEquals(0, bluegreen("shift", "--id", "r4", "--weight", "100").exit());
                Run cleanup = bluegreen("cleanup", "--id", "r4", "--now");
                assertEquals(0, cleanup.exit(), cleanup.stderr());
                assertTrue(podman.api().projectContainers(project + "-blue").isEmpty(), "old colour scaled down");
                assertEquals("2.0.0", version(haproxy.url()));

                List<String> failures = load.failures();
                assertTrue(failures.isEmpty(), "requests through HAProxy failed during the rollouts: " + failures);
                assertTrue(load.count() > 100, "the load ran: " + load.count());
            }
            String audit = Files.readString(dir.resolve("audit.jsonl"));
            assertTrue(audit.contains("\"command\":\"bluegreen abort\"") && audit.contains("\"user\":\"dev1\""),
                    audit);

            // every outcome is in the team's deployment history (the ledger beside deployflow.yaml), nothing else
            Path history = dir.resolve("history.md");
            Run rendered = run(env, "ledger", "history", "--config", config.toString(), "--out", history.toString());
            assertEquals(0, rendered.exit(), rendered.stderr());
            List<String> rows = Files.readAllLines(history).stream().filter(l -> l.startsWith("| [#")).toList();
            assertEquals(4, rows.size(), String.join("\n", rows));
            assertTrue(rows.get(0).contains("| Deployment | portal |  | promoted | dev1 |"), rows.get(0));
            assertTrue(rows.get(1).contains("| Rollback | portal |  | rolled-back | dev1 | NPE in admissions |"),
                    rows.get(1));
            assertTrue(rows.get(2).contains("| Deployment | portal |  | promoted |"), rows.get(2));
            assertTrue(rows.get(3).contains("| Deployment | portal | 2.0.0 | aborted | dev1 | on-call saw slow"
                    + " admissions |"), rows.get(3));
            assertEquals(0, run(env, "ledger", "verify", "--config", config.toString()).exit(), "the chain is intact");
        } finally {
            for (String colour : List.of("blue", "green")) {
                run(env == null ? podman.fullEnvironment() : env, "stack", "down", "--project", project + "-"
                        + colour);
            }
            if (v1 != null) {
                v1.removePulled(podman);
            }
            if (v2 != null) {
                v2.removePulled(podman);
            }
        }
    }

    private void writeFixtures(TestImages v1, HaproxyPeer haproxy, PrometheusPeer prometheus, int bluePort,
                               int greenPort) throws IOException {
        Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  web:\n    image: " + v1.good() + "\n"
                + "    ports: [\"127.0.0.1:${PORT}:80\"]\n    healthcheck: " + TestImages.HEALTHCHECK + "\n");
        Files.createDirectories(dir.resolve("smoke"));
        Files.writeString(dir.resolve("smoke/routes.yaml"), """
                readyPath: /health
                routes:
                  - name: patient-read
                    path: /fhir/Patient/example
                    expect: {status: 200, json: {$.resourceType: Patient}}
                  - name: metadata
                    path: /fhir/metadata
                """);
        config = dir.resolve("deployflow.yaml");
        Files.writeString(config, """
                team:
                  - {id: dev1, name: Dev One, emails: [dev1@example.org]}
                blueGreen:
                  targets:
                    - name: portal
                      activeService: be
                      steps: [10, 50, 100]
                      readyTimeoutSeconds: 120
                      readyPollSeconds: 1
                      scaleDownDelaySeconds: 600
                      verifyRequests: 20
                      prePromotionAnalysis:
                        routes: smoke/routes.yaml
                      analysis:
                        prometheus: %s
                        interval: 3s
                        count: 2
                        metrics:
                          - name: error-rate
                            query: 'sum(rate(haproxy_server_http_responses_total{proxy="be",server="{{colour}}",code="5xx"}[10s])) / sum(rate(haproxy_server_http_responses_total{proxy="be",server="{{colour}}"}[10s]))'
                            successCondition: result < 0.05
                      router:
                        type: haproxy
                        socket: %s
                        config: %s
                        serverStateFile: %s
                        activeUrl: %s
                        colours:
                          project: %s
                          file: docker-compose.yml
                          blue: {url: "http://127.0.0.1:%d", env: {PORT: "%d"}}
                          green: {url: "http://127.0.0.1:%d", env: {PORT: "%d"}}
                """.formatted(prometheus.url(), haproxy.socket(), haproxy.config(), haproxy.serverStateFile(),
                haproxy.url(), project, bluePort, bluePort, greenPort, greenPort));
    }

    private Run bluegreen(String phase, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("bluegreen", phase, "--config", config.toString(), "--target",
                "portal"));
        all.addAll(List.of(args));
        return run(env, all.toArray(String[]::new));
    }

    private Process start(String... args) throws IOException {
        String jar = System.getProperty("deployflow.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private Run run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("deployflow.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "build the jar first: " + jar);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "deployflow did not finish");
        return new Run(process.exitValue(), stderr);
    }

    /** Waits until the state file next to HAProxy's configuration holds every fragment. */
    private void awaitState(String... fragments) throws Exception {
        Path state = dir.resolve("haproxy/deployflow-portal.rollout.json");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(state) ? Files.readString(state) : "";
            if (List.of(fragments).stream().allMatch(text::contains)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the state never held " + List.of(fragments) + ":\n" + Files.readString(state)
                + "\n" + Files.readString(dir.resolve("killed.log")));
    }

    private static String version(String base) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                + "/version")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().strip();
    }

    /** 20 requests/s through HAProxy for the whole test; every one must be answered 200. */
    private static final class Background implements AutoCloseable {
        private final Thread thread;
        private final List<String> failures = new ArrayList<>();
        private volatile boolean running = true;
        private int count;

        Background(String url) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            thread = new Thread(() -> {
                while (running) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                        synchronized (this) {
                            count++;
                            if (r.statusCode() != 200) {
                                failures.add("HTTP " + r.statusCode());
                            }
                        }
                        Thread.sleep(50);
                    } catch (IOException e) {
                        synchronized (this) {
                            failures.add(e.toString());
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "background-load");
            thread.start();
        }

        synchronized List<String> failures() {
            return new ArrayList<>(failures);
        }

        synchronized int count() {
            return count;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }
}
