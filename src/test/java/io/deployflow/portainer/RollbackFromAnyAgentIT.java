package io.deployflow.portainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.deployflow.core.Json;
import io.deployflow.testpeers.GitDaemonPeer;
import io.deployflow.testpeers.Peer;
import io.deployflow.testsupport.LeakScan;
import io.deployflow.testsupport.VarsFixtures;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollback point outlives the workspace that took it: with a ledger repository (a bare repository behind a
 * real {@code git daemon}) one agent deploys acme's stack to the Portainer fake, and another agent, with a fresh
 * workspace and its own cache, rolls it back. Without a ledger repository the point stays on the deploying agent,
 * and a fresh workspace is told so (exit 2); an unreachable ledger repository stops the deploy before Portainer is
 * touched (exit 3).
 */
class RollbackFromAnyAgentIT {
    static final String RUNNING = PortainerFixturesIT.RUNNING;
    static final String API_KEY = FakePortainer.API_KEY;
    static final String DB_PASSWORD = "s3cr3t-db-value";

    @TempDir
    Path dir;
    FakePortainer portainer;
    FakePortainer.FakeStack stack;
    HttpServer app;

    @BeforeEach
    void start() throws Exception {
        portainer = new FakePortainer();
        portainer.deployPolls = 0;
        portainer.endpoints.put(3, "acme-prod");
        stack = portainer.addStack(12, "acme-team-fhir-stack", 3, RUNNING, PortainerFixturesIT.RUNNING_ENV);
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.start();
    }

    @AfterEach
    void stop() {
        portainer.close();
        app.stop(0);
    }

    /** A workspace as a job makes it: deployflow.yaml (with {@code ledger}, when given) and the customer checkout. */
    Path workspace(String agent, String ledger) throws Exception {
        Path work = Files.createDirectories(dir.resolve(agent).resolve("workspace"));
        Files.createDirectories(work.resolve("customers/acme/smoke"));
        Files.writeString(work.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Developer One, emails: [dev1@example.org]}]
                customers:
                  - name: acme
                    repo: https://git.example.org/customers/acme-stack.git
                    portainer:
                      url: %s
                      endpoint: acme-prod
                      stack: acme-team-fhir-stack
                      env: {LOG_LEVEL: info}
                      deployedUrl: http://127.0.0.1:%d
                      waitSeconds: 30
                """.formatted(portainer.url(), app.getAddress().getPort())
                + (ledger == null ? "" : "ledger: {repo: '" + ledger + "'}\n"));
        Files.writeString(work.resolve("customers/acme/docker-compose.yml"), RUNNING.replace("0.4.0", "0.4.1"));
        Files.writeString(work.resolve("customers/acme/.env"), "FHIR_GATEWAY_VERSION=1.3.0\n");
        Files.writeString(work.resolve("customers/acme/smoke/routes.yaml"), """
                routes:
                  - {name: metadata, path: /fhir/metadata, expect: {status: 200}}
                """);
        return work;
    }

    /** The jar on an agent: its own workspace and cache (so its own ledger clone), the key only in the env. */
    VarsFixtures.Run cli(String agent, Path work, String... args) {
        return VarsFixtures.jar(work, Map.of("PORTAINER_API_KEY", API_KEY, "XDG_CACHE_HOME",
                dir.resolve(agent).resolve("cache").toString(), "DEPLOYFLOW_USER", "dev1"), List.of(args));
    }

    VarsFixtures.Run deploy(String agent, Path work) {
        return cli(agent, work, "portainer", "deploy", "--config", "deployflow.yaml", "--customer", "acme", "--file",
                "customers/acme/docker-compose.yml", "--routes", "customers/acme/smoke/routes.yaml", "--json",
                "deploy.json");
    }

    VarsFixtures.Run rollback(String agent, Path work) {
        return cli(agent, work, "portainer", "rollback", "--config", "deployflow.yaml", "--customer", "acme",
                "--routes", "customers/acme/smoke/routes.yaml", "--json", "rollback.json");
    }

    static String git(Path gitDir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir", gitDir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), command + ": " + out);
        return out;
    }

    @Test
    void anotherAgentWithAFreshWorkspaceRollsBackFromTheLedger() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Path bare = served.resolve("ledger.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
        try (GitDaemonPeer daemon = GitDaemonPeer.start(served)) {
            Path first = workspace("agent-1", daemon.url("ledger.git"));
            VarsFixtures.Run deployed = deploy("agent-1", first);
            assertEquals(0, deployed.exitCode(), deployed.output());
            assertTrue(stack.file.contains("terminology:0.4.1"), "the new file is deployed: " + stack.file);
            String record = "portainer/acme/acme-team-fhir-stack/rollback-point.json";
            JsonNode result = Json.mapper().readTree(first.resolve("deploy.json").toFile());
            assertTrue(result.path("rollbackPointKept").asText().startsWith(record + " beside the ledger ("),
                    result.toString());
            assertFalse(Files.exists(first.resolve(".deployflow/portainer/acme-rollback.json")),
                    "with a ledger repository the point is kept there, not on this agent");

            // the first agent's workspace is wiped; another agent with nothing but the job's files rolls back
            deleteTree(dir.resolve("agent-1"));
            Path second = workspace("agent-2", daemon.url("ledger.git"));
            VarsFixtures.Run rolledBack = rollback("agent-2", second);

            assertEquals(0, rolledBack.exitCode(), rolledBack.output());
            assertEquals(RUNNING, stack.file, "the stack is back on the file it ran before the deploy");
            assertEquals(PortainerFixturesIT.RUNNING_ENV, stack.env, "and on its variables, the secret included");
            JsonNode back = Json.mapper().readTree(second.resolve("rollback.json").toFile());
            assertEquals("rolled-back", back.path("outcome").asText(), back.toString());
            assertTrue(back.path("rollbackVerified").asBoolean(), back.toString());

            String point = git(bare, "show", "main:" + record);
            assertTrue(point.contains("\"FHIR_GATEWAY_VERSION\" : \"1.2.0\""), point);
            List<String> types = new ArrayList<>();
            for (String line : git(bare, "show", "main:ledger.jsonl").lines().toList()) {
                types.add(Json.mapper().readTree(line).path("type").asText());
            }
            assertEquals(List.of("record", "deploy", "rollback"), types, "the ledger tells the story in order");
            assertEquals(List.of(), new LeakScan(List.of(DB_PASSWORD, API_KEY)).inFiles(served),
                    "no secret value in the ledger repository (its git objects included)");
        }
    }

    @Test
    void withoutALedgerRepositoryAFreshWorkspaceIsToldWhereThePointIs() throws Exception {
        Path first = workspace("agent-1", null);
        VarsFixtures.Run deployed = deploy("agent-1", first);
        assertEquals(0, deployed.exitCode(), deployed.output());
        assertTrue(Files.isRegularFile(first.resolve(".deployflow/portainer/acme-rollback.json")),
                "without a ledger repository the point stays in the deploying agent's state directory");

        Path second = workspace("agent-2", null);
        VarsFixtures.Run refused = rollback("agent-2", second);
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains(".deployflow/portainer/acme-rollback.json: no rollback point for"
                + " customer 'acme' (stack 'acme-team-fhir-stack'): a 'portainer deploy' keeps it here, on the agent"
                + " that deployed"), refused.output());
        assertTrue(refused.output().contains("with ledger.repo set in deployflow.yaml"), refused.output());
        assertTrue(stack.file.contains("terminology:0.4.1"), "nothing was rolled back");

        VarsFixtures.Run sameAgent = rollback("agent-1", first);
        assertEquals(0, sameAgent.exitCode(), sameAgent.output());
        assertEquals(RUNNING, stack.file);
    }

    @Test
    void aLedgerRepositoryThatCannotBeReachedStopsTheDeployBeforePortainerIsTouched() throws Exception {
        Path work = workspace("agent-1", "git://127.0.0.1:" + Peer.freePort() + "/ledger.git");
        VarsFixtures.Run deployed = deploy("agent-1", work);
        assertEquals(3, deployed.exitCode(), deployed.output());
        assertTrue(deployed.output().contains("cannot keep the rollback point beside the ledger, so the stack was not"
                + " changed"), deployed.output());
        assertEquals(List.of(), portainer.writes(), "no write reached Portainer");
        assertEquals(RUNNING, stack.file);
    }

    private static void deleteTree(Path root) throws Exception {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
