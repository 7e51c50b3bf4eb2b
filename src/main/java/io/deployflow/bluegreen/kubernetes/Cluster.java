package io.deployflow.bluegreen.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.deployflow.core.Json;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every call deployflow makes to the Kubernetes API, in one namespace. Only four verbs are used (get, create,
 * patch, and nothing else: no update, no delete, no list), which is what the Role in the README grants.
 *
 * <p>Writes are patches, never strategic-merge (not every API server object supports it, and fabric8's mock
 * refuses it): a JSON-merge patch where a value in a map changes (annotations, selectors, replicas), and a JSON
 * patch with {@code test} operations where an element of a list changes (a weight, an image) or a key goes away.
 * A merge patch would have to send the whole list, and so overwrite any edit made to the rest of it meanwhile.
 */
final class Cluster {
    private final KubernetesClient client;
    private final String namespace;

    Cluster(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /** The object as a map-backed resource, or null when it does not exist. */
    GenericKubernetesResource get(ObjectKind kind, String name) {
        return call("get " + kind.kind() + " " + name, () -> resource(kind, name).get());
    }

    GenericKubernetesResource create(ObjectKind kind, GenericKubernetesResource object) {
        String name = object.getMetadata().getName();
        Progress.line("kubernetes: create " + kind.kind() + " " + namespace + "/" + name);
        return call("create " + kind.kind() + " " + name,
                () -> client.genericKubernetesResources(kind.context()).inNamespace(namespace).resource(object)
                        .create());
    }

    /** An RFC 7386 merge patch; a {@code metadata.resourceVersion} in it makes the write conditional. */
    GenericKubernetesResource mergePatch(ObjectKind kind, String name, Map<String, Object> patch) {
        return patch(kind, name, PatchType.JSON_MERGE, patch);
    }

    /** An RFC 6902 patch: its {@code test} operations make the write fail if the object changed meanwhile. */
    GenericKubernetesResource jsonPatch(ObjectKind kind, String name, List<Map<String, Object>> operations) {
        return patch(kind, name, PatchType.JSON, operations);
    }

    <T> T as(Object object, Class<T> type) {
        return client.getKubernetesSerialization().convertValue(object, type);
    }

    private GenericKubernetesResource patch(ObjectKind kind, String name, PatchType type, Object body) {
        String text;
        try {
            text = Json.mapper().writer().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return call("patch " + kind.kind() + " " + name,
                () -> resource(kind, name).patch(PatchContext.of(type), text));
    }

    private Resource<GenericKubernetesResource> resource(ObjectKind kind, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name);
    }

    /**
     * Runs one API call (fabric8 has already retried 5xx and dropped connections by then). A conflict (409, or a
     * failed {@code test} operation: 422) is the caller's to handle; anything else means the API failed us.
     */
    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 422) {
                throw new ConflictException(what + " in namespace " + namespace + ": " + reason(e), e);
            }
            String hint = e.getCode() == 403 ? " (the Role in the README lists what deployflow needs)" : "";
            throw new OutsideSystemException("Kubernetes API " + client.getMasterUrl(),
                    what + " in namespace " + namespace + " failed: " + reason(e) + hint, e);
        }
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getCode() + " " + e.getStatus().getMessage();
        }
        // no answer at all (refused, reset, timed out): the innermost cause that says something
        String said = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String text = cause.getMessage();
            said = cause.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : ": " + text);
        }
        return (e.getCode() > 0 ? e.getCode() + " " : "") + said;
    }

    /** The object changed between our read and our write; re-read and decide again. */
    static final class ConflictException extends RuntimeException {
        ConflictException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
