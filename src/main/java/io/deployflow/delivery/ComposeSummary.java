package io.deployflow.delivery;

import io.deployflow.compose.Interpolation;
import io.deployflow.config.YamlNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a compose file tells a customer: its services, their images and tags, ports, and the environment variables
 * each one uses. The README's generated sections and the release version rule are both derived from this.
 */
record ComposeSummary(List<Service> services, Map<String, String> envValues) {
    /** {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?err}} and {@code $VAR}. */
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * @param image      the image as written, with variables resolved from the .env where possible
     * @param repository the image without tag or digest, or null when the service builds from source
     * @param tag        the tag ({@code latest} when none is written), or null when unresolvable or built
     */
    record Service(String name, String image, String repository, String tag, List<String> ports,
                   List<String> environment, Set<String> variables) {
    }

    /** Reads a compose file's text; the .env values resolve variables in image names. */
    static ComposeSummary parse(String fileName, String text, Map<String, String> envValues) {
        YamlNode root = YamlNode.parse(fileName, text);
        YamlNode services = root.isMapping() ? root.get("services") : null;
        if (services == null || !services.isMapping() || services.entries().isEmpty()) {
            throw (services == null ? root : services).error(
                    "a compose file needs a 'services' mapping with at least one service");
        }
        List<Service> out = new ArrayList<>();
        services.entries().forEach((name, node) -> out.add(service(name, node, envValues)));
        return new ComposeSummary(List.copyOf(out), envValues);
    }

    private static Service service(String name, YamlNode node, Map<String, String> env) {
        if (!node.isMapping()) {
            throw node.error("a service must be a mapping");
        }
        Set<String> variables = new LinkedHashSet<>();
        collectVariables(node, variables);
        String image = node.has("image") ? interpolate(node.get("image").asString(), env) : null;
        String repository = null;
        String tag = null;
        if (image != null) {
            String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
            int colon = withoutDigest.lastIndexOf(':');
            boolean hasTag = colon > withoutDigest.lastIndexOf('/');
            repository = hasTag ? withoutDigest.substring(0, colon) : withoutDigest;
            tag = hasTag ? withoutDigest.substring(colon + 1) : "latest";
            if (image.contains("$")) {
                tag = null;
            }
        }
        return new Service(name, image, repository, tag, ports(node), environment(node),
                Collections.unmodifiableSet(variables));
    }

    private static List<String> ports(YamlNode service) {
        List<String> out = new ArrayList<>();
        for (YamlNode port : service.list("ports")) {
            if (port.isScalar()) {
                out.add(port.asString());
            } else {
                String published = port.string("published", null);
                String target = port.string("target", "?");
                out.add(published == null ? target : published + ":" + target);
            }
        }
        return List.copyOf(out);
    }

    /** Variable names set in the service's {@code environment:} (list or mapping form). */
    private static List<String> environment(YamlNode service) {
        YamlNode env = service.get("environment");
        if (env == null) {
            return List.of();
        }
        if (env.isMapping()) {
            return List.copyOf(env.entries().keySet());
        }
        return env.items().stream().map(item -> item.asString().split("=", 2)[0]).toList();
    }

    private static void collectVariables(YamlNode node, Set<String> into) {
        if (node.isScalar()) {
            Matcher m = VARIABLE.matcher(node.asString());
            while (m.find()) {
                into.add(m.group(1) != null ? m.group(1) : m.group(4));
            }
        } else if (node.isMapping()) {
            node.entries().values().forEach(child -> collectVariables(child, into));
        } else if (node.isSequence()) {
            node.items().forEach(child -> collectVariables(child, into));
        }
    }

    /** Resolves variables as Compose does; a value with a variable Compose could not fill stays as written. */
    static String interpolate(String text, Map<String, String> env) {
        Interpolation.Resolved resolved = Interpolation.resolve(text, env);
        return resolved.complete() ? resolved.text() : text;
    }

    /** Image repository to tag, for every service that runs an image with a known tag. */
    Map<String, String> tagsByRepository() {
        Map<String, String> out = new TreeMap<>();
        services.stream().filter(s -> s.repository() != null && s.tag() != null)
                .forEach(s -> out.put(s.repository(), s.tag()));
        return out;
    }

    /** Every variable the stack reads or the .env sets, with the services that use it (file order). */
    Map<String, List<String>> variableUsers() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        envValues.keySet().forEach(name -> out.put(name, new ArrayList<>()));
        for (Service service : services) {
            for (String variable : service.variables()) {
                out.computeIfAbsent(variable, v -> new ArrayList<>()).add(service.name());
            }
        }
        return out;
    }
}
