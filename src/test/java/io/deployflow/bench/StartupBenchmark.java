package io.deployflow.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Start-up cost of the CLI, which every pipeline step pays: median wall time of {@code --version} and of
 * {@code validate} against a bare JVM hello-world, measured here in the same run.
 * <pre>java -cp target/deployflow.jar:target/test-classes io.deployflow.bench.StartupBenchmark [runs]</pre>
 */
public final class StartupBenchmark {
    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target", "deployflow.jar").toString();
        double hello = median(runs, List.of(java, "-cp", Path.of("target", "test-classes").toString(),
                HelloWorld.class.getName()));
        double version = median(runs, List.of(java, "-jar", jar, "--version"));
        double validate = median(runs, List.of(java, "-jar", jar, "validate", "--config",
                Path.of("examples", "deployflow.yaml").toString()));
        System.out.printf("hello-world JVM (baseline)    %6.3f s%n", hello);
        System.out.printf("deployflow --version          %6.3f s  ratio %.2fx  target < 0.150 s: %s%n", version,
                version / hello, version < 0.150 ? "met" : "MISSED");
        System.out.printf("deployflow validate --config  %6.3f s  ratio %.2fx  target < 0.300 s: %s%n", validate,
                validate / hello, validate < 0.300 ? "met" : "MISSED");
    }

    private static double median(int runs, List<String> command) throws IOException, InterruptedException {
        run(command); // warm the page cache; the JVM itself starts cold every time, as on an agent
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            run(command);
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[runs / 2];
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int code = process.waitFor();
        if (code != 0) {
            throw new IllegalStateException(command + " exited " + code);
        }
    }
}
