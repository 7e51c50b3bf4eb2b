package io.deployflow.portainer;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.bluegreen.colours.ColourSettings;
import io.deployflow.bluegreen.colours.PortainerColours;
import io.deployflow.config.YamlNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blue/green colours as two Portainer stacks, against the Portainer fake (which behaves as Portainer's source). */
class PortainerColoursTest {
    @TempDir
    Path dir;
    private FakePortainer portainer;
    private PortainerColours colours;

    @BeforeEach
    void start() throws Exception {
        portainer = new FakePortainer();
        portainer.endpoints.put(3, "production");
        Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  web:\n    image: acme/portal:1.0\n"
                + "    ports: [\"${PORT}:80\"]\n");
        colours = colours("production");
    }

    private PortainerColours colours(String endpoint) {
        String yaml = """
                runtime: portainer
                portainer: {url: "%s", endpoint: %s, stack: portal}
                file: docker-compose.yml
                blue: {url: "http://10.0.0.5:19080", env: {PORT: "19080"}}
                green: {url: "http://10.0.0.5:19081", env: {PORT: "19081"}}
                """.formatted(portainer.url(), endpoint);
        ColourSettings settings = ColourSettings.from(YamlNode.parse("deployflow.yaml", yaml), dir);
        return new PortainerColours(settings, new PortainerClient(portainer.url(),
                Credentials.from(settings.portainer(), Map.of("PORTAINER_API_KEY", FakePortainer.API_KEY)::get),
                Timings.defaults()));
    }

    @AfterEach
    void stop() {
        portainer.close();
    }

    /** Portainer deploys in the background: look until ready, as the engine does (two ready looks in a row). */
    private ColourReadiness settle(Colour colour, Map<String, String> images) {
        ColourReadiness look = colours.readiness(colour, images);
        for (int i = 0; i < 10 && !look.ready(); i++) {
            look = colours.readiness(colour, images);
        }
        return look;
    }

    @Test
    void deployCreatesTheColoursStackWithItsImagesAndVariables() {
        colours.deploy(Colour.GREEN, Map.of("*", "acme/portal:2.0"), 1);

        FakePortainer.FakeStack stack = portainer.stacks.values().iterator().next();
        assertEquals("portal-green", stack.name);
        assertEquals(List.of(new EnvVar("PORT", "19081")), stack.env);
        assertTrue(stack.file.contains("image: acme/portal:2.0"), stack.file);
        ColourReadiness ready = settle(Colour.GREEN, Map.of("*", "acme/portal:2.0"));
        assertTrue(ready.ready(), ready.summary());
        assertEquals(Map.of("web", "acme/portal:2.0"), ready.images());
        assertEquals(0, colours.readiness(Colour.BLUE, Map.of()).desiredReplicas(), "blue has no stack");
    }

    @Test
    void aSecondDeployUpdatesFileAndVariablesTogether() {
        colours.deploy(Colour.GREEN, Map.of("web", "acme/portal:2.0"), 1);
        settle(Colour.GREEN, Map.of());
        colours.deploy(Colour.GREEN, Map.of("web", "acme/portal:2.1"), 1);

        FakePortainer.FakeStack stack = portainer.stacks.values().iterator().next();
        assertEquals(1, portainer.stacks.size());
        assertEquals(List.of(new EnvVar("PORT", "19081")), stack.env, "the variables are sent with every update");
        ColourReadiness ready = settle(Colour.GREEN, Map.of("web", "acme/portal:2.1"));
        assertTrue(ready.ready(), ready.summary());
    }

    @Test
    void scalingToZeroStopsTheStackAndScalingUpStartsItAgain() {
        colours.deploy(Colour.GREEN, Map.of("web", "acme/portal:2.0"), 1);
        settle(Colour.GREEN, Map.of());
        colours.scale(Colour.GREEN, 0);
        colours.scale(Colour.GREEN, 0);

        ColourReadiness down = colours.readiness(Colour.GREEN, Map.of());
        assertEquals(0, down.desiredReplicas());
        assertFalse(down.ready());
        assertEquals(1, portainer.writes().stream().filter(w -> w.contains("/stop")).count(),
                "a stopped stack is not stopped twice (Portainer would answer 400)");

        colours.scale(Colour.GREEN, 1);
        ColourReadiness up = settle(Colour.GREEN, Map.of("web", "acme/portal:2.0"));
        assertTrue(up.ready(), up.summary());
    }

    @Test
    void deployingAStoppedColourStartsItThenUpdatesIt() {
        colours.deploy(Colour.GREEN, Map.of("web", "acme/portal:2.0"), 1);
        settle(Colour.GREEN, Map.of());
        colours.scale(Colour.GREEN, 0);
        colours.deploy(Colour.GREEN, Map.of("web", "acme/portal:3.0"), 1);

        List<String> writes = portainer.writes().stream().filter(w -> w.startsWith("P")).toList();
        assertTrue(writes.stream().anyMatch(w -> w.startsWith("POST /api/stacks/") && w.contains("/start")), writes
                .toString());
        ColourReadiness ready = settle(Colour.GREEN, Map.of("web", "acme/portal:3.0"));
        assertTrue(ready.ready(), ready.summary());
    }

    @Test
    void aSickColourIsNotReadyAndSaysWhy() {
        colours.deploy(Colour.GREEN, Map.of("web", "acme/portal-sick:2.0"), 1);
        ColourReadiness look = settle(Colour.GREEN, Map.of("web", "acme/portal-sick:2.0"));
        assertFalse(look.ready());
        assertTrue(look.problems().stream().anyMatch(p -> p.contains("unhealthy")), look.problems().toString());
    }

    @Test
    void anUnknownEnvironmentIsATopologyProblem() {
        List<TopologyProblem> problems = colours("staging").checkTopology();
        assertEquals(1, problems.size());
        assertEquals("router.colours.portainer.endpoint", problems.get(0).field());
        assertTrue(problems.get(0).message().contains("no environment 'staging' (it has [production])"),
                problems.get(0).message());
        assertTrue(colours.checkTopology().isEmpty());
    }
}
