package io.deployflow.bench;

import io.deployflow.compose.ComposeValidator;
import io.deployflow.compose.SetVersionsResult;
import io.deployflow.compose.VersionSetter;
import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code compose set-versions} on a generated 2,000-line compose file, in process: warm-up, then the median of N
 * runs of {@link VersionSetter#apply} (parse, locate, check, write). The file is restored between runs, untimed.
 * Target: under 200 ms. The Compose CLI's own validation is timed once apart, because it is a separate process
 * whose cost does not depend on our code.
 *
 * <pre>java -cp target/deployflow.jar:target/test-classes io.deployflow.bench.ComposeEditBenchmark [runs]</pre>
 */
public final class ComposeEditBenchmark {
    static final int COMPONENTS = 10;
    static final int SERVICES = 200;
    static final double TARGET_MS = 200;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("compose-bench");
        StringBuilder config = new StringBuilder("team:\n  - {id: dev1, emails: [dev1@example.org]}\ncomponents:\n");
        for (int c = 0; c < COMPONENTS; c++) {
            config.append("  - {name: comp").append(c).append(", repo: file:///c").append(c)
                    .append(", image: registry.example.org:5000/fhir/comp").append(c).append("}\n");
        }
        config.append("customers:\n  - {name: acme, repo: file:///acme}\n");
        Path configFile = Files.writeString(dir.resolve("deployflow.yaml"), config);
        String compose = composeText();
        String env = envText();
        Path composeFile = dir.resolve("docker-compose.yml");
        Path envFile = dir.resolve(".env");
        long lines = compose.lines().count();

        DeployflowConfig loaded = ConfigLoader.load(configFile);
        VersionSetter setter = new VersionSetter(loaded, ComposeValidator.NONE);
        Map<String, String> versions = new LinkedHashMap<>();
        for (int c = 0; c < COMPONENTS; c++) {
            versions.put("comp" + c, "2." + c + ".0");
        }
        int warmUp = Math.max(10, runs);
        for (int i = 0; i < warmUp; i++) {
            once(setter, composeFile, envFile, compose, env, versions);
        }
        double[] ms = new double[runs];
        SetVersionsResult last = null;
        for (int i = 0; i < runs; i++) {
            Files.writeString(composeFile, compose);
            Files.writeString(envFile, env);
            long start = System.nanoTime();
            last = setter.apply(composeFile, versions);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        double median = ms[runs / 2];
        System.out.printf("compose file: %d lines, %d services, %d components, %d tags changed in %d files%n",
                lines, SERVICES, COMPONENTS, last.services().size(), last.filesChanged().size());
        System.out.printf("set-versions in process: median %.1f ms, min %.1f ms, max %.1f ms over %d runs"
                + " (after %d warm-up runs)%n", median, ms[0], ms[runs - 1], runs, warmUp);
        System.out.printf("target %.0f ms: median is %.2fx the target (%s)%n", TARGET_MS, median / TARGET_MS,
                median < TARGET_MS ? "met" : "NOT met");
        ComposeValidator cli = ComposeValidator.detect();
        if (cli.name() != null) {
            long start = System.nanoTime();
            String problem = cli.problem(composeFile).orElse("valid");
            System.out.printf("for comparison, %s on the same file (separate process): %.1f ms, %s%n", cli.name(),
                    (System.nanoTime() - start) / 1e6, problem.length() > 80 ? problem.substring(0, 80) : problem);
        }
    }

    private static void once(VersionSetter setter, Path composeFile, Path envFile, String compose, String env,
                             Map<String, String> versions) throws Exception {
        Files.writeString(composeFile, compose);
        Files.writeString(envFile, env);
        setter.apply(composeFile, versions);
    }

    /** 200 services of 10 lines each, tags in every supported form, with comments and flow style. */
    static String composeText() {
        StringBuilder out = new StringBuilder("# generated benchmark stack\nx-common: &common\n  restart: always\n"
                + "services:\n");
        for (int s = 0; s < SERVICES; s++) {
            int c = s % COMPONENTS;
            String repo = "registry.example.org:5000/fhir/comp" + c;
            String image = switch (s % 4) {
                case 0 -> repo + ":1." + c + ".0";
                case 1 -> "\"" + repo + ":1." + c + ".0\"";
                case 2 -> "\"" + repo + ":${COMP" + c + "_VERSION:-1." + c + ".0}\"";
                default -> "'" + repo + ":${COMP" + c + "_TAG}'";
            };
            out.append("  service-").append(s).append(":   # service number ").append(s).append('\n')
                    .append("    <<: *common\n")
                    .append("    image: ").append(image).append('\n')
                    .append("    ports: [\"127.0.0.1:").append(20000 + s).append(":8080\"]\n")
                    .append("    environment:\n")
                    .append("      LOG_LEVEL: info\n")
                    .append("      SERVICE_INDEX: \"").append(s).append("\"\n")
                    .append("    healthcheck: {test: [\"CMD\", \"true\"], interval: 5s}\n")
                    .append("    labels: {team: fhir, component: comp").append(c).append("}\n")
                    .append("    # end of service ").append(s).append('\n');
        }
        return out.toString();
    }

    static String envText() {
        StringBuilder out = new StringBuilder("# versions\n");
        for (int c = 0; c < COMPONENTS; c++) {
            out.append("COMP").append(c).append("_TAG=\"1.").append(c).append(".0\"  # pinned\n");
        }
        return out.toString();
    }
}
