package io.deployflow.bluegreen;

import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blueGreen section: every kind of bad input names file, line and field. */
class BlueGreenSectionTest {
    private static final String VALID = """
            blueGreen:
              targets:
                - name: portal
                  activeService: be_portal
                  autoPromotionEnabled: false
                  scaleDownDelaySeconds: 600
                  steps: [10, 50, 100]
                  prePromotionAnalysis:
                    routes: smoke/routes.yaml
                  analysis:
                    prometheus: http://prometheus:9090
                    interval: 30s
                    count: 5
                    failureLimit: 1
                    metrics:
                      - name: error-rate
                        query: sum(rate(x{code="5xx"}[1m]))
                        successCondition: result < 0.01
                        failureCondition: result >= 0.05
                  router:
                    type: haproxy
                    socket: /run/haproxy/admin.sock
                    config: /etc/haproxy/haproxy.cfg
                    activeUrl: http://127.0.0.1:8080
                    colours:
                      project: portal
                      file: stack/docker-compose.yml
                      blue: {url: "http://127.0.0.1:19080", env: {PORT: "19080"}}
                      green: {url: "http://127.0.0.1:19081", env: {PORT: "19081"}}
            """;

    private static BlueGreenSection load(String text) {
        return BlueGreenSection.from(YamlNode.parse("deployflow.yaml", text).require("blueGreen"), Path.of("/cfg"));
    }

    @Test
    void readsTheArgoNamedSettingsWithDefaults() {
        TargetSettings target = load(VALID).target("portal", Path.of("deployflow.yaml"));
        assertEquals("be_portal", target.activeService());
        assertNull(target.previewService());
        assertFalse(target.autoPromotionEnabled());
        assertEquals(600, target.scaleDownDelaySeconds());
        assertEquals(1, target.scaleDownReplicas(), "the old colour keeps one replica by default");
        assertEquals(List.of(10, 50, 100), target.steps());
        assertEquals(Path.of("/cfg/smoke/routes.yaml"), target.previewRoutes());
        assertEquals(Duration.ofSeconds(30), target.analysis().metrics().get(0).interval());
        assertEquals(5, target.analysis().metrics().get(0).count());
        assertEquals(1, target.analysis().metrics().get(0).failureLimit());
        assertEquals("haproxy", target.routerType());
    }

    @Test
    void theDocumentedExampleIsValid() {
        Path example = Path.of(System.getProperty("deployflow.projectDir", ".")).resolve("examples/deployflow.yaml");
        io.deployflow.config.DeployflowConfig config = io.deployflow.config.ConfigLoader.load(example);
        TargetSettings production = config.blueGreen().target("fhir-production", example);
        assertEquals(3, production.analysis().metrics().size());
        assertEquals(List.of(10, 50, 100), production.steps());
        assertEquals("be_fhir", production.activeService());
        // Jenkinsfile.example rolls each environment out to the blueGreen target its promotion entry names
        for (var environment : config.promotion().environments()) {
            TargetSettings target = config.blueGreen().target(environment.target(), example);
            assertEquals(environment.production() ? List.of(10, 50, 100) : List.of(100), target.steps(),
                    environment.name() + ": production shifts in steps, the others at once");
        }
    }

    @Test
    void stepsDefaultToTenFiftyHundred() {
        TargetSettings target = load(VALID.replace("      steps: [10, 50, 100]\n", ""))
                .target("portal", Path.of("deployflow.yaml"));
        assertEquals(List.of(10, 50, 100), target.steps());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', quoteCharacter = '"', value = {
            "steps: [10, 50, 100]      # steps: [10, 150]            # 7  # blueGreen.targets[0].steps[1]   # from 1 to 100, not 150",
            "steps: [10, 50, 100]      # steps: [50, 10, 100]        # 7  # blueGreen.targets[0].steps[1]   # steps must increase: 10 % comes after 50 %",
            "steps: [10, 50, 100]      # steps: [10, 50]             # 7  # blueGreen.targets[0].steps[1]   # end the steps with 100",
            "steps: [10, 50, 100]      # steps: [10, ten, 100]       # 7  # blueGreen.targets[0].steps[1]   # 'ten' is not a whole percentage",
            "steps: [10, 50, 100]      # steps: []                   # 7  # blueGreen.targets[0].steps      # lists no steps",
            "result < 0.01             # result << 0.01              # 18 # blueGreen.targets[0].analysis.metrics[0].successCondition # does not parse: column 9",
            "result >= 0.05            # result >= 0.05 &&           # 19 # blueGreen.targets[0].analysis.metrics[0].failureCondition # does not parse",
            "failureLimit: 1           # failureLimit: 5             # 14 # blueGreen.targets[0].analysis.failureLimit # could never fail",
            "interval: 30s             # interval: 30 seconds        # 12 # blueGreen.targets[0].analysis.interval # is not a duration",
            "type: haproxy             # type: haprxy                # 21 # blueGreen.targets[0].router.type # did you mean 'haproxy'?",
            "socket: /run/haproxy/admin.sock # sockt: /run/haproxy/admin.sock # 22 # blueGreen.targets[0].router.sockt # did you mean 'socket'?",
            "activeUrl: http://127.0.0.1:8080 # activeUrl: 127.0.0.1:8080 # 24 # blueGreen.targets[0].router.activeUrl # http(s) URL",
            "autoPromotionEnabled: false # autoPromotionEnable: false # 5  # blueGreen.targets[0].autoPromotionEnable # did you mean 'autoPromotionEnabled'?",
            "prometheus: http://prometheus:9090 # prometheus: prometheus:9090 # 11 # blueGreen.targets[0].analysis.prometheus # http(s) URL",
    })
    void badInputNamesLineAndField(String from, String to, int line, String field, String message) {
        assertTrue(VALID.contains(from), from);
        BadInputException e = assertThrows(BadInputException.class, () -> load(VALID.replace(from, to)));
        assertEquals("deployflow.yaml", e.file());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void portainerColoursReadTheirPortainerSectionAndNeedCredentialsBeforeAnythingRuns() {
        String portainer = VALID.replace("          project: portal\n", "          runtime: portainer\n"
                + "          portainer: {url: \"https://portainer.example.org\", endpoint: production, stack: portal}\n");
        TargetSettings target = load(portainer).target("portal", Path.of("deployflow.yaml"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> RouterTypes.provider("haproxy").open(target.routerContext(java.util.Map.of())));
        assertTrue(e.getMessage().contains("no Portainer credentials"), e.getMessage());
        assertEquals(27, e.line(), e.getMessage());
    }

    @Test
    void composeColoursNeedAProject() {
        BadInputException e = assertThrows(BadInputException.class, () -> load(VALID.replace(
                "          project: portal\n", "")));
        assertTrue(e.getMessage().contains("missing required field 'project'"), e.getMessage());
    }

    @Test
    void aPreviewServiceNeedsItsFrontendUrl() {
        BadInputException e = assertThrows(BadInputException.class, () -> load(VALID.replace(
                "activeService: be_portal", "activeService: be_portal\n      previewService: be_preview")));
        assertTrue(e.getMessage().contains("missing 'previewUrl'"), e.getMessage());
    }

    @Test
    void anUnknownTargetSuggestsTheNearest() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> load(VALID).target("portl", Path.of("deployflow.yaml")));
        assertTrue(e.getMessage().contains("did you mean 'portal'?"), e.getMessage());
    }

    @Test
    void everyBrokenTargetIsReportedInOneRun(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String second = VALID.substring(VALID.indexOf("    - name: portal")).replace("name: portal", "name: admin")
                .replace("steps: [10, 50, 100]", "steps: [10, 150]");
        String text = "team:\n  - {id: dev1, name: Dev One, emails: [dev1@example.org]}\n"
                + VALID.replace("result < 0.01", "result <") + second;
        Path file = dir.resolve("deployflow.yaml");
        java.nio.file.Files.writeString(file, text);
        io.deployflow.core.InputProblemsException e = assertThrows(io.deployflow.core.InputProblemsException.class,
                () -> io.deployflow.config.ConfigLoader.load(file));
        List<String> fields = e.problems().stream().map(BadInputException::field).toList();
        assertEquals(List.of("blueGreen.targets[0].analysis.metrics[0].successCondition",
                "blueGreen.targets[1].steps[1]"), fields, e.getMessage());
    }

    @Test
    void duplicateTargetNamesAreRefused() {
        String twice = VALID + VALID.substring(VALID.indexOf("    - name: portal"));
        BadInputException e = assertThrows(BadInputException.class, () -> load(twice));
        assertTrue(e.getMessage().contains("duplicate name 'portal'"), e.getMessage());
    }
}
