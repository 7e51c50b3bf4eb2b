package io.deployflow.bluegreen.kubernetes;

import io.deployflow.core.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio: every http route of the VirtualService that sends to the active Service also has the preview Service as
 * a destination, and deployflow sets the two weights (which Istio wants to add up to 100). Needs Istio 1.22 or
 * later (the networking.istio.io/v1 API) with sidecars or ambient waypoints in front of the Services.
 */
final class VirtualServiceWeights implements BackendWeights {
    private final Cluster cluster;
    private final KubernetesRouterSettings settings;

    VirtualServiceWeights(Cluster cluster, KubernetesRouterSettings settings) {
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
            weight(ops, pair.http(), pair.active(), pair.activeHost(), 100 - percent);
            weight(ops, pair.http(), pair.preview(), pair.previewHost(), percent);
        }
        Progress.line("kubernetes: " + describe() + " → " + settings.previewService() + " " + percent + "%, "
                + settings.activeService() + " " + (100 - percent) + "%");
        cluster.jsonPatch(ObjectKind.VIRTUAL_SERVICE, settings.routerObject(), ops);
    }

    @Override
    public String describe() {
        return "VirtualService " + settings.routerObject();
    }

    private static void weight(List<Map<String, Object>> ops, int http, int route, String host, int weight) {
        String at = "/spec/http/" + http + "/route/" + route;
        ops.add(Map.of("op", "test", "path", at + "/destination/host", "value", host));
        ops.add(Map.of("op", "add", "path", at + "/weight", "value", weight));
    }

    private GenericKubernetesResource read() {
        GenericKubernetesResource service = cluster.get(ObjectKind.VIRTUAL_SERVICE, settings.routerObject());
        if (service == null) {
            throw new TopologyException(settings.routerObjectField(), describe() + " does not exist in namespace "
                    + settings.namespace() + " (or Istio's CRDs are not installed)");
        }
        return service;
    }

    private List<Pair> pairs(GenericKubernetesResource service) {
        List<Map<String, Object>> https = service.get("spec", "http");
        List<Pair> out = new ArrayList<>();
        for (int h = 0; https != null && h < https.size(); h++) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> routes = (List<Map<String, Object>>) https.get(h).get("route");
            int active = indexOf(routes, settings.activeService());
            int preview = indexOf(routes, settings.previewService());
            if (active < 0 && preview < 0) {
                continue;
            }
            if (active < 0 || preview < 0) {
                throw new TopologyException(settings.routerObjectField(),
                        describe() + " http[" + h + "] sends to only one of "
                        + settings.activeService() + " and " + settings.previewService() + "; give it both"
                        + " destinations (the preview one with weight: 0)");
            }
            out.add(new Pair(h, active, preview, host(routes.get(active)), host(routes.get(preview)),
                    weightOf(routes.get(active), routes.size()), weightOf(routes.get(preview), routes.size())));
        }
        if (out.isEmpty()) {
            throw new TopologyException(settings.routerObjectField(), describe() + " has no http route to Service "
                    + settings.activeService());
        }
        return out;
    }

    /** Istio accepts a short name, name.namespace, or the full cluster-local name as the host. */
    private int indexOf(List<Map<String, Object>> routes, String service) {
        String ns = settings.namespace();
        Set<String> names = Set.of(service, service + "." + ns, service + "." + ns + ".svc",
                service + "." + ns + ".svc.cluster.local");
        for (int i = 0; routes != null && i < routes.size(); i++) {
            if (names.contains(host(routes.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private static String host(Map<String, Object> route) {
        Object destination = route.get("destination");
        return destination instanceof Map<?, ?> d ? String.valueOf(((Map<String, Object>) d).get("host")) : "";
    }

    /** Without a weight, a lone destination takes everything and several take nothing explicit. */
    private static int weightOf(Map<String, Object> route, int destinations) {
        Object weight = route.get("weight");
        if (weight instanceof Number n) {
            return n.intValue();
        }
        return destinations == 1 ? 100 : 0;
    }

    private record Pair(int http, int active, int preview, String activeHost, String previewHost, int activeWeight,
                        int previewWeight) {
    }
}
