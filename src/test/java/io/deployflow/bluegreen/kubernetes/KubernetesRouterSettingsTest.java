package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.BlueGreenSection;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kubernetes keys of a target's router section, checked with file, line and field before any call. */
class KubernetesRouterSettingsTest {
    @Test
    void aValidSectionGivesTheNamesAndDefaults() {
        KubernetesRouterSettings settings = ClusterFixture.settings(RouterKind.INGRESS_NGINX);
        assertEquals("hms", settings.namespace());
        assertEquals("hms-green", settings.deploymentOf(io.deployflow.bluegreen.Colour.GREEN));
        assertEquals("hms-canary", settings.canaryIngress(), "the canary Ingress defaults to <ingress>-canary");
    }

    @Test
    void theDocumentedExampleHasAKubernetesTarget() {
        Path example = Path.of(System.getProperty("deployflow.projectDir", ".")).resolve("examples/deployflow.yaml");
        var hms = io.deployflow.config.ConfigLoader.load(example).blueGreen().target("hms", example);
        KubernetesRouterSettings settings = KubernetesRouterSettings.from(RouterKind.GATEWAY_API,
                hms.routerContext(java.util.Map.of()));
        assertEquals("hms-blue", settings.deploymentOf(io.deployflow.bluegreen.Colour.BLUE));
        assertEquals("hms", settings.routerObject());
        assertEquals("hms-preview", settings.previewService());
    }

    @Test
    void theRouterObjectOfTheKindIsRequired() {
        BadInputException e = bad(ClusterFixture.config(RouterKind.GATEWAY_API).replace("httpRoute: hms", ""));
        assertEquals("blueGreen.targets[0].router.httpRoute", e.field(), e.getMessage());
        assertEquals(9, e.line(), e.getMessage());
    }

    @Test
    void aKeyOfAnotherRouterKindIsRefusedWithTheKeysThatApply() {
        BadInputException e = bad(ClusterFixture.config(RouterKind.ISTIO).replace("virtualService: hms",
                "virtualService: hms\n        httpRoute: hms"));
        assertEquals("blueGreen.targets[0].router.httpRoute", e.field(), e.getMessage());
        assertEquals(13, e.line(), e.getMessage());
    }

    @Test
    void namesThatKubernetesWouldRefuseAreBadInputAtTheirLine() {
        BadInputException e = bad(ClusterFixture.config(RouterKind.SERVICE).replace("namespace: hms",
                "namespace: HMS_prod"));
        assertEquals("blueGreen.targets[0].router.namespace", e.field(), e.getMessage());
        assertEquals(10, e.line());
        BadInputException missingPreview = bad(ClusterFixture.config(RouterKind.REPLICAS)
                .replace("      previewService: hms-preview\n", ""));
        assertEquals("blueGreen.targets[0].previewService", missingPreview.field(), missingPreview.getMessage());
        assertTrue(missingPreview.getMessage().contains("needs a preview Service"), missingPreview.getMessage());
    }

    private static BadInputException bad(String yaml) {
        YamlNode root = YamlNode.parse("deployflow.yaml", yaml);
        return assertThrows(BadInputException.class, () -> BlueGreenSection.from(root.require("blueGreen"),
                Path.of(".")));
    }
}
