package io.deployflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the benchmarks share: the CLI installed as the README installs it on an agent (jar, launcher, class-data
 * archive), commands timed from outside as a pipeline step runs them, and medians of runs that alternate with the
 * peer command so a change in machine load hits both alike.
 */
final class BenchSupport {
    static final Path JAR = Path.of(System.getProperty("deployflow.jar", "target/deployflow.jar"));
    private static final Path INSTALL = Path.of("target", "bench-install").toAbsolutePath();

    private BenchSupport() {
    }

    /**
     * {@code bin/deployflow} beside a copy of the jar under target/bench-install, with its archive built by
     * {@code --build-archive}, as the README's agent image and plain jar install do. Rebuilt when the jar changed.
     */
    static Path launcher() throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " not built: mvn -B -q package -DskipTests");
        }
        Files.createDirectories(INSTALL);
        Path jar = INSTALL.resolve("deployflow.jar");
        Path launcher = INSTALL.resolve("deployflow");
        Path archive = INSTALL.resolve("deployflow.jsa");
        boolean changed = !Files.exists(jar) || Files.mismatch(JAR, jar) != -1;
        if (changed) {
            Files.copy(JAR, jar, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(archive);
        }
        Files.copy(Path.of("bin", "deployflow"), launcher, StandardCopyOption.REPLACE_EXISTING);
        if (!launcher.toFile().setExecutable(true)) {
            throw new IllegalStateException("cannot make " + launcher + " executable");
        }
        if (!Files.exists(archive)) {
            Process build = new ProcessBuilder(launcher.toString(), "--build-archive").inheritIO().start();
            if (build.waitFor() != 0) {
                throw new IllegalStateException("deployflow --build-archive failed");
            }
        }
        return launcher;
    }

    /** The wall time of one run of a command, which must exit 0; output is discarded. */
    static long nanos(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        long start = System.nanoTime();
        int code = builder.start().waitFor();
        long took = System.nanoTime() - start;
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + code);
        }
        return took;
    }

    /**
     * Runs every measurement once to warm the page cache, then {@code rounds} times in turn (a, b, c, a, b, c...),
     * and returns the median of each, in seconds.
     */
    static double[] alternating(int rounds, List<Callable<Long>> measurements) throws Exception {
        for (Callable<Long> m : measurements) {
            m.call();
        }
        long[][] all = new long[measurements.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < measurements.size(); i++) {
                all[i][round] = measurements.get(i).call();
            }
        }
        double[] medians = new double[measurements.size()];
        for (int i = 0; i < all.length; i++) {
            long[] sorted = all[i].clone();
            Arrays.sort(sorted);
            medians[i] = sorted[rounds / 2] / 1e9;
        }
        return medians;
    }

    /** The machine may be shared: the figures mean little without how busy it was. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String header() {
        return String.format(Locale.ROOT, "%d cores, load average %s, java %s", Runtime.getRuntime()
                .availableProcessors(), loadAverage(), System.getProperty("java.version"));
    }
}
