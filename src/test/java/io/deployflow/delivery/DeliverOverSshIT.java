package io.deployflow.delivery;

import io.deployflow.git.GitCredentials;
import io.deployflow.testpeers.SshPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delivery to a customer repository reached over ssh, through the real OpenSSH server and the agent's ssh client,
 * with the key the deliver step binds (sshUserPrivateKey → DEPLOYFLOW_GIT_SSH_KEY): the same credential path as
 * the release meeting and the decision's production versions.
 */
class DeliverOverSshIT {
    @TempDir
    Path tmp;

    @Test
    void theJarDeliversOverSshWithTheKeyFromTheEnvironmentAndIsRefusedWithoutIt() throws Exception {
        try (CustomerRepoFixture repo = CustomerRepoFixture.start(tmp.resolve("remote"));
             SshPeer sshd = SshPeer.start(tmp.resolve("sshd"))) {
            String url = sshd.url(repo.bare);
            DeliveryInputs inputs = new DeliveryInputs(tmp.resolve("inputs"), url);
            Map<String, String> knownHostsOnly = Map.of(GitCredentials.SSH_KNOWN_HOSTS, sshd.knownHosts().toString());

            Result refused = jar(inputs.args(), knownHostsOnly);
            assertEquals(3, refused.code(), "no key: the server refuses, after retries\n" + refused.output());
            assertTrue(refused.output().contains(url), refused.output());
            assertFalse(repo.remoteRefs().containsKey("refs/tags/v1.1.0"), "nothing was pushed");

            Result delivered = jar(inputs.args(), Map.of(GitCredentials.SSH_KEY, sshd.clientKey().toString(),
                    GitCredentials.SSH_KNOWN_HOSTS, sshd.knownHosts().toString()));
            assertEquals(0, delivered.code(), delivered.output() + "\nsshd: " + sshd.log());
            Map<String, String> refs = repo.remoteRefs();
            assertTrue(refs.containsKey("refs/tags/v1.1.0"), refs.toString());
            assertTrue(refs.containsKey("refs/heads/release/1.1.0"), refs.toString());
            assertFalse(delivered.output().contains(Files.readString(sshd.clientKey()).lines().skip(1).findFirst()
                    .orElseThrow()), "the key itself is never printed");
        }
    }

    record Result(int code, String output) {
    }

    private Result jar(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", System.getProperty("deployflow.jar")));
        command.addAll(args);
        Path log = Files.createTempFile(tmp, "deliver", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("DEPLOYFLOW_GIT_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deliver did not finish in 180 s:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
