package io.deployflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notes that go out with a delivery after "release everything but the component": the team found terminology
 * 2.0.1 broken in docker preparation and released without it. The tag message used to announce "terminology
 * 2.0.0 → 2.0.1" and its fix while the delivered stack ran 2.0.0; it must say what was held back and why.
 */
class ReleaseWithoutNotesTest {
    static final String REASON = "valueset expansion returns 500, no fix today";

    @TempDir
    Path tmp;
    CustomerRepoFixture repo;
    DeliveryInputs inputs;
    Path checkout;

    @BeforeEach
    void start() throws Exception {
        repo = CustomerRepoFixture.start(tmp.resolve("remote"));
        inputs = new DeliveryInputs(tmp.resolve("inputs"), repo.url());
        JsonNode plan = Json.read(inputs.plan, JsonNode.class);
        ((com.fasterxml.jackson.databind.node.ArrayNode) plan.get("components").get(1).withArray("changes"))
                .addObject().put("sha", "9e8d7c6b5a49").put("subject", "fix: valueset paging (FHIR-7)")
                .put("type", "fix").put("breaking", false).putArray("tickets").add("FHIR-7");
        Json.write(inputs.plan, plan);
        Files.writeString(inputs.config, Files.readString(inputs.config) + "decision: {deciders: [dev2]}\n");
        checkout = Files.createDirectories(tmp.resolve("customers/acme"));
        Files.writeString(checkout.resolve("docker-compose.yml"), CustomerRepoFixture.COMPOSE_DELIVERED);
        Files.writeString(checkout.resolve(".env"), CustomerRepoFixture.ENV_DELIVERED);
        run(0, "compose", "set-versions", "--config", inputs.config.toString(), "--customer", "acme", "--file",
                compose(), "--plan", inputs.plan.toString());
    }

    @AfterEach
    void stop() {
        repo.close();
    }

    @Test
    void theTagAndReadmeSayWhatWasHeldBackAndWhy() throws Exception {
        Path decision = tmp.resolve("decision.json");
        run(0, "decision", "--config", inputs.config.toString(), "--customer", "acme", "--choice",
                "release-without", "--by", "dev2", "--reason", REASON, "--component", "terminology", "--file",
                compose(), "--plan", inputs.plan.toString(), "--cache", tmp.resolve("repos").toString(), "--json",
                decision.toString());
        Path finalPlan = tmp.resolve("final-plan.json");
        Json.write(finalPlan, Json.read(decision, JsonNode.class).get("planAfter"));

        run(0, "deliver", "--config", inputs.config.toString(), "--customer", "acme", "--plan", finalPlan.toString(),
                "--file", compose(), "--cache", inputs.cache.toString());

        try (Git git = Git.open(repo.bare.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Repository r = git.getRepository();
            String message = walk.parseTag(r.exactRef(Constants.R_TAGS + "v1.1.0").getObjectId()).getFullMessage();
            assertTrue(message.contains("Versions: fhir-gateway 1.3.0, terminology 2.0.0"), message);
            assertFalse(message.contains("2.0.0 → 2.0.1"), "terminology is not announced as released:\n" + message);
            assertFalse(message.contains("valueset paging"), "nor its fix:\n" + message);
            assertTrue(message.contains("## Held back"), message);
            assertTrue(message.contains("terminology 2.0.1 is not released to acme: it stays at 2.0.0. Why: " + REASON
                    + " (decided by Developer Two on "), message);
            assertTrue(message.contains("## fhir-gateway 1.2.0 → 1.3.0"), "the gateway is released:\n" + message);
            assertTrue(message.contains("Release meeting of 2026-11-23: 1 of 2 components"), message);
            String readme = file(r, walk, "README.md");
            assertTrue(readme.contains("terminology 2.0.1 is not in this release; it stays at 2.0.0. Why: " + REASON),
                    readme);
            assertTrue(readme.contains("| terminology | 2.0.0 |"), readme);
            assertEquals(CustomerRepoFixture.ENV_DELIVERED, file(r, walk, ".env"), "production's version stays");
        }
    }

    private String compose() {
        return checkout.resolve("docker-compose.yml").toString();
    }

    private static String file(Repository r, RevWalk walk, String path) throws Exception {
        try (TreeWalk tree = TreeWalk.forPath(r, path, walk.parseCommit(r.resolve("main")).getTree())) {
            return new String(r.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void run(int expected, String... args) {
        DeliveryInputs.Run run = DeliveryInputs.run(List.of(args));
        assertEquals(expected, run.exitCode(), String.join(" ", args) + "\n" + run.stderr());
    }
}
