package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The two colour Deployments, {@code <deployment>-blue} and {@code <deployment>-green}. A colour that does not
 * exist yet is created from the other one's spec, so the team keeps one Deployment manifest and deployflow only
 * changes images, replicas and the colour label.
 */
final class ColourDeployments {
    private final Cluster cluster;
    private final KubernetesRouterSettings settings;

    ColourDeployments(Cluster cluster, KubernetesRouterSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    /** The colour's Deployment, or null. */
    Deployment read(Colour colour) {
        GenericKubernetesResource found = cluster.get(ObjectKind.DEPLOYMENT, settings.deploymentOf(colour));
        return found == null ? null : cluster.as(found, Deployment.class);
    }

    /** Desired replicas, 0 when the colour does not exist. */
    int replicas(Colour colour) {
        return replicas(read(colour));
    }

    /**
     * At least one colour exists, and each that exists carries its colour in its selector and pod labels (else a
     * Service selecting the colour would miss its pods, or pick up the other colour's).
     */
    void check() {
        boolean any = false;
        for (Colour colour : Colour.values()) {
            Deployment deployment = read(colour);
            if (deployment == null) {
                continue;
            }
            any = true;
            Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
            Map<String, String> pods = deployment.getSpec().getTemplate().getMetadata().getLabels();
            if (selector == null || !colour.label().equals(selector.get(Labels.COLOUR))
                    || pods == null || !colour.label().equals(pods.get(Labels.COLOUR))) {
                throw new TopologyException("router.deployment", "Deployment '" + settings.deploymentOf(colour)
                        + "' must carry " + Labels.COLOUR + ": " + colour + " in spec.selector.matchLabels and"
                        + " in its pod template's labels");
            }
        }
        if (!any) {
            throw new TopologyException("router.deployment", "neither Deployment '"
                    + settings.deploymentOf(Colour.BLUE) + "' nor '" + settings.deploymentOf(Colour.GREEN)
                    + "' exists in namespace " + settings.namespace() + "; create the live colour first");
        }
    }

    /**
     * Makes the colour run {@code images} with {@code replicas}: a JSON patch when its Deployment exists (each
     * image set at its container's position, guarded by a test of the container's name), else a new Deployment
     * copied from the other colour. Nothing is written when an image names no container.
     */
    void deploy(Colour colour, Map<String, String> images, int replicas) {
        Deployment existing = read(colour);
        Deployment template = existing != null ? existing : read(colour.other());
        if (template == null) {
            throw new OutsideSystemException("Kubernetes namespace " + settings.namespace(), "neither "
                    + settings.deploymentOf(colour) + " nor " + settings.deploymentOf(colour.other()) + " exists");
        }
        Map<String, String> byContainer = resolveImages(template, images);
        String name = settings.deploymentOf(colour);
        if (existing == null) {
            Progress.line("kubernetes: create " + name + " from " + template.getMetadata().getName() + " with "
                    + byContainer + ", " + replicas + " replica(s)");
            cluster.create(ObjectKind.DEPLOYMENT, copyFor(colour, template, byContainer, replicas));
            return;
        }
        List<Map<String, Object>> ops = new ArrayList<>();
        List<Container> containers = existing.getSpec().getTemplate().getSpec().getContainers();
        for (int i = 0; i < containers.size(); i++) {
            String image = byContainer.get(containers.get(i).getName());
            if (image != null && !image.equals(containers.get(i).getImage())) {
                String at = "/spec/template/spec/containers/" + i;
                ops.add(Map.of("op", "test", "path", at + "/name", "value", containers.get(i).getName()));
                ops.add(Map.of("op", "replace", "path", at + "/image", "value", image));
            }
        }
        if (!Objects.equals(existing.getSpec().getReplicas(), replicas)) {
            ops.add(Map.of("op", "add", "path", "/spec/replicas", "value", replicas));
        }
        if (ops.isEmpty()) {
            Progress.line("kubernetes: " + name + " already runs " + byContainer + " with " + replicas
                    + " replica(s)");
            return;
        }
        Progress.line("kubernetes: " + name + " → " + byContainer + ", " + replicas + " replica(s)");
        cluster.jsonPatch(ObjectKind.DEPLOYMENT, name, ops);
    }

    void scale(Colour colour, int replicas) {
        Deployment deployment = read(colour);
        if (deployment == null && replicas == 0) {
            return;
        }
        if (deployment != null && Objects.equals(deployment.getSpec().getReplicas(), replicas)) {
            return;
        }
        Progress.line("kubernetes: scale " + settings.deploymentOf(colour) + " to " + replicas);
        cluster.mergePatch(ObjectKind.DEPLOYMENT, settings.deploymentOf(colour),
                Map.of("spec", Map.of("replicas", replicas)));
    }

    /**
     * Ready replicas count only when the controller has observed the current generation, the pod template runs
     * every expected image, and no replica of an older template is left; then they are the replicas that are
     * updated, ready and available at once.
     */
    ColourReadiness readiness(Colour colour, Map<String, String> expected) {
        Deployment deployment = read(colour);
        String name = settings.deploymentOf(colour);
        if (deployment == null) {
            return new ColourReadiness(colour, 0, 0, Map.of(), List.of(name + " does not exist"));
        }
        int desired = replicas(deployment);
        DeploymentStatus status = Objects.requireNonNullElse(deployment.getStatus(), new DeploymentStatus());
        Map<String, String> running = images(deployment);
        List<String> problems = new ArrayList<>();
        expected.forEach((container, image) -> {
            String actual = RolloutTarget.ANY_SERVICE.equals(container) && running.size() == 1
                    ? running.values().iterator().next() : running.get(container);
            if (!image.equals(actual)) {
                problems.add(container + ": runs " + actual + ", expected " + image);
            }
        });
        boolean imagesMatch = problems.isEmpty();
        long generation = Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
        long observed = Objects.requireNonNullElse(status.getObservedGeneration(), 0L);
        if (observed < generation) {
            problems.add(name + ": the controller has not seen generation " + generation + " yet (observed "
                    + observed + ")");
        }
        int updated = count(status.getUpdatedReplicas());
        int ready = count(status.getReadyReplicas());
        int available = count(status.getAvailableReplicas());
        int total = count(status.getReplicas());
        if (total > updated) {
            problems.add(name + ": " + (total - updated) + " replica(s) of the previous template still running");
        }
        int good = Math.min(updated, Math.min(ready, available));
        if (desired > 0 && good < desired) {
            problems.add(name + ": " + good + "/" + desired + " replicas updated, ready and available (updated "
                    + updated + ", ready " + ready + ", available " + available + ")");
        }
        int readyWithImages = imagesMatch && observed >= generation ? Math.min(good, desired) : 0;
        return new ColourReadiness(colour, desired, readyWithImages, running, problems);
    }

    /** The images the Deployment's pod template runs, by container name. */
    static Map<String, String> images(Deployment deployment) {
        Map<String, String> out = new LinkedHashMap<>();
        deployment.getSpec().getTemplate().getSpec().getContainers().forEach(c -> out.put(c.getName(), c.getImage()));
        return out;
    }

    /** Images by container name; {@code *} means the only container, and is refused when there are several. */
    private Map<String, String> resolveImages(Deployment template, Map<String, String> images) {
        List<String> names = template.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(Container::getName).toList();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> image : images.entrySet()) {
            String name = image.getKey();
            if (RolloutTarget.ANY_SERVICE.equals(name)) {
                if (names.size() != 1) {
                    throw new OutsideSystemException("Deployment " + template.getMetadata().getName(), "has "
                            + names.size() + " containers " + names + ": name the container each image is for");
                }
                name = names.get(0);
            } else if (!names.contains(name)) {
                throw new OutsideSystemException("Deployment " + template.getMetadata().getName(),
                        "has no container '" + name + "'; it has " + names);
            }
            out.put(name, image.getValue());
        }
        return out;
    }

    private GenericKubernetesResource copyFor(Colour colour, Deployment template, Map<String, String> images,
                                              int replicas) {
        Deployment copy = cluster.as(cluster.as(template, GenericKubernetesResource.class), Deployment.class);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(settings.deploymentOf(colour));
        meta.setNamespace(settings.namespace());
        meta.setLabels(withColour(template.getMetadata().getLabels(), colour));
        copy.setMetadata(meta);
        copy.setStatus(null);
        copy.getSpec().setReplicas(replicas);
        copy.getSpec().getSelector().setMatchLabels(withColour(copy.getSpec().getSelector().getMatchLabels(),
                colour));
        copy.getSpec().getTemplate().getMetadata()
                .setLabels(withColour(copy.getSpec().getTemplate().getMetadata().getLabels(), colour));
        copy.getSpec().getTemplate().getSpec().getContainers().forEach(c -> {
            if (images.containsKey(c.getName())) {
                c.setImage(images.get(c.getName()));
            }
        });
        return cluster.as(copy, GenericKubernetesResource.class);
    }

    private static Map<String, String> withColour(Map<String, String> labels, Colour colour) {
        Map<String, String> out = new HashMap<>(labels == null ? Map.of() : labels);
        out.put(Labels.COLOUR, colour.label());
        return out;
    }

    private static int replicas(Deployment deployment) {
        return deployment == null ? 0 : Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
