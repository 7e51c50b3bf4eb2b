package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.RouterContext;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code router} section of a Kubernetes blue/green target in deployflow.yaml, checked without any call to the
 * cluster. {@code activeService}, {@code previewService}, {@code replicas} and {@code scaleDownReplicas} are the
 * target's own settings (the phase engine passes replicas in); this is what only Kubernetes needs:
 *
 * <pre>
 * router:
 *   type: kubernetes-gateway-api   # or kubernetes-service, kubernetes-ingress-nginx, kubernetes-istio,
 *                                  #    kubernetes-replicas
 *   namespace: hms                 # default: default
 *   deployment: hms-frontend       # the colours are the Deployments hms-frontend-blue and hms-frontend-green
 *   context: prod                  # kubeconfig context; default: the current one (or in-cluster)
 *   httpRoute: hms-frontend        # gateway-api: the HTTPRoute with both Services in its backendRefs
 *   activeUrl: https://hms.example.org      # where production is reached; default: the Service's cluster DNS name
 *   previewUrl: http://hms-frontend-preview.hms.svc:8080
 * </pre>
 *
 * @param routerObject  the HTTPRoute, Ingress or VirtualService holding the weights; null for service/replicas
 * @param canaryIngress the second Ingress deployflow keeps for ingress-nginx; null for other kinds
 */
public record KubernetesRouterSettings(RouterKind kind, String context, String namespace, String deployment,
                                       String activeService, String previewService, String routerObject,
                                       String canaryIngress, String activeUrl, String previewUrl) {
    static final List<String> COMMON_KEYS = List.of("namespace", "deployment", "context", "activeUrl",
            "previewUrl");
    /** Object names (RFC 1123 subdomain, as Deployments, Ingresses and routes need). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
            + "[a-z0-9])?)*");
    /** Namespaces and Service names are RFC 1123 labels: no dots, at most 63 characters. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final String NAME_RULE = "a Kubernetes name: lower-case letters, digits, '-' (and '.')";

    /** The keys of the router section for this kind, besides {@code type}. */
    static List<String> keys(RouterKind kind) {
        List<String> keys = new ArrayList<>(COMMON_KEYS);
        switch (kind) {
            case GATEWAY_API -> keys.add("httpRoute");
            case INGRESS_NGINX -> keys.addAll(List.of("ingress", "canaryIngress"));
            case ISTIO -> keys.add("virtualService");
            case SERVICE, REPLICAS -> {
            }
        }
        return List.copyOf(keys);
    }

    /** Reads and checks the section; every error names file, line and field. */
    public static KubernetesRouterSettings from(RouterKind kind, RouterContext context) {
        YamlNode router = context.router();
        String namespace = router.matching("namespace", "default", LABEL, "a Kubernetes namespace: lower-case"
                + " letters, digits and '-', at most 63 characters");
        String deployment = router.matching("deployment", null, NAME, NAME_RULE);
        if (deployment == null) {
            router.require("deployment");
        }
        // the Deployment name plus "-green" also becomes a label value, which has at most 63 characters
        if (deployment.length() > 57) {
            throw router.get("deployment").error("at most 57 characters, so '" + deployment + "-green' stays a"
                    + " valid name");
        }
        String active = context.activeService();
        if (!LABEL.matcher(active).matches()) {
            throw targetField(router, "activeService", "'" + active + "' is not a Kubernetes Service name");
        }
        String preview = context.previewService();
        if (preview == null) {
            throw targetField(router, "previewService", "missing: router type " + kind.configName() + " needs a"
                    + " preview Service that reaches the new colour alone (for the smoke routes and the weights)");
        }
        if (!LABEL.matcher(preview).matches()) {
            throw targetField(router, "previewService", "'" + preview + "' is not a Kubernetes Service name");
        }
        if (preview.equals(active)) {
            throw targetField(router, "previewService", "must differ from activeService '" + active + "'");
        }
        String object = switch (kind) {
            case GATEWAY_API -> required(router, "httpRoute");
            case INGRESS_NGINX -> required(router, "ingress");
            case ISTIO -> required(router, "virtualService");
            case SERVICE, REPLICAS -> null;
        };
        String canary = null;
        if (kind == RouterKind.INGRESS_NGINX) {
            canary = router.matching("canaryIngress", object + "-canary", NAME, NAME_RULE);
            if (canary.equals(object)) {
                throw router.get("canaryIngress").error("must differ from ingress '" + object + "'");
            }
        }
        return new KubernetesRouterSettings(kind, router.string("context", null), namespace, deployment, active,
                preview, object, canary, router.matching("activeUrl", null, URL, "an http(s) URL"),
                router.matching("previewUrl", null, URL, "an http(s) URL"));
    }

    /** The Deployment that runs {@code colour}. */
    public String deploymentOf(Colour colour) {
        return deployment + "-" + colour.label();
    }

    /** The key of the router object in the section, for topology problems: {@code router.httpRoute}. */
    String routerObjectField() {
        return switch (kind) {
            case GATEWAY_API -> "router.httpRoute";
            case INGRESS_NGINX -> "router.ingress";
            case ISTIO -> "router.virtualService";
            case SERVICE, REPLICAS -> "router.type";
        };
    }

    private static String required(YamlNode router, String key) {
        String value = router.matching(key, null, NAME, NAME_RULE);
        if (value == null) {
            router.require(key);
        }
        return value;
    }

    /** A target-level key (beside {@code router}); the router node's line is the nearest one we have. */
    private static BadInputException targetField(YamlNode router, String key, String message) {
        String path = router.path();
        String field = (path.endsWith(".router") ? path.substring(0, path.length() - ".router".length()) + "."
                : path.equals("router") ? "" : path + ".") + key;
        return new BadInputException(router.file(), router.line(), field, message);
    }
}
