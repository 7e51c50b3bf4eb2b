package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.LockHolder;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.RouterCapabilities;
import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.bluegreen.TrafficSplit;
import io.deployflow.core.OutsideSystemException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A blue/green target on Kubernetes: two colour Deployments, an active and a preview Service, and one of the
 * traffic routers of {@link RouterKind}. State and lock live in annotations on the active Service, so every phase
 * can run in a new process on any agent. The client is made on the first call, never by the constructor.
 */
public final class KubernetesTarget implements RolloutTarget {
    /** Whole operations re-read and retry after a conflict: someone wrote one of our objects meanwhile. */
    private static final int CONFLICT_ATTEMPTS = 3;

    private final KubernetesRouterSettings settings;
    private final Supplier<KubernetesClient> clientFactory;
    private KubernetesClient client;
    private Cluster cluster;
    private ColourDeployments deployments;
    private TrafficRouter router;
    private RolloutAnnotations annotations;

    public KubernetesTarget(KubernetesRouterSettings settings, Supplier<KubernetesClient> clientFactory) {
        this.settings = settings;
        this.clientFactory = clientFactory;
    }

    @Override
    public String describe() {
        return "Kubernetes namespace " + settings.namespace() + ", Deployments " + settings.deploymentOf(Colour.BLUE)
                + "/" + settings.deploymentOf(Colour.GREEN) + ", Services " + settings.activeService() + " (active)"
                + " and " + settings.previewService() + " (preview), router " + settings.kind().configName()
                + (settings.routerObject() == null ? "" : " " + settings.routerObject());
    }

    @Override
    public RouterCapabilities capabilities() {
        // no request from the agent can tell which colour answered, so the probe reports the live routing
        return new RouterCapabilities(settings.kind().weighted(), false, settings.kind().note());
    }

    @Override
    public List<TopologyProblem> checkTopology() {
        open();
        List<TopologyProblem> problems = new ArrayList<>();
        for (Runnable check : List.<Runnable>of(deployments::check, router::check)) {
            try {
                check.run();
            } catch (TopologyException e) {
                problems.add(e.problem());
            }
        }
        return problems;
    }

    @Override
    public Optional<RolloutState> readState() {
        return guarded(() -> annotations.readState());
    }

    @Override
    public void writeState(RolloutState state) {
        guarded(() -> {
            annotations.writeState(state);
            return null;
        });
    }

    @Override
    public Optional<LockHolder> acquireLock(LockHolder candidate) {
        return guarded(() -> annotations.acquire(candidate));
    }

    @Override
    public void releaseLock(String rolloutId) {
        guarded(() -> {
            annotations.release(rolloutId);
            return null;
        });
    }

    @Override
    public Optional<LockHolder> readLock() {
        return guarded(() -> annotations.readLock());
    }

    @Override
    public void deployColour(Colour colour, Map<String, String> images, int replicas) {
        guarded(() -> {
            deployments.deploy(colour, images, replicas);
            router.pointPreviewAt(colour);
            return null;
        });
    }

    @Override
    public ColourReadiness readiness(Colour colour, Map<String, String> expectedImages) {
        return guarded(() -> deployments.readiness(colour, expectedImages));
    }

    @Override
    public void scaleColour(Colour colour, int replicas) {
        guarded(() -> {
            deployments.scale(colour, replicas);
            return null;
        });
    }

    @Override
    public TrafficSplit setTraffic(TrafficSplit split) {
        if (!settings.kind().weighted() && split.blue() != 0 && split.green() != 0) {
            throw new IllegalArgumentException("router type " + settings.kind().configName() + " switches all"
                    + " traffic at once and cannot split it " + split);
        }
        return guarded(() -> {
            if (split.blue() == 100) {
                router.route(Colour.BLUE, 100);
            } else {
                router.route(Colour.GREEN, split.green());
            }
            return readWeights();
        });
    }

    @Override
    public TrafficSplit readTraffic() {
        return guarded(this::readWeights);
    }

    @Override
    public URI previewUrl(Colour colour) {
        return settings.previewUrl() != null ? URI.create(settings.previewUrl())
                : guarded(() -> clusterUrl(settings.previewService()));
    }

    @Override
    public URI activeUrl() {
        return settings.activeUrl() != null ? URI.create(settings.activeUrl())
                : guarded(() -> clusterUrl(settings.activeService()));
    }

    /** The colours the live routing sends each request to, spread evenly by the weights read back. */
    @Override
    public List<Colour> probeActive(int requests) {
        TrafficSplit split = readTraffic();
        List<Colour> served = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            served.add(i % 100 < split.green() ? Colour.GREEN : Colour.BLUE);
        }
        return served;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private TrafficSplit readWeights() {
        Map<Colour, Integer> weights = router.weights();
        if (weights.isEmpty()) {
            throw new OutsideSystemException(where(), router.describe() + " sends traffic to neither colour");
        }
        int blue = weights.getOrDefault(Colour.BLUE, 0);
        return new TrafficSplit(blue, 100 - blue);
    }

    /** The Service's cluster-local address: reachable from agents that run inside the cluster. */
    private URI clusterUrl(String service) {
        GenericKubernetesResource found = cluster.get(ObjectKind.SERVICE, service);
        if (found == null) {
            throw new TopologyException("activeService", "Service '" + service + "' does not exist");
        }
        List<Map<String, Object>> ports = found.get("spec", "ports");
        Object port = ports == null || ports.isEmpty() ? 80 : ports.get(0).getOrDefault("port", 80);
        return URI.create("http://" + service + "." + settings.namespace() + ".svc.cluster.local:" + port + "/");
    }

    private void open() {
        if (client != null) {
            return;
        }
        client = clientFactory.get();
        cluster = new Cluster(client, settings.namespace());
        deployments = new ColourDeployments(cluster, settings);
        ServiceSelectors services = new ServiceSelectors(cluster, settings);
        annotations = new RolloutAnnotations(cluster, settings);
        router = switch (settings.kind()) {
            case SERVICE -> new ServiceRouter(services, null, settings);
            case GATEWAY_API -> new ServiceRouter(services, new HttpRouteWeights(cluster, settings), settings);
            case INGRESS_NGINX -> new ServiceRouter(services, new NginxCanaryWeights(cluster, settings), settings);
            case ISTIO -> new ServiceRouter(services, new VirtualServiceWeights(cluster, settings), settings);
            case REPLICAS -> new ReplicaRatioRouter(services, deployments, settings);
        };
    }

    /**
     * Runs one operation; a conflict (someone wrote the object between our read and our write) re-runs it from
     * the reads. What the cluster lacks or refuses after the topology check is the outside system failing.
     */
    private <T> T guarded(Supplier<T> operation) {
        open();
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (Cluster.ConflictException e) {
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw new OutsideSystemException(where(), e.getMessage() + " (changed under " + attempt
                            + " attempts)", e);
                }
            } catch (TopologyException | IllegalStateException e) {
                throw new OutsideSystemException(where(), e.getMessage(), e);
            }
        }
    }

    private String where() {
        return "Kubernetes namespace " + settings.namespace();
    }
}
