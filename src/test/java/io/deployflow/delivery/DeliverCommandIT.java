package io.deployflow.delivery;

import io.deployflow.testpeers.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar, run as the pipeline runs it, delivering to a git daemon remote. */
class DeliverCommandIT {
    @TempDir
    Path tmp;

    @Test
    void theJarDeliversAndThenFindsNothingToChange() throws Exception {
        try (CustomerRepoFixture repo = CustomerRepoFixture.start(tmp.resolve("remote"))) {
            DeliveryInputs inputs = new DeliveryInputs(tmp.resolve("inputs"), repo.url());

            Result first = jar(inputs.args());
            assertEquals(0, first.code(), first.output());
            assertTrue(repo.remoteRefs().containsKey("refs/tags/v1.1.0"), first.output());

            Result second = jar(inputs.args());
            assertEquals(0, second.code(), second.output());
            assertTrue(second.output().contains("nothing to change"), second.output());
        }
    }

    @Test
    void theJarExits3ForAnUnreachableRepository() throws Exception {
        String dead = "git://127.0.0.1:" + Peer.freePort() + "/acme/gone.git";
        DeliveryInputs inputs = new DeliveryInputs(tmp.resolve("inputs"), dead);

        Result run = jar(inputs.args());

        assertEquals(3, run.code(), run.output());
        assertTrue(run.output().contains(dead), run.output());
    }

    record Result(int code, String output) {
    }

    private Result jar(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", System.getProperty("deployflow.jar")));
        command.addAll(args);
        Path log = Files.createTempFile(tmp, "deliver", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deliver did not finish in 120 s:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
