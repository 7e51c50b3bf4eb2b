package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/deployflow, installed as the README says (the jar and the launcher in one directory, the launcher linked
 * onto PATH): it works before and without the class-data archive, builds it, uses it, and ignores a stale one
 * without a word on stdout.
 */
class LauncherIT {
    private static final Path PROJECT = Path.of(System.getProperty("deployflow.projectDir", "."));
    private static final Path EXAMPLE = PROJECT.resolve("examples").resolve("deployflow.yaml");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run run(Path launcher, String javaOpts, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DEPLOYFLOW_AUDIT_LOG", dir.resolve("audit.jsonl").toString());
        builder.environment().remove("DEPLOYFLOW_JAVA_OPTS");
        if (javaOpts != null) {
            builder.environment().put("DEPLOYFLOW_JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        return new Run(process.waitFor(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    /** Where the JVM took io.deployflow.cli.Main from, per its class-load log. */
    private String mainSource(Path launcher) throws Exception {
        Path log = dir.resolve("classes-" + System.nanoTime() + ".log");
        Run version = run(launcher, "-Xlog:class+load=info:file=" + log, "--version");
        assertEquals(0, version.code(), version.err());
        assertTrue(version.out().matches("deployflow \\d+\\.\\d+\\.\\d+\\R"), "stdout is the version only: "
                + version.out());
        return Files.readAllLines(log).stream().filter(l -> l.contains(" io.deployflow.cli.Main source: "))
                .findFirst().orElseThrow();
    }

    @Test
    void worksWithoutTheArchiveBuildsItUsesItAndIgnoresAStaleOne() throws Exception {
        Path home = Files.createDirectories(dir.resolve("opt").resolve("deployflow"));
        Files.copy(JarIT.JAR, home.resolve("deployflow.jar"));
        Files.copy(PROJECT.resolve("bin").resolve("deployflow"), home.resolve("deployflow"));
        assertTrue(home.resolve("deployflow").toFile().setExecutable(true));
        Path onPath = Files.createDirectories(dir.resolve("bin")).resolve("deployflow");
        Files.createSymbolicLink(onPath, home.resolve("deployflow"));

        assertTrue(mainSource(onPath).contains("deployflow.jar"), "no archive yet: classes come from the jar");
        Run bad = run(onPath, null, "validate", "--config", dir.resolve("missing.yaml").toString());
        assertEquals(2, bad.code(), "exit codes pass through the launcher: " + bad.err());

        Run build = run(onPath, null, "--build-archive");
        assertEquals(0, build.code(), build.err());
        assertTrue(Files.size(home.resolve("deployflow.jsa")) > 0);
        assertTrue(build.out().isEmpty(), "the training run prints nothing on stdout: " + build.out());
        assertTrue(mainSource(onPath).contains("shared objects file"), "with the archive, classes are mapped");

        Path log = dir.resolve("validate.log");
        Run valid = run(onPath, "-Xlog:class+load=info:file=" + log, "validate", "--config", EXAMPLE.toString());
        assertEquals(0, valid.code(), valid.err());
        assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.contains(" io.deployflow.config.YamlNode source:"
                + " shared objects file")), "a command's own classes come from the archive too");
        // picocli ships Java 5 class files, which class-data sharing refuses; the build rewrites them as Java 8
        assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.contains(" picocli.CommandLine source: shared"
                + " objects file")), "the command-line parser comes from the archive too");

        // a jar replaced after the archive was built: the launcher leaves the archive out, the run is as without it
        Files.setLastModifiedTime(home.resolve("deployflow.jar"), FileTime.from(Instant.now().plusSeconds(5)));
        assertTrue(mainSource(onPath).contains("deployflow.jar"), "a stale archive is not used");
        Run stale = run(onPath, null, "--version");
        assertFalse(stale.err().contains("warning"), "and not warned about: " + stale.err());
    }
}
