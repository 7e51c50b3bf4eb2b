package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.RolloutTargetProvider;
import io.deployflow.bluegreen.RouterContext;

import java.util.List;

/** Builds Kubernetes targets of one router kind; one small subclass per {@code router.type}. */
public abstract class KubernetesTargetProvider implements RolloutTargetProvider {
    private final RouterKind kind;

    protected KubernetesTargetProvider(RouterKind kind) {
        this.kind = kind;
    }

    @Override
    public List<String> keys() {
        return KubernetesRouterSettings.keys(kind);
    }

    @Override
    public void validate(RouterContext context) {
        KubernetesRouterSettings.from(kind, context);
    }

    @Override
    public RolloutTarget open(RouterContext context) {
        KubernetesRouterSettings settings = KubernetesRouterSettings.from(kind, context);
        return new KubernetesTarget(settings, () -> KubernetesClients.create(settings, context.environment()));
    }

    /** {@code kubernetes-service}: the active Service's selector switches all traffic at once. */
    public static final class Service extends KubernetesTargetProvider {
        public Service() {
            super(RouterKind.SERVICE);
        }
    }

    /** {@code kubernetes-gateway-api}: HTTPRoute backendRefs weights. */
    public static final class GatewayApi extends KubernetesTargetProvider {
        public GatewayApi() {
            super(RouterKind.GATEWAY_API);
        }
    }

    /** {@code kubernetes-ingress-nginx}: a canary Ingress with canary-weight. */
    public static final class IngressNginx extends KubernetesTargetProvider {
        public IngressNginx() {
            super(RouterKind.INGRESS_NGINX);
        }
    }

    /** {@code kubernetes-istio}: VirtualService destination weights. */
    public static final class Istio extends KubernetesTargetProvider {
        public Istio() {
            super(RouterKind.ISTIO);
        }
    }

    /** {@code kubernetes-replicas}: no mesh; the replica ratio behind the active Service. */
    public static final class Replicas extends KubernetesTargetProvider {
        public Replicas() {
            super(RouterKind.REPLICAS);
        }
    }
}
