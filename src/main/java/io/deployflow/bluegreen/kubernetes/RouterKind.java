package io.deployflow.bluegreen.kubernetes;

/**
 * How traffic moves between the colours on Kubernetes, one router type each. Every kind switches all-or-nothing
 * through the active Service's selector when a colour takes 100 %; the weighted kinds also split traffic between.
 */
public enum RouterKind {
    /** Classic blue/green: the active Service's selector names one colour; no steps between 0 and 100. */
    SERVICE("kubernetes-service", false, "all-or-nothing switch of the active Service's selector"),
    /** Gateway API HTTPRoute: backendRefs weights between the active and the preview Service. */
    GATEWAY_API("kubernetes-gateway-api", true, "HTTPRoute backendRefs weights between the active and the"
            + " preview Service"),
    /** ingress-nginx: a second Ingress marked canary, with canary-weight, sending to the preview Service. */
    INGRESS_NGINX("kubernetes-ingress-nginx", true, "ingress-nginx canary Ingress with canary-weight to the"
            + " preview Service"),
    /** Istio VirtualService: route destination weights between the active and the preview Service. */
    ISTIO("kubernetes-istio", true, "Istio VirtualService destination weights between the active and the"
            + " preview Service"),
    /** No mesh or ingress: the active Service selects both colours and the weight is their replica ratio. */
    REPLICAS("kubernetes-replicas", true, "replica ratio behind the active Service (approximate weights)");

    private final String configName;
    private final boolean weighted;
    private final String note;

    RouterKind(String configName, boolean weighted, String note) {
        this.configName = configName;
        this.weighted = weighted;
        this.note = note;
    }

    /** The {@code router.type} in deployflow.yaml. */
    public String configName() {
        return configName;
    }

    /** Whether steps between 0 and 100 % are possible. */
    public boolean weighted() {
        return weighted;
    }

    public String note() {
        return note;
    }
}
