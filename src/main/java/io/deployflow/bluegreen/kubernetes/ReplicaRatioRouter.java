package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.core.Progress;

import java.util.EnumMap;
import java.util.Map;

/**
 * No mesh and no ingress controller: during a shift the active Service selects the pods of both colours, so each
 * colour gets traffic in proportion to its ready pods. A weight therefore becomes replica counts: the colour with
 * the larger share runs the full count, the other as many as come closest to the requested share (at least one).
 * The result is approximate by nature (3 replicas cannot make 10 %: one new pod beside three old ones is 25 %), and
 * is reported as it really is. At 100 % the selector names the colour again, so the other one can stay up at
 * {@code scaleDownReplicas} without traffic.
 *
 * <p>The full count is the larger of the two colours' replicas: deploy starts the new colour at full size (so its
 * readiness is proven at full size), the old one runs at full size, and a shift never lowers the larger colour.
 */
final class ReplicaRatioRouter implements TrafficRouter {
    private final ServiceSelectors services;
    private final ColourDeployments deployments;
    private final KubernetesRouterSettings settings;

    ReplicaRatioRouter(ServiceSelectors services, ColourDeployments deployments, KubernetesRouterSettings settings) {
        this.services = services;
        this.deployments = deployments;
        this.settings = settings;
    }

    @Override
    public void check() {
        services.check();
    }

    @Override
    public Map<Colour, Integer> weights() {
        Map<Colour, Integer> out = new EnumMap<>(Colour.class);
        Colour active = services.active();
        if (active != null) {
            out.put(active, 100);
            return out;
        }
        int blue = deployments.replicas(Colour.BLUE);
        int green = deployments.replicas(Colour.GREEN);
        if (blue + green > 0) {
            int blueShare = Math.round(blue * 100f / (blue + green));
            if (blueShare > 0) {
                out.put(Colour.BLUE, blueShare);
            }
            if (blueShare < 100) {
                out.put(Colour.GREEN, 100 - blueShare);
            }
        }
        return out;
    }

    @Override
    public void route(Colour colour, int percent) {
        int total = Math.max(1, Math.max(deployments.replicas(Colour.BLUE), deployments.replicas(Colour.GREEN)));
        if (percent == 0) {
            route(colour.other(), 100);
            return;
        }
        if (percent == 100) {
            // full size before it takes everything (after a shift past 50 % the other colour was the smaller)
            if (deployments.replicas(colour) < total) {
                deployments.scale(colour, total);
            }
            services.selectActive(colour);
            return;
        }
        Colour larger = percent >= 50 ? colour : colour.other();
        Colour smaller = larger.other();
        int smallShare = Math.min(percent, 100 - percent);
        int small = Math.min(total, Math.max(1, Math.round(total * smallShare / (float) (100 - smallShare))));
        // capacity first: the larger colour is at full size before the smaller one shrinks or traffic spreads
        if (deployments.replicas(larger) != total) {
            deployments.scale(larger, total);
        }
        if (deployments.replicas(smaller) != small) {
            deployments.scale(smaller, small);
        }
        services.activeSelectsBoth();
        Progress.line("kubernetes: " + percent + " % on " + colour + " asked; by replicas " + smaller + " gets "
                + Math.round(small * 100f / (total + small)) + " % (" + small + " pod(s) beside " + total + ")");
    }

    @Override
    public void pointPreviewAt(Colour colour) {
        services.selectPreview(colour);
    }

    @Override
    public String describe() {
        return "Service " + settings.activeService() + " over both colours by replicas";
    }
}
