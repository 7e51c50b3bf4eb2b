package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.RouterContext;
import io.deployflow.config.YamlNode;
import io.deployflow.testpeers.KubernetesPeer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Path;
import java.util.Map;

/**
 * A namespace as a team would have it before its first rollout with deployflow: Deployment {@code hms-blue}
 * (3 replicas of acme/hms:1.0, pods labelled with their colour), the active Service {@code hms} and the preview
 * Service {@code hms-preview} both selecting blue, and the router object of the kind under test sending
 * everything to {@code hms}. The test plays the Deployment controller: {@link #settle} writes the status a
 * controller writes once every pod of the current template is up, {@link #crash} what it writes when they fail.
 */
final class ClusterFixture {
    static final String NS = "hms";
    static final String OLD_IMAGE = "registry.example.org/acme/hms:1.0";
    static final String NEW_IMAGE = "registry.example.org/acme/hms:2.0";

    private final KubernetesPeer peer;

    ClusterFixture(KubernetesPeer peer) {
        this.peer = peer;
    }

    /** The deployflow.yaml a team would write for the kind (the target's part of it). */
    static String config(RouterKind kind) {
        String object = switch (kind) {
            case GATEWAY_API -> "\n        httpRoute: hms";
            case INGRESS_NGINX -> "\n        ingress: hms";
            case ISTIO -> "\n        virtualService: hms";
            case SERVICE, REPLICAS -> "";
        };
        return """
                blueGreen:
                  targets:
                    - name: hms
                      activeService: hms
                      previewService: hms-preview
                      replicas: 3
                      scaleDownReplicas: 1
                      router:
                        type: %s
                        namespace: hms
                        deployment: hms%s
                """.formatted(kind.configName(), object);
    }

    static RouterContext context(String yaml, Map<String, String> environment) {
        YamlNode target = YamlNode.parse("deployflow.yaml", yaml).require("blueGreen").require("targets").items()
                .get(0);
        return new RouterContext(target.string("name"), target.string("activeService"),
                target.string("previewService", null), target.require("router"), Path.of("."), environment);
    }

    static KubernetesRouterSettings settings(RouterKind kind) {
        return KubernetesRouterSettings.from(kind, context(config(kind), Map.of()));
    }

    /** A target as one CLI process would have it: its own client, made on first use. */
    KubernetesTarget target(RouterKind kind) {
        return new KubernetesTarget(settings(kind), peer::client);
    }

    void seed(RouterKind kind) {
        try (KubernetesClient client = peer.client()) {
            create(client, ObjectKind.DEPLOYMENT, """
                    {"apiVersion":"apps/v1","kind":"Deployment",
                     "metadata":{"name":"hms-blue","labels":{"app":"hms"}},
                     "spec":{"replicas":3,
                       "selector":{"matchLabels":{"app":"hms","deployflow.io/colour":"blue"}},
                       "template":{"metadata":{"labels":{"app":"hms","deployflow.io/colour":"blue"}},
                         "spec":{"containers":[{"name":"web","image":"%s","ports":[{"containerPort":8080}]}]}}}}
                    """.formatted(OLD_IMAGE));
            for (String service : new String[] {"hms", "hms-preview"}) {
                create(client, ObjectKind.SERVICE, """
                        {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},
                         "spec":{"selector":{"app":"hms","deployflow.io/colour":"blue"},
                           "ports":[{"port":80,"targetPort":8080}]}}
                        """.formatted(service));
            }
            switch (kind) {
                case GATEWAY_API -> create(client, ObjectKind.HTTP_ROUTE, """
                        {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"hms"},
                         "spec":{"parentRefs":[{"name":"public"}],"hostnames":["hms.example.org"],
                           "rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/"}}],
                             "backendRefs":[{"name":"hms","port":80,"weight":100},
                                            {"name":"hms-preview","port":80,"weight":0}]}]}}
                        """);
                case INGRESS_NGINX -> create(client, ObjectKind.INGRESS, """
                        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"hms",
                           "annotations":{"nginx.ingress.kubernetes.io/proxy-body-size":"50m"}},
                         "spec":{"ingressClassName":"nginx","tls":[{"hosts":["hms.example.org"],"secretName":"t"}],
                           "rules":[{"host":"hms.example.org","http":{"paths":[
                             {"path":"/","pathType":"Prefix","backend":{"service":{"name":"hms","port":{"number":80}}}},
                             {"path":"/docs","pathType":"Prefix",
                              "backend":{"service":{"name":"docs","port":{"number":80}}}}]}}]}}
                        """);
                case ISTIO -> create(client, ObjectKind.VIRTUAL_SERVICE, """
                        {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"hms"},
                         "spec":{"hosts":["hms.example.org"],"gateways":["public"],
                           "http":[{"route":[{"destination":{"host":"hms.hms.svc.cluster.local"},"weight":100},
                                             {"destination":{"host":"hms-preview"},"weight":0}]}]}}
                        """);
                case SERVICE, REPLICAS -> {
                }
            }
        }
        settle(Colour.BLUE);
    }

    /** What the Deployment controller writes once every replica of the current template is up and ready. */
    void settle(Colour colour) {
        try (KubernetesClient client = peer.client()) {
            Deployment deployment = deployment(client, colour);
            int replicas = deployment.getSpec().getReplicas();
            writeStatus(client, colour, Map.of("observedGeneration", deployment.getMetadata().getGeneration(),
                    "replicas", replicas, "updatedReplicas", replicas, "readyReplicas", replicas,
                    "availableReplicas", replicas));
        }
    }

    /** A crash loop as the controller reports it: the pods exist and are updated, but ready drops to zero. */
    void crash(Colour colour) {
        try (KubernetesClient client = peer.client()) {
            Deployment deployment = deployment(client, colour);
            int replicas = deployment.getSpec().getReplicas();
            writeStatus(client, colour, Map.of("observedGeneration", deployment.getMetadata().getGeneration(),
                    "replicas", replicas, "updatedReplicas", replicas, "readyReplicas", 0,
                    "availableReplicas", 0, "unavailableReplicas", replicas));
        }
    }

    Deployment deployment(Colour colour) {
        try (KubernetesClient client = peer.client()) {
            return deployment(client, colour);
        }
    }

    GenericKubernetesResource get(ObjectKind kind, String name) {
        try (KubernetesClient client = peer.client()) {
            return client.genericKubernetesResources(kind.context()).inNamespace(NS).withName(name).get();
        }
    }

    /** The colour a Service selects, or null. */
    String selected(String service) {
        Map<String, Object> selector = get(ObjectKind.SERVICE, service).get("spec", "selector");
        Object colour = selector.get(Labels.COLOUR);
        return colour == null ? null : colour.toString();
    }

    private static Deployment deployment(KubernetesClient client, Colour colour) {
        return client.apps().deployments().inNamespace(NS).withName("hms-" + colour.label()).get();
    }

    private static void writeStatus(KubernetesClient client, Colour colour, Map<String, Object> status) {
        client.apps().deployments().inNamespace(NS).withName("hms-" + colour.label()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    }

    private static void create(KubernetesClient client, ObjectKind kind, String json) {
        client.genericKubernetesResources(kind.context()).inNamespace(NS)
                .resource(Serialization.unmarshal(json, GenericKubernetesResource.class)).create();
    }
}
