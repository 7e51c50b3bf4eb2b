package io.deployflow.bluegreen.kubernetes;

import io.deployflow.core.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gateway API: every rule of the HTTPRoute that sends to the active Service also lists the preview Service in its
 * backendRefs, and deployflow sets the two weights. Needs the Gateway API CRDs (v1) and a Gateway controller that
 * implements weighted backendRefs (Envoy Gateway, Istio, Contour, NGINX Gateway Fabric, GKE, ...).
 */
final class HttpRouteWeights implements BackendWeights {
    private final Cluster cluster;
    private final KubernetesRouterSettings settings;

    HttpRouteWeights(Cluster cluster, KubernetesRouterSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    @Override
    public void check() {
        pairs(read());
    }

    @Override
    public int preview() {
        Pair first = pairs(read()).get(0);
        int total = first.activeWeight() + first.previewWeight();
        return total == 0 ? 0 : Math.round(first.previewWeight() * 100f / total);
    }

    @Override
    public void setPreview(int percent) {
        List<Map<String, Object>> ops = new ArrayList<>();
        for (Pair pair : pairs(read())) {
            weight(ops, pair.rule(), pair.active(), settings.activeService(), 100 - percent);
            weight(ops, pair.rule(), pair.preview(), settings.previewService(), percent);
        }
        Progress.line("kubernetes: " + describe() + " → " + settings.previewService() + " " + percent + "%, "
                + settings.activeService() + " " + (100 - percent) + "%");
        cluster.jsonPatch(ObjectKind.HTTP_ROUTE, settings.routerObject(), ops);
    }

    @Override
    public String describe() {
        return "HTTPRoute " + settings.routerObject();
    }

    private static void weight(List<Map<String, Object>> ops, int rule, int ref, String service, int weight) {
        String at = "/spec/rules/" + rule + "/backendRefs/" + ref;
        ops.add(Map.of("op", "test", "path", at + "/name", "value", service));
        // "add" sets a member whether or not it is there (the weight is optional and defaults to 1)
        ops.add(Map.of("op", "add", "path", at + "/weight", "value", weight));
    }

    private GenericKubernetesResource read() {
        GenericKubernetesResource route = cluster.get(ObjectKind.HTTP_ROUTE, settings.routerObject());
        if (route == null) {
            throw new TopologyException(settings.routerObjectField(), describe() + " does not exist in namespace "
                    + settings.namespace() + " (or the Gateway API CRDs are not installed)");
        }
        return route;
    }

    /** Each rule that reaches the active Service, with the positions of both Services in its backendRefs. */
    private List<Pair> pairs(GenericKubernetesResource route) {
        List<Map<String, Object>> rules = route.get("spec", "rules");
        List<Pair> out = new ArrayList<>();
        for (int r = 0; rules != null && r < rules.size(); r++) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> refs = (List<Map<String, Object>>) rules.get(r).get("backendRefs");
            int active = indexOf(refs, settings.activeService());
            int preview = indexOf(refs, settings.previewService());
            if (active < 0 && preview < 0) {
                continue;
            }
            if (active < 0 || preview < 0) {
                throw new TopologyException(settings.routerObjectField(),
                        describe() + " rule " + r + " sends to only one of "
                        + settings.activeService() + " and " + settings.previewService() + "; list both in its"
                        + " backendRefs (the preview one with weight: 0)");
            }
            out.add(new Pair(r, active, preview, weightOf(refs.get(active)), weightOf(refs.get(preview))));
        }
        if (out.isEmpty()) {
            throw new TopologyException(settings.routerObjectField(), describe() + " has no rule that sends to Service "
                    + settings.activeService());
        }
        return out;
    }

    private static int indexOf(List<Map<String, Object>> refs, String service) {
        for (int i = 0; refs != null && i < refs.size(); i++) {
            Map<String, Object> ref = refs.get(i);
            Object kind = ref.getOrDefault("kind", "Service");
            Object group = ref.getOrDefault("group", "");
            if (service.equals(ref.get("name")) && "Service".equals(kind) && "".equals(group)) {
                return i;
            }
        }
        return -1;
    }

    private static int weightOf(Map<String, Object> ref) {
        Object weight = ref.get("weight");
        return weight instanceof Number n ? n.intValue() : 1;
    }

    private record Pair(int rule, int active, int preview, int activeWeight, int previewWeight) {
    }
}
