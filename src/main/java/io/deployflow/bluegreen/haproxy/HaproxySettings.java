package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.RouterContext;
import io.deployflow.bluegreen.colours.ColourSettings;
import io.deployflow.config.YamlNode;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code router} section of an HAProxy target. {@code activeService} is the HAProxy backend users reach, with
 * one server per colour; {@code previewService}, if set, is a second backend with the same two servers, which
 * deploy points at the new colour only.
 *
 * @param socket          HAProxy's admin-level stats socket
 * @param stateDir        where the rollout state and lock files live: next to HAProxy's configuration
 * @param serverStateFile HAProxy's {@code server-state-file}: rewritten after every change, so a reload keeps the
 *                        weights (with {@code load-server-state-from-file global}); null if the team has none
 * @param servers         the server name of each colour in the backends
 * @param activeUrl       the frontend users reach
 * @param previewUrl      the frontend of previewService, or null (then the new colour's own URL is the preview)
 * @param colourHeader    the response header naming the server that answered
 *                        ({@code http-response set-header X-Served-By %[srv_name]})
 */
public record HaproxySettings(Path socket, Path stateDir, Path serverStateFile, Map<Colour, String> servers,
                              URI activeUrl, URI previewUrl, String colourHeader, Duration timeout,
                              ColourSettings colours) {
    public static final List<String> KEYS = List.of("socket", "config", "stateDir", "serverStateFile", "servers",
            "activeUrl", "previewUrl", "colourHeader", "timeoutSeconds", "colours");
    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]+");

    static HaproxySettings from(RouterContext context) {
        YamlNode node = context.router();
        Path dir = context.configDir();
        Path socket = dir.resolve(node.string("socket")).normalize();
        Path stateDir;
        if (node.has("stateDir")) {
            stateDir = dir.resolve(node.string("stateDir")).normalize();
        } else if (node.has("config")) {
            Path config = dir.resolve(node.string("config")).normalize();
            stateDir = config.getParent();
        } else {
            throw node.error("missing 'config' (HAProxy's configuration file: the rollout state is kept next to it)"
                    + " or 'stateDir'");
        }
        Path serverState = node.has("serverStateFile") ? dir.resolve(node.string("serverStateFile")).normalize()
                : null;
        Map<Colour, String> servers = new EnumMap<>(Colour.class);
        YamlNode serverNode = node.get("servers");
        if (serverNode != null) {
            serverNode.allowOnly(List.of("blue", "green"));
        }
        for (Colour colour : Colour.values()) {
            servers.put(colour, serverNode == null ? colour.label()
                    : serverNode.matching(colour.label(), colour.label(), NAME, "an HAProxy server name"));
        }
        if (servers.get(Colour.BLUE).equals(servers.get(Colour.GREEN))) {
            throw serverNode.error("blue and green must be two different servers");
        }
        String active = node.matching("activeUrl", null, URL, "the http(s) URL of the frontend users reach");
        if (active == null) {
            node.require("activeUrl");
        }
        String preview = node.matching("previewUrl", null, URL, "the http(s) URL of previewService's frontend");
        if (context.previewService() != null && preview == null) {
            throw node.error("missing 'previewUrl': previewService '" + context.previewService()
                    + "' needs the URL of the frontend that uses it");
        }
        String header = node.matching("colourHeader", "X-Served-By", Pattern.compile("[A-Za-z0-9-]+"),
                "an HTTP header name");
        ColourSettings colours = ColourSettings.from(node.require("colours"), dir);
        return new HaproxySettings(socket, stateDir, serverState, servers, URI.create(active),
                preview == null ? null : URI.create(preview), header,
                Duration.ofSeconds(node.integer("timeoutSeconds", 5, 1, 120)), colours);
    }

    public Colour colourOfServer(String server) {
        for (Map.Entry<Colour, String> entry : servers.entrySet()) {
            if (entry.getValue().equals(server)) {
                return entry.getKey();
            }
        }
        return null;
    }
}
