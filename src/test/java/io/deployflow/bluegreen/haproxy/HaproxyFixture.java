package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.Actor;
import io.deployflow.bluegreen.BlueGreenSection;
import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.PrometheusStepAnalysis;
import io.deployflow.bluegreen.RolloutEngine;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.TargetSettings;
import io.deployflow.bluegreen.analysis.Sleeper;
import io.deployflow.config.YamlNode;
import io.deployflow.testpeers.HaproxyPeer;
import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.PrometheusPeer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A real HAProxy in front of two colour services, optionally a real Prometheus scraping HAProxy's exporter, and a
 * deployflow.yaml describing them, written to disk so errors name its real lines. Blue runs {@code acme/portal:1.0}
 * and has all traffic, as production would before a rollout.
 */
final class HaproxyFixture implements AutoCloseable {
    static final String ERROR_RATE = "sum(rate(haproxy_server_http_responses_total{proxy=\"be\",server=\"{{colour}}\","
            + "code=\"5xx\"}[5s])) / sum(rate(haproxy_server_http_responses_total{proxy=\"be\",server=\"{{colour}}\"}[5s]))";

    final Path dir;
    final JavaBackendColours colours;
    /** The colours the targets of {@link #target} run on: {@link #colours}, or nginx processes (benchmark). */
    private final io.deployflow.bluegreen.colours.ColourRuntime runtime;
    final HaproxyPeer haproxy;
    final PrometheusPeer prometheus;
    final HaproxySocket socket;
    Path configFile;

    private HaproxyFixture(Path dir, JavaBackendColours colours, io.deployflow.bluegreen.colours.ColourRuntime runtime,
                           HaproxyPeer haproxy, PrometheusPeer prometheus) {
        this.dir = dir;
        this.colours = colours;
        this.runtime = runtime;
        this.haproxy = haproxy;
        this.prometheus = prometheus;
        this.socket = new HaproxySocket(haproxy.socket(), Duration.ofSeconds(5));
    }

    static HaproxyFixture start(Path dir, boolean withPrometheus) {
        return start(dir, withPrometheus, false);
    }

    /** @param nginx colours as nginx processes instead of in-JVM services */
    static HaproxyFixture start(Path dir, boolean withPrometheus, boolean nginx) {
        int blue = Peer.freePort();
        int green = Peer.freePort();
        JavaBackendColours colours = new JavaBackendColours(blue, green);
        io.deployflow.bluegreen.colours.ColourRuntime runtime = nginx
                ? new NginxColours(dir.resolve("colours"), blue, green).live(Colour.BLUE, "acme/portal:1.0")
                : colours.live(Colour.BLUE, "acme/portal:1.0");
        HaproxyPeer haproxy = HaproxyPeer.start(dir.resolve("haproxy"), blue, green);
        PrometheusPeer prometheus = null;
        if (withPrometheus) {
            prometheus = PrometheusPeer.start(dir.resolve("prometheus"), haproxy.metricsTarget());
            prometheus.awaitScraped("haproxy_server_http_responses_total", Duration.ofSeconds(30));
        }
        return new HaproxyFixture(dir, colours, runtime, haproxy, prometheus);
    }

    /** The deployflow.yaml text for this fixture; {@code analysis} is the YAML of the analysis section or null. */
    String yaml(String activeService, Path socketPath, String analysis, String steps) {
        return """
                team:
                  - {id: dev1, name: Dev One, emails: [dev1@example.org]}
                blueGreen:
                  targets:
                    - name: portal
                      activeService: %s
                      steps: %s
                      readyTimeoutSeconds: 4
                      readyPollSeconds: 1
                      scaleDownDelaySeconds: 0
                      verifyRequests: 20
                %s      router:
                        type: haproxy
                        socket: %s
                        config: %s
                        serverStateFile: %s
                        activeUrl: %s
                        colours:
                          project: portal
                          file: docker-compose.yml
                          blue: {url: "%s"}
                          green: {url: "%s"}
                """.formatted(activeService, steps, analysis == null ? "" : analysis, socketPath, haproxy.config(),
                haproxy.serverStateFile(), haproxy.url(), colours.url(Colour.BLUE), colours.url(Colour.GREEN));
    }

    /**
     * The analysis section with one metric (indented for the target). The first measurement comes one interval
     * after the shift: 3 s leaves Prometheus (scraping every second) time to see the new colour's first answers, so
     * a rate is a number, not NaN, even on a loaded machine.
     */
    String analysis(String query, String successCondition) {
        return """
                      analysis:
                        prometheus: %s
                        interval: 3s
                        count: 2
                        failureLimit: 0
                        metrics:
                          - name: error-rate
                            query: '%s'
                            successCondition: %s
                """.formatted(prometheus.url(), query.replace("'", "''"), successCondition);
    }

    TargetSettings settings(String yaml) {
        try {
            configFile = dir.resolve("deployflow.yaml");
            Files.writeString(configFile, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        YamlNode root = YamlNode.parse(configFile);
        return BlueGreenSection.from(root.require("blueGreen"), dir).targets().get(0);
    }

    HaproxyTarget target(TargetSettings settings) {
        HaproxySettings router = HaproxySettings.from(settings.routerContext(Map.of()));
        return new HaproxyTarget(settings.name(), settings.activeService(), settings.previewService(), router,
                runtime);
    }

    RolloutEngine engine(TargetSettings settings, RolloutTarget target) {
        return new RolloutEngine(target, settings, null, settings.analysis() == null ? null
                : new PrometheusStepAnalysis(settings.analysis(), Map.of(), Sleeper.REAL, Clock.systemUTC()),
                new Actor("dev1", "http://ci.example.org/job/portal/42/"), Clock.systemUTC(), Sleeper.REAL);
    }

    /** Weights as HAProxy itself reports them, read independently of the code under test. */
    String weights() {
        String blue = socket.execute("get weight be/blue").strip();
        String green = socket.execute("get weight be/green").strip();
        return "blue " + blue.split(" ")[0] + " / green " + green.split(" ")[0];
    }

    @Override
    public void close() {
        colours.close();
        if (runtime instanceof NginxColours processes) {
            processes.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        haproxy.close();
    }
}
