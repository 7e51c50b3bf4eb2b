package io.deployflow.release;

import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.RegistryPeer;
import io.deployflow.testpeers.TinyImagePush;
import io.deployflow.testsupport.VarsFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * verifyRelease's step fixtures (verify-passed, verify-failed, verify-error) are what the jar writes for a good
 * release, a release whose commit skips CI and whose image was never pushed, and a registry that cannot be reached.
 */
class VerifyFixturesIT {
    @TempDir
    Path dir;

    void git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.resolve("fhir-gateway").toString(),
                "-c", "user.name=Developer Two", "-c", "user.email=dev2@example.org"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    void release(String readme, String message, String tag) throws Exception {
        Files.writeString(dir.resolve("fhir-gateway/README.md"), readme);
        git("add", "-A");
        git("commit", "-q", "-m", message);
        git("tag", "-a", tag, "-m", tag);
    }

    void config(String registry) throws Exception {
        Files.writeString(dir.resolve("deployflow.yaml"), """
                team:
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                components:
                  - {name: fhir-gateway, repo: 'file://%s', image: %s/fhir/fhir-gateway}
                customers: []
                """.formatted(dir.resolve("fhir-gateway"), registry));
    }

    @Test
    void verifyFixturesAreWhatTheJarWrites() throws Exception {
        Files.createDirectories(dir.resolve("fhir-gateway"));
        git("init", "-q", "-b", "develop");
        release("# fhir-gateway\n", "feat: first release", "v1.1.0");
        release("# fhir-gateway\n\n## Configuration\n```yaml\ngateway: {port: 8080}\n```\n",
                "feat: configurable port", "v1.2.0");
        release("# fhir-gateway\n\n## Configuration\n```yaml\ngateway: {port: 8080, paging: true}\n```\n",
                "chore: release 1.3.0 [skip ci]", "v1.3.0");
        try (RegistryPeer registry = RegistryPeer.start(dir.resolve("registry"))) {
            TinyImagePush.push(registry.hostPort(), "fhir/fhir-gateway", "1.2.0");
            config(registry.hostPort());
            Map<String, String> shown = Map.of(dir.toString(), "/work", registry.hostPort(), "127.0.0.1:5000");

            assertEquals(0, verify("1.2.0", "passed").exitCode());
            VarsFixtures.check("verify-passed.json", dir.resolve("passed.json"), shown);
            assertEquals(1, verify("1.3.0", "failed").exitCode());
            VarsFixtures.check("verify-failed.json", dir.resolve("failed.json"), shown);
        }
        String dead = "127.0.0.1:" + Peer.freePort();
        config(dead);
        assertEquals(3, verify("1.2.0", "error").exitCode());
        VarsFixtures.check("verify-error.json", dir.resolve("error.json"), Map.of(dir.toString(), "/work", dead,
                "127.0.0.1:5000"));
    }

    private VarsFixtures.Run verify(String version, String json) {
        return VarsFixtures.jar(dir, Map.of(), List.of("verify-release", "--config", "deployflow.yaml",
                "--component", "fhir-gateway", "--version", version, "--cache", dir.resolve("cache").toString(),
                "--json", json + ".json"));
    }
}
