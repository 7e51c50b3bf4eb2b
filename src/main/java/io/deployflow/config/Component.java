package io.deployflow.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A released piece of software: one git repository, one image, versions as tags {@code <tagPrefix>X.Y.Z}.
 * {@code services} names the compose services it runs as, when that is not simply every service with its image:
 * one image repository can carry two components under different tags ({@code mealie:frontend-1.0},
 * {@code mealie:api-1.0}), and then each lists its own services.
 * {@code release} says who creates a release: {@code pipeline} (the pipeline tags develop and pushes) or
 * {@code repo-person} (the repo-person does, and confirms in Jenkins); then the pipeline waits up to
 * {@code releaseWaitMinutes} for the tag and the image.
 */
public record Component(String name, String repo, String developBranch, String tagPrefix, String image,
                        String readme, List<String> services, String release, int releaseWaitMinutes,
                        CredentialIds credentials) {
    static final List<String> KEYS = List.of("name", "repo", "developBranch", "tagPrefix", "image", "readme",
            "services", "release", "releaseWaitMinutes", "credentials");
    public static final String RELEASE_BY_PIPELINE = "pipeline";
    public static final String RELEASE_BY_REPO_PERSON = "repo-person";
    /** Compose's own rule for a service name. */
    static final Pattern SERVICE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    /** Characters git allows in a ref name that also cannot be confused with the version that follows. */
    static final Pattern TAG_PREFIX = Pattern.compile("([A-Za-z]([A-Za-z0-9._/-]*[A-Za-z_/-])?)?");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+|[a-z0-9._-]+");

    static Component from(YamlNode node) {
        node.allowOnly(KEYS);
        String name = node.matching("name", null, NAME, "lowercase letters, digits, . _ -");
        if (name == null) {
            node.require("name");
        }
        String tagPrefix = node.matching("tagPrefix", "v", TAG_PREFIX,
                "a tag prefix starts with a letter, holds letters, digits, . _ - or /, and must not end in a"
                        + " digit or '.', so the version after it reads unambiguously (v, release-, gateway/v)");
        String image = node.matching("image", null, IMAGE,
                "an image repository without tag or digest, such as registry.example.org/fhir/fhir-gateway");
        List<String> services = node.strings("services");
        YamlNode servicesNode = node.get("services");
        for (String service : services) {
            if (!SERVICE.matcher(service).matches()) {
                throw servicesNode.error("'" + service + "' is not a compose service name (letters, digits, . _ -)");
            }
        }
        if (servicesNode != null && services.isEmpty()) {
            throw servicesNode.error("is empty; leave it out to mean every service that runs the image");
        }
        if (!services.isEmpty() && image == null) {
            throw servicesNode.error("names compose services, so the component needs its 'image'");
        }
        String release = node.matching("release", RELEASE_BY_REPO_PERSON, Pattern.compile("pipeline|repo-person"),
                "'pipeline' (the pipeline creates the tag) or 'repo-person' (the repo-person does and confirms it)");
        return new Component(name, node.string("repo"), branch(node, "developBranch", "develop"), tagPrefix, image,
                node.string("readme", "README.md"), services, release, node.integer("releaseWaitMinutes", 60, 1, 1440),
                CredentialIds.from(node.get("credentials"), List.of("git", "gitSsh", "registry", "github")));
    }

    /** Whether a compose service running this component's image is this component's. */
    public boolean runsAs(String service) {
        return services.isEmpty() || services.contains(service);
    }

    static String branch(YamlNode node, String key, String fallback) {
        return node.matching(key, fallback, Pattern.compile("[A-Za-z0-9._/-]+"), "a branch name");
    }

    /** The tag for a version, such as {@code v1.3.0}. */
    public String tagFor(String version) {
        return tagPrefix + version;
    }
}
