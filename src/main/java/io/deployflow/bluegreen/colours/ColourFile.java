package io.deployflow.bluegreen.colours;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.core.OutsideSystemException;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compose file a colour runs: the team's file with the image of each named service replaced. It is a generated
 * file (comments are not kept); the team's own file is never touched.
 */
public final class ColourFile {
    private ColourFile() {
    }

    /**
     * @throws OutsideSystemException when the file cannot be read, has no services, lacks a named service, or one
     *                                image without a service name is given for several services (nothing is
     *                                changed anywhere before this is checked)
     */
    public static String render(Path base, Map<String, String> images, Colour colour) {
        Map<String, Object> compose = read(base);
        Map<String, Object> services = services(compose, base);
        for (Map.Entry<String, String> image : images.entrySet()) {
            String service = image.getKey();
            if (RolloutTarget.ANY_SERVICE.equals(service)) {
                if (services.size() != 1) {
                    throw new OutsideSystemException("compose file " + base, "one image was given without a service"
                            + " name, but the file has " + services.size() + " services " + services.keySet()
                            + ": name each (service=image)");
                }
                service = services.keySet().iterator().next();
            }
            if (!(services.get(service) instanceof Map)) {
                throw new OutsideSystemException("compose file " + base, "has no service '" + service
                        + "'; its services are " + services.keySet());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> definition = (Map<String, Object>) services.get(service);
            definition.put("image", image.getValue());
        }
        return "# written by deployflow bluegreen for the " + colour + " colour from " + base.getFileName()
                + "; do not edit\n" + new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
                .dumpToString(compose);
    }

    /** The services a file declares, for counting what a colour should run. */
    public static List<String> serviceNames(String text) {
        Object loaded = new Load(LoadSettings.builder().build()).loadFromString(text);
        if (loaded instanceof Map<?, ?> map && map.get("services") instanceof Map<?, ?> services) {
            return services.keySet().stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /** Engines write {@code acme/web:1} back as {@code docker.io/acme/web:1} or {@code localhost/acme/web:1}. */
    public static boolean sameImage(String expected, String actual) {
        return expected.equals(actual) || actual.endsWith("/" + expected) || expected.endsWith("/" + actual);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path base) {
        try {
            Object loaded = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(base));
            if (!(loaded instanceof Map)) {
                throw new OutsideSystemException("compose file " + base, "is not a mapping");
            }
            return new LinkedHashMap<>((Map<String, Object>) loaded);
        } catch (IOException e) {
            throw new OutsideSystemException("compose file " + base, "cannot read: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services(Map<String, Object> compose, Path base) {
        Object services = compose.get("services");
        if (!(services instanceof Map) || ((Map<String, Object>) services).isEmpty()) {
            throw new OutsideSystemException("compose file " + base, "declares no services");
        }
        return (Map<String, Object>) services;
    }
}
