package io.deployflow.bluegreen.kubernetes;

import io.deployflow.core.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ingress-nginx canary: the team's Ingress keeps sending to the active Service; deployflow keeps a second Ingress
 * for the same hosts and paths, sending to the preview Service, marked {@code nginx.ingress.kubernetes.io/canary}
 * with {@code canary-weight}. It creates that Ingress from the main one the first time a weight is set. Needs the
 * ingress-nginx controller (canary annotations exist since 0.22; any current release works).
 */
final class NginxCanaryWeights implements BackendWeights {
    static final String CANARY = "nginx.ingress.kubernetes.io/canary";
    static final String WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";
    static final String WEIGHT_TOTAL = "nginx.ingress.kubernetes.io/canary-weight-total";

    private final Cluster cluster;
    private final KubernetesRouterSettings settings;

    NginxCanaryWeights(Cluster cluster, KubernetesRouterSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    @Override
    public void check() {
        Ingress main = main();
        if (pathsTo(main, settings.activeService()).isEmpty()) {
            throw new TopologyException(settings.routerObjectField(),
                    "Ingress '" + settings.routerObject() + "' has no path that sends"
                    + " to Service " + settings.activeService());
        }
        Ingress canary = canary();
        if (canary != null && pathsTo(canary, settings.previewService()).isEmpty()) {
            throw new TopologyException("router.canaryIngress",
                    "Ingress '" + settings.canaryIngress() + "' exists but does not"
                    + " send to Service " + settings.previewService() + "; give deployflow a free name");
        }
    }

    @Override
    public int preview() {
        Ingress canary = canary();
        if (canary == null) {
            return 0;
        }
        Map<String, String> annotations = annotations(canary);
        if (!"true".equals(annotations.get(CANARY))) {
            return 0;
        }
        int weight = number(annotations.get(WEIGHT), 0);
        int total = number(annotations.get(WEIGHT_TOTAL), 100);
        return total <= 0 ? 0 : Math.round(weight * 100f / total);
    }

    @Override
    public void setPreview(int percent) {
        Progress.line("kubernetes: " + describe() + " → " + settings.previewService() + " " + percent + "%, "
                + settings.activeService() + " " + (100 - percent) + "%");
        Map<String, String> weights = Map.of(CANARY, "true", WEIGHT, Integer.toString(percent), WEIGHT_TOTAL, "100");
        if (canary() == null) {
            cluster.create(ObjectKind.INGRESS, canaryFrom(main(), weights));
            return;
        }
        cluster.mergePatch(ObjectKind.INGRESS, settings.canaryIngress(),
                Map.of("metadata", Map.of("annotations", weights)));
    }

    @Override
    public String describe() {
        return "canary Ingress " + settings.canaryIngress();
    }

    /** The main Ingress's hosts and paths that reach the active Service, sent to the preview Service instead. */
    private GenericKubernetesResource canaryFrom(Ingress main, Map<String, String> weights) {
        Ingress canary = cluster.as(cluster.as(main, GenericKubernetesResource.class), Ingress.class);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(settings.canaryIngress());
        meta.setNamespace(cluster.namespace());
        Map<String, String> annotations = new HashMap<>(weights);
        // older installations pick their controller by this annotation rather than spec.ingressClassName
        String ingressClass = annotations(main).get("kubernetes.io/ingress.class");
        if (ingressClass != null) {
            annotations.put("kubernetes.io/ingress.class", ingressClass);
        }
        meta.setAnnotations(annotations);
        meta.setLabels(Map.of("app.kubernetes.io/managed-by", "deployflow"));
        canary.setMetadata(meta);
        canary.setStatus(null);
        canary.getSpec().setDefaultBackend(null);
        List<IngressRule> rules = new ArrayList<>();
        for (IngressRule rule : main.getSpec().getRules()) {
            if (rule.getHttp() == null) {
                continue;
            }
            List<HTTPIngressPath> paths = rule.getHttp().getPaths().stream()
                    .filter(p -> isService(p, settings.activeService())).toList();
            if (!paths.isEmpty()) {
                paths.forEach(p -> p.getBackend().getService().setName(settings.previewService()));
                rule.getHttp().setPaths(paths);
                rules.add(rule);
            }
        }
        canary.getSpec().setRules(rules);
        return cluster.as(canary, GenericKubernetesResource.class);
    }

    private Ingress main() {
        GenericKubernetesResource found = cluster.get(ObjectKind.INGRESS, settings.routerObject());
        if (found == null) {
            throw new TopologyException(settings.routerObjectField(),
                    "Ingress '" + settings.routerObject() + "' does not exist in"
                    + " namespace " + settings.namespace());
        }
        return cluster.as(found, Ingress.class);
    }

    private Ingress canary() {
        GenericKubernetesResource found = cluster.get(ObjectKind.INGRESS, settings.canaryIngress());
        return found == null ? null : cluster.as(found, Ingress.class);
    }

    private static List<HTTPIngressPath> pathsTo(Ingress ingress, String service) {
        List<HTTPIngressPath> out = new ArrayList<>();
        if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
            return out;
        }
        for (IngressRule rule : ingress.getSpec().getRules()) {
            if (rule.getHttp() != null) {
                rule.getHttp().getPaths().stream().filter(p -> isService(p, service)).forEach(out::add);
            }
        }
        return out;
    }

    private static boolean isService(HTTPIngressPath path, String service) {
        return path.getBackend() != null && path.getBackend().getService() != null
                && service.equals(path.getBackend().getService().getName());
    }

    private static Map<String, String> annotations(Ingress ingress) {
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    private static int number(String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
