package io.deployflow.bluegreen;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Router type name ({@code blueGreen.targets[].router.type}) to provider class. Class names, not instances, so a
 * CLI call loads only the router it uses (fabric8 is heavy; HAProxy users never pay for it).
 */
public final class RouterTypes {
    private static final Map<String, String> PROVIDERS = new LinkedHashMap<>();

    static {
        PROVIDERS.put("haproxy", "io.deployflow.bluegreen.haproxy.HaproxyTargetProvider");
        // Kubernetes routers (bluegreen.kubernetes) register here, one line per type.
        PROVIDERS.put("kubernetes-service", "io.deployflow.bluegreen.kubernetes.KubernetesTargetProvider$Service");
        PROVIDERS.put("kubernetes-gateway-api",
                "io.deployflow.bluegreen.kubernetes.KubernetesTargetProvider$GatewayApi");
        PROVIDERS.put("kubernetes-ingress-nginx",
                "io.deployflow.bluegreen.kubernetes.KubernetesTargetProvider$IngressNginx");
        PROVIDERS.put("kubernetes-istio", "io.deployflow.bluegreen.kubernetes.KubernetesTargetProvider$Istio");
        PROVIDERS.put("kubernetes-replicas", "io.deployflow.bluegreen.kubernetes.KubernetesTargetProvider$Replicas");
    }

    private RouterTypes() {
    }

    public static Map<String, String> all() {
        return Collections.unmodifiableMap(PROVIDERS);
    }

    /** The provider for a type, or null when the type is unknown (the caller reports the config line). */
    public static RolloutTargetProvider provider(String type) {
        String className = PROVIDERS.get(type);
        if (className == null) {
            return null;
        }
        try {
            return (RolloutTargetProvider) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("router provider missing from the jar: " + className, e);
        }
    }
}
