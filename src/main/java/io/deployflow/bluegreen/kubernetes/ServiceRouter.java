package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;

import java.util.EnumMap;
import java.util.Map;

/**
 * The active and the preview Service each select one colour, and an optional weighting object (HTTPRoute,
 * canary Ingress, VirtualService) splits traffic between the two Services. Without one this is classic
 * blue/green: the active Service's selector is the switch.
 *
 * <p>Whenever a colour takes all the traffic, the active Service ends up selecting it and the weights go back to
 * 100/0, so the preview Service is free for the next rollout. Every intermediate write keeps traffic on the
 * colours it was on or is moving to: the preview Service is re-pointed only while it carries nothing.
 */
final class ServiceRouter implements TrafficRouter {
    private final ServiceSelectors services;
    private final BackendWeights weights;
    private final KubernetesRouterSettings settings;

    /** @param weights null for the all-or-nothing router */
    ServiceRouter(ServiceSelectors services, BackendWeights weights, KubernetesRouterSettings settings) {
        this.services = services;
        this.weights = weights;
        this.settings = settings;
    }

    @Override
    public void check() {
        services.check();
        if (weights != null) {
            weights.check();
        }
        if (services.active() == null) {
            throw new TopologyException("activeService", "Service '" + settings.activeService() + "' selects no"
                    + " colour: add " + Labels.COLOUR + ": blue to its selector (and to the pods and selector of"
                    + " Deployment " + settings.deployment() + "-blue)");
        }
    }

    @Override
    public Map<Colour, Integer> weights() {
        Colour active = services.active();
        Colour preview = services.preview();
        int previewShare = weights == null ? 0 : weights.preview();
        Map<Colour, Integer> out = new EnumMap<>(Colour.class);
        add(out, active, 100 - previewShare);
        add(out, preview, previewShare);
        return out;
    }

    @Override
    public void route(Colour colour, int percent) {
        if (percent == 0) {
            route(colour.other(), 100);
        } else if (percent == 100) {
            routeAll(colour);
        } else if (weights == null) {
            throw new IllegalArgumentException("router type " + settings.kind().configName() + " switches all"
                    + " traffic at once; " + percent + " % needs a weighted router");
        } else if (colour == services.active()) {
            // the colour to get the larger part is live: the other one goes on the preview Service
            ensurePreview(colour.other());
            weights.setPreview(100 - percent);
        } else {
            ensurePreview(colour);
            weights.setPreview(percent);
        }
    }

    @Override
    public void pointPreviewAt(Colour colour) {
        ensurePreview(colour);
    }

    @Override
    public String describe() {
        return weights == null ? "Service " + settings.activeService() + " selector" : weights.describe();
    }

    private void routeAll(Colour colour) {
        if (colour != services.active()) {
            if (weights != null) {
                // all traffic onto the preview Service first, so flipping the active selector moves nothing
                ensurePreview(colour);
                weights.setPreview(100);
            }
            services.selectActive(colour);
        }
        if (weights != null && weights.preview() != 0) {
            weights.setPreview(0);
        }
    }

    /** Re-points the preview Service only when that moves no live traffic to another colour. */
    private void ensurePreview(Colour colour) {
        Colour current = services.preview();
        if (colour == current) {
            return;
        }
        int share = weights == null ? 0 : weights.preview();
        if (share > 0 && current != null) {
            throw new IllegalStateException("the preview Service " + settings.previewService() + " carries "
                    + share + " % of the traffic, to " + current + "; it cannot be pointed at " + colour
                    + " before that traffic moves");
        }
        services.selectPreview(colour);
    }

    private static void add(Map<Colour, Integer> out, Colour colour, int share) {
        if (colour != null && share > 0) {
            out.merge(colour, share, Integer::sum);
        }
    }
}
