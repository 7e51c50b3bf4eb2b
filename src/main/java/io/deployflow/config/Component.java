package io.deployflow.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A released piece of software: one git repository, one image, versions as tags {@code <tagPrefix>X.Y.Z}.
 * {@code release} says who creates a release: {@code pipeline} (the pipeline tags develop and pushes) or
 * {@code repo-person} (the repo-person does, and confirms in Jenkins); then the pipeline waits up to
 * {@code releaseWaitMinutes} for the tag and the image.
 */
public record Component(String name, String repo, String developBranch, String tagPrefix, String image,
                        String readme, String release, int releaseWaitMinutes, CredentialIds credentials) {
    static final List<String> KEYS = List.of("name", "repo", "developBranch", "tagPrefix", "image", "readme",
            "release", "releaseWaitMinutes", "credentials");
    public static final String RELEASE_BY_PIPELINE = "pipeline";
    public static final String RELEASE_BY_REPO_PERSON = "repo-person";
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
        String release = node.matching("release", RELEASE_BY_REPO_PERSON, Pattern.compile("pipeline|repo-person"),
                "'pipeline' (the pipeline creates the tag) or 'repo-person' (the repo-person does and confirms it)");
        return new Component(name, node.string("repo"), branch(node, "developBranch", "develop"), tagPrefix, image,
                node.string("readme", "README.md"), release, node.integer("releaseWaitMinutes", 60, 1, 1440),
                CredentialIds.from(node.get("credentials"), List.of("git", "gitSsh", "registry", "github")));
    }

    static String branch(YamlNode node, String key, String fallback) {
        return node.matching(key, fallback, Pattern.compile("[A-Za-z0-9._/-]+"), "a branch name");
    }

    /** The tag for a version, such as {@code v1.3.0}. */
    public String tagFor(String version) {
        return tagPrefix + version;
    }
}
