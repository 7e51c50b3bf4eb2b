package io.deployflow.bluegreen.colours;

import io.deployflow.bluegreen.Colour;
import io.deployflow.config.PortainerTarget;
import io.deployflow.config.YamlNode;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code router.colours}: how the two colours run when the router does not run them itself.
 * <pre>
 * colours:
 *   runtime: compose              # two compose projects on the agent's engine (DOCKER_HOST)
 *   file: stack/docker-compose.yml
 *   project: portal               # projects portal-blue and portal-green
 *   waitSeconds: 180
 *   blue:  {url: http://127.0.0.1:19080, env: {PORT: "19080"}}
 *   green: {url: http://127.0.0.1:19081, env: {PORT: "19081"}}
 * </pre>
 *
 * With {@code runtime: portainer} the colours are two Portainer stacks {@code <portainer.stack>-blue} /
 * {@code -green} on {@code portainer.endpoint} (the keys of a customer's {@code portainer} section; credentials
 * from the environment variables it names), and {@code project} is not used.
 *
 * @param url  per colour: where the colour answers directly (its HAProxy server address), the preview when
 *             there is no previewService
 * @param env  per colour: variables for the compose file, typically the published port (Portainer: the stack's
 *             variables)
 */
public record ColourSettings(String runtime, Path file, String project, int waitSeconds, Map<Colour, URI> url,
                             Map<Colour, Map<String, String>> env, PortainerTarget portainer, YamlNode node) {
    static final List<String> KEYS = List.of("runtime", "file", "project", "waitSeconds", "portainer", "blue",
            "green");
    static final List<String> COLOUR_KEYS = List.of("url", "env");
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern URL = Pattern.compile("https?://\\S+");

    public static ColourSettings from(YamlNode node, Path configDir) {
        node.allowOnly(KEYS);
        String runtime = node.matching("runtime", "compose", Pattern.compile("compose|portainer"),
                "'compose' (two compose projects on the agent's engine) or 'portainer' (two Portainer stacks)");
        String project = node.matching("project", null, PROJECT, "a Compose project name: lower-case letters,"
                + " digits, '-' and '_'");
        PortainerTarget portainer = null;
        if (runtime.equals("portainer")) {
            portainer = PortainerTarget.from(node.require("portainer"));
        } else if (project == null) {
            node.require("project");
        } else if (node.has("portainer")) {
            throw node.require("portainer").error("only used with runtime: portainer");
        }
        Path file = configDir.resolve(node.string("file")).normalize();
        Map<Colour, URI> urls = new EnumMap<>(Colour.class);
        Map<Colour, Map<String, String>> env = new EnumMap<>(Colour.class);
        for (Colour colour : Colour.values()) {
            YamlNode section = node.require(colour.label());
            section.allowOnly(COLOUR_KEYS);
            String url = section.matching("url", null, URL, "an http(s) URL");
            if (url == null) {
                section.require("url");
            }
            urls.put(colour, URI.create(url));
            env.put(colour, section.stringMap("env"));
        }
        return new ColourSettings(runtime, file, project, node.integer("waitSeconds", 180, 1, 3600), urls, env,
                portainer, node);
    }

    /** The compose project or Portainer stack of a colour: {@code <project>-blue} / {@code <project>-green}. */
    public String projectOf(Colour colour) {
        return (portainer != null ? portainer.stack() : project) + "-" + colour.label();
    }
}
