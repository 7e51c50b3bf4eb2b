package io.deployflow.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.deployflow.config.Problems;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A routes file: the routes of one stack, each checked with one sample file (S0 "test each route with one file").
 * Everything that can be wrong in it is found by {@link #load}, before any request is sent.
 *
 * @param baseUrl   where the stack answers, or null when the caller always passes one
 * @param readyPath what readiness polls, or null to poll the base URL itself
 */
public record RoutesFile(Path file, String baseUrl, String readyPath, List<Route> routes) {
    static final List<String> KEYS = List.of("baseUrl", "readyPath", "headers", "routes");
    static final List<String> ROUTE_KEYS = List.of("name", "method", "path", "file", "headers", "expect",
            "component", "timeout");
    static final List<String> EXPECT_KEYS = List.of("status", "bodyContains", "json");
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    /** Headers the smoke client sets itself, or that would change how it uses the connection. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*}");

    public static RoutesFile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file.toString(), 0, null, "routes file not found");
        }
        Problems problems = new Problems();
        YamlNode root = YamlNode.parse(file).reportingTo(problems);
        root.allowOnly(KEYS);
        String baseUrl = root.has("baseUrl") ? problems.attempt(() -> baseUrl(root.require("baseUrl"))) : null;
        String readyPath = root.has("readyPath") ? problems.attempt(() -> path(root.require("readyPath"))) : null;
        Map<String, String> commonHeaders = problems.attempt(() -> headers(root.get("headers")));
        List<YamlNode> items = problems.attempt(() -> root.require("routes").items());
        if (items != null && items.isEmpty()) {
            problems.add(root.require("routes").error("lists no routes; a smoke test needs at least one"));
        }
        Path dir = file.toAbsolutePath().getParent();
        Map<String, YamlNode> names = new HashMap<>();
        List<Route> routes = new ArrayList<>();
        for (YamlNode item : items == null ? List.<YamlNode>of() : items) {
            Route route = problems.attempt(() -> route(item, dir, commonHeaders == null ? Map.of() : commonHeaders));
            YamlNode name = item.isMapping() ? item.get("name") : null;
            YamlNode earlier = name == null || !name.isScalar() ? null : names.putIfAbsent(name.asString(), item);
            if (earlier != null) {
                problems.add(name.error("duplicate route name '" + name.asString()
                        + "'; it is already used at line " + earlier.line()));
            }
            if (route != null) {
                routes.add(route);
            }
        }
        problems.throwIfAny();
        return new RoutesFile(file, baseUrl, readyPath, List.copyOf(routes));
    }

    /** Checks a base URL from the file or the command line: absolute http(s) with a host. */
    public static String checkBaseUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + text + "' is not an http:// or https:// URL with a host");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("'" + text + "' must not have a query or fragment");
            }
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static String baseUrl(YamlNode node) {
        try {
            return checkBaseUrl(node.asString());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static String path(YamlNode node) {
        String text = node.asString();
        if (!text.startsWith("/") || hasSpaceOrControl(text)) {
            throw node.error("'" + text + "' must start with '/' and contain no spaces, such as /fhir/Patient");
        }
        try {
            new URI("http://h" + text);
        } catch (URISyntaxException e) {
            throw node.error("'" + text + "' is not a valid URL path: " + e.getReason());
        }
        return text;
    }

    /** A loop, not a stream: asked for each of hundreds of routes in a new JVM, where a stream's set-up dominates. */
    private static boolean hasSpaceOrControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) <= ' ') {
                return true;
            }
        }
        return false;
    }

    private static Route route(YamlNode node, Path dir, Map<String, String> commonHeaders) {
        node.allowOnly(ROUTE_KEYS);
        String name = node.string("name");
        if (name.isBlank()) {
            throw node.require("name").error("must not be empty");
        }
        String method = "GET";
        if (node.has("method")) {
            YamlNode m = node.require("method");
            method = m.asString().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw m.error("'" + m.asString() + "' is not an HTTP method this tool sends; use one of "
                        + String.join(", ", METHODS));
            }
        }
        String path = path(node.require("path"));
        Path body = null;
        if (node.has("file")) {
            YamlNode f = node.require("file");
            body = dir.resolve(f.asString()).normalize();
            if (!Files.isRegularFile(body) || !Files.isReadable(body)) {
                throw f.error("route '" + name + "': sample file not found: " + body);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>(commonHeaders);
        headers.putAll(headers(node.get("headers")));
        Expectation expect = node.has("expect")
                ? expectation(node.require("expect"))
                : new Expectation(Set.of(), List.of(), Map.of());
        Duration timeout = null;
        if (node.has("timeout")) {
            YamlNode t = node.require("timeout");
            try {
                timeout = DurationText.parse(t.asString());
            } catch (IllegalArgumentException e) {
                throw t.error(e.getMessage());
            }
            if (timeout.isZero()) {
                throw t.error("must be longer than zero");
            }
        }
        return new Route(name, method, path, body, Map.copyOf(headers), expect, node.string("component", null),
                timeout, node.line());
    }

    private static Map<String, String> headers(YamlNode node) {
        if (node == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.entries().forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                throw value.error("'" + name + "' is not a valid header name");
            }
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw value.error("the header '" + name + "' is set by the HTTP client itself and cannot be set"
                        + " here");
            }
            String text = value.asString();
            if (!placeholdersWellFormed(text)) {
                throw value.error("a placeholder must read ${NAME} with letters, digits and _ only");
            }
            out.put(name, text);
        });
        return out;
    }

    /** Every "${" must open a ${NAME} placeholder, so a typo is not sent to the service as literal text. */
    private static boolean placeholdersWellFormed(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        for (int at = text.indexOf("${"); at >= 0; at = text.indexOf("${", at + 2)) {
            if (!m.region(at, text.length()).lookingAt()) {
                return false;
            }
        }
        return true;
    }

    private static Expectation expectation(YamlNode node) {
        node.allowOnly(EXPECT_KEYS);
        Set<Integer> statuses = new LinkedHashSet<>();
        YamlNode status = node.get("status");
        if (status != null) {
            for (YamlNode s : status.isSequence() ? status.items() : List.of(status)) {
                statuses.add(status(s));
            }
            if (statuses.isEmpty()) {
                throw status.error("lists no status; leave it out to accept any 2xx");
            }
        }
        Map<JsonPath, JsonNode> json = new LinkedHashMap<>();
        YamlNode jsonNode = node.get("json");
        if (jsonNode != null) {
            jsonNode.entries().forEach((pathText, value) -> {
                JsonPath path;
                try {
                    path = JsonPath.parse(pathText);
                } catch (IllegalArgumentException e) {
                    throw value.error("bad JSON path: " + e.getMessage());
                }
                if (!value.isScalar()) {
                    throw value.error("the expected value must be a string, number, boolean or null");
                }
                json.put(path, jsonValue(value.typedValue()));
            });
        }
        return new Expectation(Set.copyOf(statuses), List.copyOf(node.strings("bodyContains")), json);
    }

    /**
     * The JSON value of a YAML scalar: the very node the mapper's {@code valueToTree} makes of it (an int node for an
     * int, a long node for a long), without the mapper's serialize-and-read round trip, which a file of 500
     * expectations paid 500 times in a new JVM. Anything but YAML's plain types goes through the mapper still.
     * {@code RoutesFileTest} holds the two to the same result.
     */
    static JsonNode jsonValue(Object scalar) {
        if (scalar == null) {
            return NullNode.getInstance();
        }
        if (scalar instanceof String text) {
            return TextNode.valueOf(text);
        }
        if (scalar instanceof Boolean bool) {
            return BooleanNode.valueOf(bool);
        }
        if (scalar instanceof Integer number) {
            return IntNode.valueOf(number);
        }
        if (scalar instanceof Long number) {
            return LongNode.valueOf(number);
        }
        if (scalar instanceof BigInteger number) {
            return BigIntegerNode.valueOf(number);
        }
        if (scalar instanceof Double number) {
            return DoubleNode.valueOf(number);
        }
        return Json.mapper().valueToTree(scalar);
    }

    private static int status(YamlNode node) {
        String text = node.asString();
        try {
            int n = Integer.parseInt(text);
            if (n < 100 || n > 599) {
                throw node.error("status " + n + " is not an HTTP status (100..599)");
            }
            return n;
        } catch (NumberFormatException e) {
            throw node.error("'" + text + "' is not an HTTP status (100..599)");
        }
    }
}
