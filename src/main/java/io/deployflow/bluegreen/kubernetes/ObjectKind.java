package io.deployflow.bluegreen.kubernetes;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The kinds of object deployflow reads and writes. Each is addressed through its API group, version and plural,
 * so the router objects of Gateway API and Istio need no typed model and no discovery call (and so no extra RBAC).
 */
enum ObjectKind {
    SERVICE("", "v1", "Service", "services"),
    DEPLOYMENT("apps", "v1", "Deployment", "deployments"),
    INGRESS("networking.k8s.io", "v1", "Ingress", "ingresses"),
    HTTP_ROUTE("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"),
    VIRTUAL_SERVICE("networking.istio.io", "v1", "VirtualService", "virtualservices");

    private final ResourceDefinitionContext context;

    ObjectKind(String group, String version, String kind, String plural) {
        this.context = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                .withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    ResourceDefinitionContext context() {
        return context;
    }

    String kind() {
        return context.getKind();
    }
}
