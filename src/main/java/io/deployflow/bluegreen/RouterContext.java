package io.deployflow.bluegreen;

import io.deployflow.config.YamlNode;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link RolloutTargetProvider} gets to build a target from deployflow.yaml.
 *
 * @param targetName     {@code blueGreen.targets[i].name}
 * @param activeService  {@code activeService}: the router's production entry (HAProxy backend, Kubernetes Service)
 * @param previewService {@code previewService}, or null when the target has none
 * @param router         the {@code router} section (its {@code type} picked the provider); read router-specific
 *                       keys from it so every error names file, line and field
 * @param configDir      the directory of deployflow.yaml, for relative paths
 * @param environment    the process environment (credentials arrive only this way)
 */
public record RouterContext(String targetName, String activeService, String previewService, YamlNode router,
                            Path configDir, Map<String, String> environment) {
}
