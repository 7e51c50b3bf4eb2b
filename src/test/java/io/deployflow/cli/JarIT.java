package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar itself: what a Jenkins agent runs. */
class JarIT {
    static final Path JAR = Path.of(System.getProperty("deployflow.jar", "target/deployflow.jar"));

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        return new Result(process.waitFor(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void versionComesFromTheManifest() throws Exception {
        Result result = run("--version");
        assertEquals(0, result.code());
        assertTrue(result.out().matches("deployflow \\d+\\.\\d+\\.\\d+\\s*"), result.out());
    }

    /**
     * Class-data sharing refuses class files older than Java 6, and picocli and slf4j ship Java 5 ones: the build
     * rewrites them (src/build/java/OldClassFilesUpgrade.java), so the launcher's archive can hold every class.
     */
    @Test
    void everyClassFileIsOneClassDataSharingAccepts() throws Exception {
        List<String> tooOld = new ArrayList<>();
        int picocli = 0;
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(JAR.toFile())) {
            for (java.util.zip.ZipEntry entry : java.util.Collections.list(jar.entries())) {
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                byte[] head;
                try (java.io.InputStream in = jar.getInputStream(entry)) {
                    head = in.readNBytes(8);
                }
                int major = (head[6] & 0xff) << 8 | head[7] & 0xff;
                if (major < 50) {
                    tooOld.add(entry.getName() + " (" + major + ")");
                }
                picocli += entry.getName().startsWith("picocli/") ? 1 : 0;
            }
        }
        assertTrue(picocli > 100, "picocli is in the jar: " + picocli);
        assertTrue(tooOld.isEmpty(), "class files older than Java 6: " + tooOld);
    }

    /** Start-up is paid by every pipeline step: --version must not even load the command-line framework. */
    @Test
    void versionLoadsNoCommandFrameworkAndNoCommand(@TempDir Path dir) throws Exception {
        List<String> loaded = classesLoaded(dir, "--version");
        assertTrue(loaded.contains("io.deployflow.cli.Main"), loaded.toString());
        List<String> framework = loaded.stream().filter(c -> c.startsWith("picocli.")
                || Main.COMMANDS.containsValue(c)).toList();
        assertTrue(framework.isEmpty(), framework.toString());
    }

    /** Only the invoked command is loaded, and validate needs neither git nor JSON. */
    @Test
    void aCommandLoadsOnlyItsOwnClasses(@TempDir Path dir) throws Exception {
        Path config = Path.of(System.getProperty("deployflow.projectDir", "."), "examples", "deployflow.yaml");
        List<String> loaded = classesLoaded(dir, "validate", "--config", config.toString());
        assertTrue(loaded.contains("io.deployflow.cli.ValidateCommand"), loaded.toString());
        for (String other : Main.COMMANDS.values()) {
            if (!other.endsWith(".ValidateCommand")) {
                assertFalse(loaded.contains(other), other + " was loaded for validate");
            }
        }
        assertTrue(loaded.stream().noneMatch(c -> c.startsWith("org.eclipse.jgit.")
                || c.startsWith("com.fasterxml.jackson.")), "validate loaded git or JSON classes");
    }

    /** The classes a run of the jar loaded, from the JVM's own class-load log. */
    private static List<String> classesLoaded(Path dir, String... args) throws Exception {
        Path log = dir.resolve("classes.log");
        List<String> command = new ArrayList<>(List.of("java", "-Xlog:class+load=info:file=" + log, "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().put("DEPLOYFLOW_AUDIT_LOG", dir.resolve("audit.jsonl").toString());
        assertEquals(0, builder.start().waitFor(), Files.readString(dir.resolve("out.txt")));
        List<String> loaded = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] words = line.split(" ");
            if (words.length > 1) {
                loaded.add(words[1]);
            }
        }
        assertFalse(loaded.isEmpty(), "no class-load log");
        return loaded;
    }

    @Test
    void everyCommandHasHelpInTheJar() throws Exception {
        for (String name : Main.COMMANDS.keySet()) {
            Result result = run(name, "--help");
            assertEquals(0, result.code(), name + ": " + result.err());
            assertTrue(result.out().contains("Usage: deployflow " + name), result.out());
        }
    }

    @Test
    void badConfigExitsTwoFromTheJar() throws Exception {
        Result result = run("validate", "--config", "does-not-exist.yaml");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("does-not-exist.yaml: config file not found"), result.err());
    }
}
