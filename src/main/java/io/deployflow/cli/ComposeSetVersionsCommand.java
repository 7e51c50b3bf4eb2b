package io.deployflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.compose.SetVersionsResult;
import io.deployflow.compose.VersionSetter;
import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Json;
import io.deployflow.core.Progress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "set-versions", mixinStandardHelpOptions = true,
        description = {"Set component versions in the customer's compose file (or its .env), changing only the"
                + " tags' characters. Exit 2, nothing written, on a digest-pinned image, a component no service"
                + " runs (with --set), a version that is not semver or longer than 128 characters, duplicate keys,"
                + " one image with different tags per service (unless the component lists its services), an"
                + " anchored image also used elsewhere, or an edit the Compose CLI rejects although it accepted (or"
                + " said no more about) the original.",
                "With --plan, each component's releaseVersion is used (null ones skipped), and components this"
                        + " customer's stack does not run are reported as skipped."})
final class ComposeSetVersionsCommand implements Callable<Integer> {
    @Mixin
    CustomerOption target;

    @Option(names = "--file", paramLabel = "COMPOSE",
            description = "The compose file; default: the customer's composeFile, relative to the working directory.")
    Path file;

    @ArgGroup(multiplicity = "1")
    Versions versions;

    @Mixin
    JsonOption json;

    static final class Versions {
        @Option(names = "--plan", paramLabel = "plan.json", description = "release-meeting's plan")
        Path plan;

        @Option(names = "--set", paramLabel = "COMPONENT=VERSION", split = ",",
                description = "A version to set; repeat for more.")
        List<String> set;
    }

    @Override
    public Integer call() {
        DeployflowConfig loaded = target.config();
        Customer customer = target.customer();
        Path composeFile = file != null ? file : Path.of(customer.composeFile());
        VersionSetter setter = new VersionSetter(loaded);
        SetVersionsResult result;
        if (versions.plan != null) {
            Map<String, String> planned = planVersions(versions.plan);
            Set<String> present = setter.componentsIn(composeFile);
            Map<String, String> wanted = new LinkedHashMap<>();
            List<SetVersionsResult.SkippedComponent> skipped = new ArrayList<>();
            planned.forEach((component, version) -> {
                if (loaded.components().stream().noneMatch(c -> c.name().equals(component))) {
                    throw new BadInputException(versions.plan.toString(), 0, "components[].name", "component '"
                            + component + "' is not in " + target.config.file + "; was the plan made with another"
                            + " config?");
                }
                if (version == null) {
                    skipped.add(new SetVersionsResult.SkippedComponent(component, null, "never released"));
                } else if (!present.contains(component)) {
                    skipped.add(new SetVersionsResult.SkippedComponent(component, version,
                            "no service in " + composeFile + " runs it"));
                } else {
                    wanted.put(component, version);
                }
            });
            skipped.forEach(s -> Progress.line(s.component() + ": skipped, " + s.reason()));
            result = setter.apply(composeFile, wanted);
            result = result.withSkipped(skipped);
        } else {
            result = setter.apply(composeFile, parseSet(versions.set));
        }
        Progress.line(result.changed() ? "changed " + String.join(", ", result.filesChanged())
                : "nothing to change: " + composeFile + " already has these versions");
        json.write(result);
        return ExitCode.OK;
    }

    private static Map<String, String> parseSet(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new BadInputException(null, 0, "--set", "'" + pair + "' must be COMPONENT=VERSION");
            }
            String previous = out.put(pair.substring(0, eq), pair.substring(eq + 1));
            if (previous != null) {
                throw new BadInputException(null, 0, "--set", "component " + pair.substring(0, eq)
                        + " is given twice");
            }
        }
        return out;
    }

    /** Component to releaseVersion (null when never released), read as a tree and checked field by field. */
    private static Map<String, String> planVersions(Path plan) {
        JsonNode root = Json.read(plan, JsonNode.class);
        JsonNode components = root.path("components");
        if (!components.isArray()) {
            throw new BadInputException(plan.toString(), 0, "components", "missing or not a list");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String field = "components[" + i + "]";
            if (!c.path("name").isTextual()) {
                throw new BadInputException(plan.toString(), 0, field + ".name", "missing or not a string");
            }
            JsonNode version = c.path("releaseVersion");
            if (!version.isNull() && !version.isMissingNode() && !version.isTextual()) {
                throw new BadInputException(plan.toString(), 0, field + ".releaseVersion", "must be a string or null");
            }
            out.put(c.get("name").asText(), version.isTextual() ? version.asText() : null);
        }
        return out;
    }
}
