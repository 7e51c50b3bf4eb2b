package io.deployflow.hotfix;

import io.deployflow.cli.CliRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hotfix lane's exit codes through the CLI, against repositories served by git daemon. */
class HotfixCommandTest {
    @TempDir
    Path dir;
    HotfixRepos repos;

    @AfterEach
    void stop() {
        if (repos != null) {
            repos.close();
        }
    }

    @Test
    void aComponentProductionDoesNotRunIsExit2NamingItsLineAndAnEmptyBranchIsExit1() throws Exception {
        repos = new HotfixRepos(dir);
        repos.component("fhir-gateway", false);
        repos.component("terminology", false);
        repos.customer("acme-stack", "127.0.0.1:5000/fhir/fhir-gateway", "1.3.0");
        Path config = dir.resolve("deployflow.yaml");
        Files.writeString(config, """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
                components:
                  - {name: fhir-gateway, repo: '%s', image: 127.0.0.1:5000/fhir/fhir-gateway}
                  - {name: terminology, repo: '%s', image: 127.0.0.1:5000/fhir/terminology}
                customers:
                  - {name: acme, repo: '%s'}
                approval:
                  tasks:
                    hotfix-production: {responsible: team}
                    rca-sign-off: {responsible: team}
                promotion:
                  environments:
                    - name: Pre-Prod
                    - name: Production
                hotfix:
                  approval: hotfix-production
                  rcaSignOff: rca-sign-off
                """.formatted(repos.url("fhir-gateway.git"), repos.url("terminology.git"), repos.url("acme-stack.git")));
        String cache = dir.resolve("cache").toString();
        assertEquals(0, CliRun.of("hotfix", "raise", "--config", config.toString(), "--component", "terminology",
                "--issue", "SEV1-5", "--cache", cache).exitCode());
        CliRun branch = CliRun.of("hotfix", "branch", "--config", config.toString(), "--component", "terminology",
                "--issue", "SEV1-5", "--cache", cache);
        assertEquals(2, branch.exitCode(), branch.err());
        assertTrue(branch.err().contains(config + ":5: components[1]: production does not run 'terminology'"),
                branch.err());
        assertNull(repos.commitOf("terminology.git", "refs/heads/hotfix/0.0.1"));

        assertEquals(0, CliRun.of("hotfix", "raise", "--config", config.toString(), "--component", "fhir-gateway",
                "--issue", "SEV1-6", "--cache", cache).exitCode());
        assertEquals(0, CliRun.of("hotfix", "branch", "--config", config.toString(), "--component", "fhir-gateway",
                "--issue", "SEV1-6", "--cache", cache).exitCode());
        CliRun early = CliRun.of("hotfix", "release", "--config", config.toString(), "--component", "fhir-gateway",
                "--issue", "SEV1-6", "--cache", cache, "--json", dir.resolve("release.json").toString());
        assertEquals(1, early.exitCode(), "nothing merged into the hotfix branch yet");
        assertTrue(Files.readString(dir.resolve("release.json")).contains("\"outcome\" : \"no-fix\""));
    }
}
