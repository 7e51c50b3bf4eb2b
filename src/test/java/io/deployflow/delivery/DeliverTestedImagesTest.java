package io.deployflow.delivery;

import io.deployflow.cli.Main;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is delivered is what was tested. The scenario a team hit: the tag of a component is kept in the .env beside
 * the compose file, {@code compose set-versions} edits that .env, and {@code deliver} was called without
 * {@code --env-file}; it delivered the compose file with the repository's old .env, tagged a release whose stack
 * still ran the old version, and exited 0.
 */
class DeliverTestedImagesTest {
    static final String COMPOSE = """
            services:
              gateway:
                image: registry.example.org/fhir/fhir-gateway:1.3.0
              terminology:
                image: registry.example.org/fhir/terminology:${TERMINOLOGY_VERSION}
              db:
                image: postgres:16
            """;

    @TempDir
    Path tmp;
    CustomerRepoFixture repo;
    DeliveryInputs inputs;
    Path tested;

    @BeforeEach
    void start() throws Exception {
        repo = CustomerRepoFixture.start(tmp.resolve("remote"));
        inputs = new DeliveryInputs(tmp.resolve("inputs"), repo.url());
        tested = tmp.resolve("checkout");
        Files.createDirectories(tested);
        // the customer checkout as docker preparation leaves it: set-versions put the plan's 2.0.1 into .env
        Files.writeString(tested.resolve("docker-compose.yml"), COMPOSE);
        Files.writeString(tested.resolve(".env"), "TERMINOLOGY_VERSION=2.0.0\nLOG_LEVEL=info\n");
        DeliveryInputs.Run set = DeliveryInputs.run(List.of("compose", "set-versions", "--config",
                inputs.config.toString(), "--customer", "acme", "--file", tested.resolve("docker-compose.yml")
                        .toString(), "--plan", inputs.plan.toString()));
        assertEquals(0, set.exitCode(), set.stderr());
        assertTrue(Files.readString(tested.resolve(".env")).contains("TERMINOLOGY_VERSION=2.0.1"));
    }

    @AfterEach
    void stop() {
        repo.close();
    }

    @Test
    void theEnvBesideTheComposeFileIsDeliveredByDefault() throws Exception {
        DeliveryInputs.Run run = DeliveryInputs.run(deliver());

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("TERMINOLOGY_VERSION=2.0.1\nLOG_LEVEL=info\n", remoteFile("main", ".env"),
                "the tested .env went out with the compose file");
        assertTrue(remoteFile("main", "README.md").contains("| terminology | 2.0.1 |"), remoteFile("main",
                "README.md"));
    }

    @Test
    void aComposeFileWithoutItsEnvIsRefusedBeforeAnythingIsPushed() throws Exception {
        Files.delete(tested.resolve(".env"));
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(deliver());

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("service terminology"), run.stderr());
        assertTrue(run.stderr().contains("registry.example.org/fhir/terminology:2.0.0"), run.stderr());
        assertTrue(run.stderr().contains("TERMINOLOGY_VERSION=2.0.0"), "says where the old version came from: "
                + run.stderr());
        assertTrue(run.stderr().contains("tested at 2.0.1"), run.stderr());
        assertEquals(before, repo.remoteRefs(), "nothing pushed");
    }

    @Test
    void aStaleEnvFileGivenByHandIsRefused() throws Exception {
        Path stale = tmp.resolve("stale.env");
        Files.writeString(stale, "TERMINOLOGY_VERSION=2.0.0\n");
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(deliver("--env-file", stale.toString()));

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains(stale.toString()), "names the env file: " + run.stderr());
        assertEquals(before, repo.remoteRefs());
    }

    @Test
    void aDefaultInTheFileThatIsNotTheTestedVersionIsRefused() throws Exception {
        Files.writeString(tested.resolve("docker-compose.yml"), COMPOSE.replace("${TERMINOLOGY_VERSION}",
                "${TERMINOLOGY_VERSION:-2.0.0}"));
        Files.writeString(tested.resolve(".env"), "TERMINOLOGY_VERSION=\n");

        DeliveryInputs.Run run = DeliveryInputs.run(deliver());

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("terminology:2.0.0"), run.stderr());
    }

    @Test
    void theTestedRecordHoldsThirdPartyImagesToo() throws Exception {
        Path record = tmp.resolve("tested-images.json");
        assertEquals(0, Main.run("compose", "images", "--file", tested.resolve("docker-compose.yml").toString(),
                "--json", record.toString()));
        Files.writeString(tested.resolve("docker-compose.yml"), COMPOSE.replace("postgres:16", "postgres:15"));
        Map<String, String> before = repo.remoteRefs();

        DeliveryInputs.Run run = DeliveryInputs.run(deliver("--tested", record.toString()));

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("service db"), run.stderr());
        assertTrue(run.stderr().contains("postgres:15") && run.stderr().contains("postgres:16"), run.stderr());
        assertEquals(before, repo.remoteRefs());
    }

    private List<String> deliver(String... extra) {
        List<String> args = new ArrayList<>(List.of("deliver", "--config", inputs.config.toString(), "--customer",
                "acme", "--plan", inputs.plan.toString(), "--file",
                tested.resolve("docker-compose.yml").toString(), "--cache", inputs.cache.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private String remoteFile(String branch, String path) throws Exception {
        try (Git git = Git.open(repo.bare.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Repository r = git.getRepository();
            try (TreeWalk tree = TreeWalk.forPath(r, path, walk.parseCommit(r.resolve(branch)).getTree())) {
                return tree == null ? null : new String(r.open(tree.getObjectId(0)).getBytes(),
                        StandardCharsets.UTF_8);
            }
        }
    }
}
