package io.deployflow.registry;

import io.deployflow.core.BadInputException;

import java.util.regex.Pattern;

/**
 * Where an image repository lives, parsed the way the docker CLI does it, because that is what people write in
 * compose files: the first path segment is a registry host only if it looks like one (has a '.' or ':', or is
 * {@code localhost}); otherwise the image is on Docker Hub, where single names live under {@code library/}.
 */
public record ImageReference(String registry, String repository) {
    static final String DOCKER_HUB = "registry-1.docker.io";
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");

    /** @param imageRepository such as {@code registry.example.org/fhir/gateway}, {@code 127.0.0.1:5000/x}, {@code nginx} */
    public static ImageReference parse(String imageRepository) {
        if (imageRepository == null || imageRepository.isBlank()) {
            throw new BadInputException(null, 0, "image", "an image repository is required");
        }
        if (imageRepository.contains("@")) {
            throw new BadInputException(null, 0, "image",
                    "'" + imageRepository + "' has a digest; give the repository without tag or digest");
        }
        String registry;
        String path;
        int slash = imageRepository.indexOf('/');
        String first = slash < 0 ? "" : imageRepository.substring(0, slash);
        if (slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            registry = first;
            path = imageRepository.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            path = slash < 0 ? "library/" + imageRepository : imageRepository;
        }
        if (registry.equals("docker.io") || registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
            path = path.contains("/") ? path : "library/" + path;
        }
        if (!REPOSITORY.matcher(path).matches()) {
            throw new BadInputException(null, 0, "image", "'" + imageRepository
                    + "' is not an image repository (lowercase path segments of letters, digits, . _ -; no tag)");
        }
        return new ImageReference(registry, path);
    }

    /** The host name without port, to decide between http and https. */
    String host() {
        if (registry.startsWith("[")) {
            return registry.substring(0, registry.indexOf(']') + 1);
        }
        int colon = registry.indexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    @Override
    public String toString() {
        return registry + "/" + repository;
    }
}
