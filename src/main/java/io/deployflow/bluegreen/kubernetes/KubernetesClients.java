package io.deployflow.bluegreen.kubernetes;

import io.deployflow.core.OutsideSystemException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.File;
import java.util.Map;

/**
 * Makes the one client a CLI call uses. Credentials come the way kubectl finds them: the kubeconfig named by
 * {@code KUBECONFIG} (Jenkins binds a kubeconfig credential there with withCredentials), else ~/.kube/config,
 * else the pod's service account when the agent runs in the cluster.
 */
final class KubernetesClients {
    /** fabric8 retries 5xx answers and dropped connections itself; 3 retries from 250 ms is about 2 s in all. */
    static final int RETRIES = 3;
    static final int RETRY_INTERVAL_MILLIS = 250;

    private KubernetesClients() {
    }

    static KubernetesClient create(KubernetesRouterSettings settings, Map<String, String> environment) {
        String kubeconfig = environment.get("KUBECONFIG");
        Config config;
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            // the first file of a KUBECONFIG list, as kubectl takes the current context from it
            File file = new File(kubeconfig.split(File.pathSeparator)[0]);
            if (!file.isFile()) {
                throw new OutsideSystemException("KUBECONFIG", "no kubeconfig file at " + file);
            }
            config = Config.fromKubeconfig(settings.context(), file);
        } else {
            config = Config.autoConfigure(settings.context());
        }
        config.setRequestRetryBackoffLimit(RETRIES);
        config.setRequestRetryBackoffInterval(RETRY_INTERVAL_MILLIS);
        config.setNamespace(settings.namespace());
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
