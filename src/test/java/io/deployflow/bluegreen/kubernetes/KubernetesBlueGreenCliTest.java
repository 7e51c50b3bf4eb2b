package io.deployflow.bluegreen.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.bluegreen.Colour;
import io.deployflow.cli.CliRun;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Json;
import io.deployflow.testpeers.KubernetesPeer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deployflow bluegreen ...} on a Kubernetes target, as a pipeline runs it: one CLI call per phase, the
 * cluster reached through a kubeconfig, and a stand-in for the Deployment controller running the whole time
 * (it writes each Deployment's status shortly after its spec changes, as the real one does).
 */
class KubernetesBlueGreenCliTest {
    @TempDir
    Path dir;
    private KubernetesPeer peer;
    private ClusterFixture cluster;
    private Thread controller;
    private volatile boolean running = true;
    private Path config;

    @BeforeEach
    void start() throws IOException {
        peer = KubernetesPeer.start();
        cluster = new ClusterFixture(peer);
        cluster.seed(RouterKind.GATEWAY_API);
        // the CLI finds the cluster as kubectl does; in this JVM through fabric8's kubeconfig property
        System.setProperty("kubeconfig", peer.writeKubeconfig(dir).toString());
        config = dir.resolve("deployflow.yaml");
        Files.writeString(config, team() + ClusterFixture.config(RouterKind.GATEWAY_API)
                .replace("      replicas: 3", "      replicas: 3\n      readyPollSeconds: 1\n"
                        + "      readyTimeoutSeconds: 60"));
        controller = new Thread(this::controlDeployments, "deployment-controller");
        controller.setDaemon(true);
        controller.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        running = false;
        controller.join(5000);
        System.clearProperty("kubeconfig");
        peer.close();
    }

    @Test
    void aWholeRolloutOnePhasePerCall() throws IOException {
        CliRun deploy = bluegreen("deploy", "--image", ClusterFixture.NEW_IMAGE, "--version", "2.0");
        assertEquals(ExitCode.OK, deploy.exitCode(), deploy.err());
        for (int weight : new int[] {10, 50}) {
            CliRun shift = bluegreen("shift");
            assertEquals(ExitCode.OK, shift.exitCode(), shift.err());
            assertEquals(weight, status().path("traffic").path("green").asInt(), "after the shift to " + weight);
        }
        CliRun last = bluegreen("shift");
        assertEquals(ExitCode.OK, last.exitCode(), last.err());
        JsonNode promoted = status();
        assertEquals("promoted", promoted.path("state").path("rollout").path("phase").asText());
        assertEquals(100, promoted.path("traffic").path("green").asInt());
        assertEquals(1, cluster.deployment(Colour.BLUE).getSpec().getReplicas());

        CliRun cleanup = bluegreen("cleanup", "--now");
        assertEquals(ExitCode.OK, cleanup.exitCode(), cleanup.err());
        assertEquals(0, cluster.deployment(Colour.BLUE).getSpec().getReplicas());
        assertEquals("completed", status().path("state").path("rollout").path("phase").asText());
    }

    @Test
    void abortFromTheCliPutsTrafficBackAndRecordsWhy() throws IOException {
        assertEquals(ExitCode.OK, bluegreen("deploy", "--image", ClusterFixture.NEW_IMAGE).exitCode());
        assertEquals(ExitCode.OK, bluegreen("shift").exitCode());
        CliRun abort = bluegreen("abort", "--reason", "lab results load slowly");
        assertEquals(ExitCode.OK, abort.exitCode(), abort.err());
        JsonNode status = status();
        assertEquals(100, status.path("traffic").path("blue").asInt());
        assertEquals("aborted", status.path("state").path("rollout").path("phase").asText());
        assertTrue(status.path("state").path("rollout").path("reason").asText().contains("lab results load slowly"));
        assertEquals("blue", cluster.selected("hms"));
    }

    @Test
    void aSecondRolloutAndAnUnknownServiceExitTwo() throws IOException {
        assertEquals(ExitCode.OK, bluegreen("deploy", "--image", ClusterFixture.NEW_IMAGE).exitCode());
        CliRun second = CliRun.of("bluegreen", "deploy", "--config", config.toString(), "--target", "hms", "--id",
                "hms-8", "--image", "registry.example.org/acme/hms:3.0");
        assertEquals(ExitCode.BAD_INPUT, second.exitCode(), second.err());
        assertTrue(second.err().contains("hms-7"), second.err());

        Files.writeString(config, Files.readString(config).replace("previewService: hms-preview",
                "previewService: hms-previwe"));
        peer.clearRequests();
        CliRun unknown = bluegreen("shift");
        assertEquals(ExitCode.BAD_INPUT, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().contains("deployflow.yaml:9: blueGreen.targets[0].previewService: Service"
                + " 'hms-previwe' does not exist"), unknown.err());
        assertEquals(List.of(), peer.requests().stream().filter(r -> !r.method().equals("GET")
                && !r.path().endsWith("/status")).toList(), "a write despite the bad input");
    }

    private CliRun bluegreen(String phase, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("bluegreen", phase, "--config", config.toString(),
                "--target", "hms", "--id", "hms-7"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private JsonNode status() throws IOException {
        Path json = dir.resolve("status.json");
        CliRun status = bluegreen("status", "--json", json.toString());
        assertEquals(ExitCode.OK, status.exitCode(), status.err());
        return Json.mapper().readTree(json.toFile());
    }

    /** Settles every Deployment whose status lags behind its spec, every quarter of a second. */
    private void controlDeployments() {
        while (running) {
            for (Colour colour : Colour.values()) {
                try {
                    Deployment deployment = cluster.deployment(colour);
                    if (deployment != null && lags(deployment)) {
                        cluster.settle(colour);
                    }
                } catch (RuntimeException serverGone) {
                    // the test is ending
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean lags(Deployment deployment) {
        var status = deployment.getStatus();
        return status == null || status.getObservedGeneration() == null
                || status.getObservedGeneration() < deployment.getMetadata().getGeneration()
                || !deployment.getSpec().getReplicas().equals(status.getReadyReplicas());
    }

    private static String team() {
        return """
                team:
                  - id: dev1
                    name: Dev One
                    emails: [dev1@example.org]
                """;
    }
}
