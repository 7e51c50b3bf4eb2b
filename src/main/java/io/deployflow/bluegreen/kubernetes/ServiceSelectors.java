package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.core.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/** Which colour the active and the preview Service select, through the colour label in their selectors. */
final class ServiceSelectors {
    private final Cluster cluster;
    private final KubernetesRouterSettings settings;

    ServiceSelectors(Cluster cluster, KubernetesRouterSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    /** Both Services exist and select at most a known colour; else a {@link TopologyException}. */
    void check() {
        for (String field : List.of("activeService", "previewService")) {
            String name = field.equals("activeService") ? settings.activeService() : settings.previewService();
            GenericKubernetesResource service = cluster.get(ObjectKind.SERVICE, name);
            if (service == null) {
                throw new TopologyException(field, "Service '" + name + "' does not exist in namespace "
                        + settings.namespace() + (field.equals("previewService") ? "; create it with the active"
                        + " Service's ports and selector" : ""));
            }
            colourOf(field, service);
        }
    }

    /** The colour the active Service selects, or null when its selector has no colour (both colours). */
    Colour active() {
        return colourOf("activeService", read(settings.activeService()));
    }

    Colour preview() {
        return colourOf("previewService", read(settings.previewService()));
    }

    void selectActive(Colour colour) {
        select(settings.activeService(), colour, active());
    }

    void selectPreview(Colour colour) {
        select(settings.previewService(), colour, preview());
    }

    /** The active Service selects both colours' pods: the replica ratio becomes the traffic ratio. */
    void activeSelectsBoth() {
        Colour current = active();
        if (current == null) {
            return;
        }
        Progress.line("kubernetes: Service " + settings.activeService() + " now selects both colours");
        String path = "/spec/selector/" + Labels.pointer(Labels.COLOUR);
        // a JSON patch, not a merge patch with null: the test op makes sure the key still holds what we read
        cluster.jsonPatch(ObjectKind.SERVICE, settings.activeService(), List.of(
                Map.of("op", "test", "path", path, "value", current.label()),
                Map.of("op", "remove", "path", path)));
    }

    private void select(String service, Colour colour, Colour current) {
        if (colour == current) {
            return;
        }
        Progress.line("kubernetes: Service " + service + " now selects " + colour);
        cluster.mergePatch(ObjectKind.SERVICE, service, Map.of("spec", Map.of("selector",
                Map.of(Labels.COLOUR, colour.label()))));
    }

    private GenericKubernetesResource read(String service) {
        GenericKubernetesResource found = cluster.get(ObjectKind.SERVICE, service);
        if (found == null) {
            throw new TopologyException(service.equals(settings.activeService()) ? "activeService"
                    : "previewService", "Service '" + service + "' does not exist in namespace "
                    + settings.namespace());
        }
        return found;
    }

    private static Colour colourOf(String field, GenericKubernetesResource service) {
        Map<String, Object> selector = service.get("spec", "selector");
        Object colour = selector == null ? null : selector.get(Labels.COLOUR);
        if (colour == null) {
            return null;
        }
        try {
            return Colour.of(colour.toString());
        } catch (IllegalArgumentException e) {
            throw new TopologyException(field, "Service '" + service.getMetadata().getName() + "' selects "
                    + Labels.COLOUR + "=" + colour + "; deployflow knows only blue and green");
        }
    }
}
