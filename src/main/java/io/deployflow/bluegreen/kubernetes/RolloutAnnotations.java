package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.LockHolder;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.RolloutStateJson;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rollout state and the rollout lock, kept as annotations on the active Service: the one object every
 * router type has, that outlives both colours. The lock is written only on the resourceVersion that was read
 * (the API server refuses the write with 409 if anyone wrote the Service since), so of two rollouts that read a
 * free lock at the same moment exactly one gets it; the other re-reads and finds the winner.
 */
final class RolloutAnnotations {
    private static final int LOCK_ATTEMPTS = 5;

    private final Cluster cluster;
    private final KubernetesRouterSettings settings;

    RolloutAnnotations(Cluster cluster, KubernetesRouterSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    Optional<RolloutState> readState() {
        return annotation(service(), Labels.ROLLOUT).map(json -> RolloutStateJson.readState(json,
                where(Labels.ROLLOUT)));
    }

    void writeState(RolloutState state) {
        cluster.mergePatch(ObjectKind.SERVICE, settings.activeService(), Map.of("metadata", Map.of("annotations",
                Map.of(Labels.ROLLOUT, RolloutStateJson.write(state)))));
    }

    Optional<LockHolder> readLock() {
        return annotation(service(), Labels.LOCK).map(json -> RolloutStateJson.readLock(json, where(Labels.LOCK)));
    }

    /** Empty when {@code candidate} holds the lock now; else the holder that keeps it. */
    Optional<LockHolder> acquire(LockHolder candidate) {
        for (int attempt = 1; attempt <= LOCK_ATTEMPTS; attempt++) {
            GenericKubernetesResource service = service();
            Optional<LockHolder> holder = annotation(service, Labels.LOCK)
                    .map(json -> RolloutStateJson.readLock(json, where(Labels.LOCK)));
            if (holder.isPresent()) {
                return holder.get().rolloutId().equals(candidate.rolloutId()) ? Optional.empty() : holder;
            }
            Map<String, Object> metadata = new HashMap<>();
            metadata.put("resourceVersion", service.getMetadata().getResourceVersion());
            metadata.put("annotations", Map.of(Labels.LOCK, RolloutStateJson.write(candidate)));
            try {
                cluster.mergePatch(ObjectKind.SERVICE, settings.activeService(), Map.of("metadata", metadata));
                Progress.line("kubernetes: lock on Service " + settings.activeService() + " taken for rollout "
                        + candidate.rolloutId());
                return Optional.empty();
            } catch (Cluster.ConflictException someoneWrote) {
                // re-read: either another rollout took the lock, or something else touched the Service
            }
        }
        throw new OutsideSystemException(where(Labels.LOCK), "the Service changed under every one of "
                + LOCK_ATTEMPTS + " attempts to take the lock");
    }

    /** Removes the lock if {@code rolloutId} holds it, guarded by a test of the exact value read. */
    void release(String rolloutId) {
        for (int attempt = 1; attempt <= LOCK_ATTEMPTS; attempt++) {
            Optional<String> json = annotation(service(), Labels.LOCK);
            if (json.isEmpty() || !RolloutStateJson.readLock(json.get(), where(Labels.LOCK)).rolloutId()
                    .equals(rolloutId)) {
                return;
            }
            String path = "/metadata/annotations/" + Labels.pointer(Labels.LOCK);
            try {
                cluster.jsonPatch(ObjectKind.SERVICE, settings.activeService(), List.of(
                        Map.of("op", "test", "path", path, "value", json.get()),
                        Map.of("op", "remove", "path", path)));
                Progress.line("kubernetes: lock on Service " + settings.activeService() + " released by rollout "
                        + rolloutId);
                return;
            } catch (Cluster.ConflictException changed) {
                // the lock changed between our read and our write: look again
            }
        }
        throw new OutsideSystemException(where(Labels.LOCK), "the lock changed under every one of "
                + LOCK_ATTEMPTS + " attempts to release it");
    }

    private GenericKubernetesResource service() {
        GenericKubernetesResource service = cluster.get(ObjectKind.SERVICE, settings.activeService());
        if (service == null) {
            throw new TopologyException("activeService", "Service '" + settings.activeService() + "' does not"
                    + " exist in namespace " + settings.namespace());
        }
        return service;
    }

    private static Optional<String> annotation(GenericKubernetesResource service, String key) {
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(key)).filter(v -> !v.isBlank());
    }

    private String where(String annotation) {
        return "annotation " + annotation + " on Service " + settings.namespace() + "/" + settings.activeService();
    }
}
