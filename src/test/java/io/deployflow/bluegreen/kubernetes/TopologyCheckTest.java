package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.testpeers.KubernetesPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the configuration names but the cluster lacks is found before anything is written, and each problem names
 * the field of the target's configuration that names the missing object (the CLI turns it into file:line).
 */
class TopologyCheckTest {
    private KubernetesPeer peer;
    private ClusterFixture cluster;

    @BeforeEach
    void start() {
        peer = KubernetesPeer.start();
        cluster = new ClusterFixture(peer);
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    @Test
    void aMissingServiceAndAMissingHttpRouteAreNamedAndNothingIsWritten() {
        cluster.seed(RouterKind.SERVICE);
        try (KubernetesClient client = peer.client()) {
            client.services().inNamespace(ClusterFixture.NS).withName("hms-preview").delete();
        }
        peer.clearRequests();
        try (KubernetesTarget target = cluster.target(RouterKind.GATEWAY_API)) {
            List<TopologyProblem> problems = target.checkTopology();
            assertEquals(List.of("previewService"), problems.stream().map(TopologyProblem::field).toList(),
                    problems.toString());
            assertTrue(problems.get(0).message().contains("Service 'hms-preview' does not exist in namespace hms"),
                    problems.toString());
        }
        assertEquals(List.of(), writes(), "the check wrote something");
        try (KubernetesClient client = peer.client()) {
            client.services().inNamespace(ClusterFixture.NS).resource(new io.fabric8.kubernetes.api.model
                    .ServiceBuilder().withNewMetadata().withName("hms-preview").endMetadata().withNewSpec()
                    .addToSelector(Labels.COLOUR, "blue").endSpec().build()).create();
        }
        peer.clearRequests();
        try (KubernetesTarget target = cluster.target(RouterKind.GATEWAY_API)) {
            List<TopologyProblem> problems = target.checkTopology();
            assertEquals(List.of("router.httpRoute"), problems.stream().map(TopologyProblem::field).toList());
            assertTrue(problems.get(0).message().contains("HTTPRoute hms does not exist"), problems.toString());
        }
        assertEquals(List.of(), writes(), "the check wrote something");
    }

    private List<KubernetesPeer.Request> writes() {
        return peer.requests().stream().filter(r -> !r.method().equals("GET")).toList();
    }

    @Test
    void aMissingDeploymentIsNamedByTheDeploymentField() {
        cluster.seed(RouterKind.SERVICE);
        peer.clearRequests();
        KubernetesRouterSettings settings = KubernetesRouterSettings.from(RouterKind.SERVICE, ClusterFixture.context(
                ClusterFixture.config(RouterKind.SERVICE).replace("deployment: hms", "deployment: hsm"),
                java.util.Map.of()));
        try (KubernetesTarget target = new KubernetesTarget(settings, peer::client)) {
            List<TopologyProblem> problems = target.checkTopology();
            assertEquals(List.of("router.deployment"), problems.stream().map(TopologyProblem::field).toList());
            assertTrue(problems.get(0).message().contains("neither Deployment 'hsm-blue' nor 'hsm-green'"),
                    problems.toString());
        }
        assertEquals(List.of(), writes());
    }

    @Test
    void aRouteThatDoesNotListThePreviewServiceIsRefusedWithTheFix() {
        cluster.seed(RouterKind.GATEWAY_API);
        try (KubernetesClient client = peer.client()) {
            client.genericKubernetesResources(ObjectKind.HTTP_ROUTE.context()).inNamespace(ClusterFixture.NS)
                    .withName("hms").patch(PatchContext.of(PatchType.JSON),
                            "[{\"op\":\"remove\",\"path\":\"/spec/rules/0/backendRefs/1\"}]");
        }
        try (KubernetesTarget target = cluster.target(RouterKind.GATEWAY_API)) {
            List<TopologyProblem> problems = target.checkTopology();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).message().contains("list both in its backendRefs"), problems.toString());
        }
    }

    @Test
    void podsWithoutTheirColourLabelAreRefused() {
        cluster.seed(RouterKind.SERVICE);
        try (KubernetesClient client = peer.client()) {
            client.apps().deployments().inNamespace(ClusterFixture.NS).withName("hms-blue").patch(
                    PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":"
                            + "\"/spec/template/metadata/labels/deployflow.io~1colour\"}]");
        }
        try (KubernetesTarget target = cluster.target(RouterKind.SERVICE)) {
            List<TopologyProblem> problems = target.checkTopology();
            assertEquals(List.of("router.deployment"), problems.stream().map(TopologyProblem::field).toList());
        }
    }
}
