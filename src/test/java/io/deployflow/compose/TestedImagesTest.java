package io.deployflow.compose;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestedImagesTest {
    @TempDir
    Path dir;
    DeployflowConfig config;
    Path plan;
    Path compose;

    @BeforeEach
    void files() throws Exception {
        Path yaml = dir.resolve("deployflow.yaml");
        Files.writeString(yaml, """
                team: [{id: dev1, emails: [dev1@example.org]}]
                components:
                  - {name: gateway, repo: /r/gw, image: localhost:5000/fhir/gateway}
                  - {name: terminology, repo: /r/term, image: localhost:5000/fhir/terminology}
                customers: [{name: acme, repo: /r/acme}]
                """);
        config = ConfigLoader.load(yaml);
        plan = dir.resolve("plan.json");
        Files.writeString(plan, """
                {"components":[{"name":"gateway","releaseVersion":"1.3.0"},
                               {"name":"terminology","releaseVersion":"0.4.1"}]}
                """);
        compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, """
                x-base: &base
                  image: localhost:5000/fhir/gateway:${GW:-1.3.0}
                services:
                  gateway:
                    <<: *base
                  terminology:
                    image: "localhost:5000/fhir/terminology:${TERM_TAG}"
                  db:
                    image: postgres:16
                """);
    }

    @Test
    void theTestedStackPasses() throws Exception {
        Files.writeString(dir.resolve(".env"), "TERM_TAG=0.4.1\n");
        StackImages images = StackImages.read(compose, null);
        assertEquals("localhost:5000/fhir/gateway:1.3.0", images.service("gateway").orElseThrow().image(),
                "anchors and merges are followed");
        assertEquals(List.of(), TestedImages.fromPlan(config, plan).differences(images));
    }

    @Test
    void aVersionFromTheEnvThatIsNotThePlansIsADifference() throws Exception {
        Files.writeString(dir.resolve(".env"), "TERM_TAG=0.4.0\n");

        BadInputException refused = assertThrows(BadInputException.class, () -> TestedImages.fromPlan(config, plan)
                .require(StackImages.read(compose, null), "deliver acme"));

        assertTrue(refused.getMessage().startsWith(compose + ":7: image: refusing to deliver acme"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("service terminology (line 7) would run"
                + " localhost:5000/fhir/terminology:0.4.0 (localhost:5000/fhir/terminology:${TERM_TAG} with"
                + " TERM_TAG=0.4.0), but terminology was tested at 0.4.1"), refused.getMessage());
        assertTrue(refused.getMessage().contains("variables from " + dir.resolve(".env")), refused.getMessage());
    }

    @Test
    void anUnsetVariableIsADifferenceEvenForAThirdPartyImage() throws Exception {
        Files.writeString(compose, Files.readString(compose).replace("postgres:16", "postgres:${PG}"));
        Files.writeString(dir.resolve(".env"), "TERM_TAG=0.4.1\n");

        List<String> differences = TestedImages.fromPlan(config, plan).differences(StackImages.read(compose, null));

        assertEquals(1, differences.size(), differences.toString());
        assertTrue(differences.get(0).contains("service db") && differences.get(0).contains("PG is not set"),
                differences.toString());
    }

    @Test
    void aDefaultIsUsedWhenTheVariableIsEmpty() throws Exception {
        Files.writeString(dir.resolve(".env"), "TERM_TAG=0.4.1\nGW=\n");
        assertEquals(List.of(), TestedImages.fromPlan(config, plan).differences(StackImages.read(compose, null)));
        Files.writeString(dir.resolve(".env"), "TERM_TAG=0.4.1\nGW=1.2.0\n");
        assertEquals(1, TestedImages.fromPlan(config, plan).differences(StackImages.read(compose, null)).size());
    }

    @Test
    void theRecordComparesEveryService() throws Exception {
        Files.writeString(dir.resolve(".env"), "TERM_TAG=0.4.1\n");
        Path record = dir.resolve("tested.json");
        Json.write(record, StackImages.read(compose, null));
        TestedImages tested = TestedImages.fromRecord(record);
        assertEquals(List.of(), tested.differences(StackImages.read(compose, null)));

        Files.writeString(compose, Files.readString(compose).replace("postgres:16", "postgres:15")
                + "  cache:\n    image: redis:7\n");
        List<String> differences = tested.differences(StackImages.read(compose, null));

        assertEquals(2, differences.size(), differences.toString());
        assertTrue(differences.get(0).contains("would run postgres:15") && differences.get(0).contains(
                "but postgres:16 was tested"), differences.toString());
        assertTrue(differences.get(1).contains("service cache") && differences.get(1).contains("not in the tested"),
                differences.toString());
    }

    @Test
    void variablesOtherThanTheEnvFileCanBeGiven() throws Exception {
        StackImages portainer = StackImages.of(compose, Files.readString(compose),
                Map.of("TERM_TAG", "0.4.1")::get, "the stack's variables");
        assertEquals(List.of(), TestedImages.fromPlan(config, plan).differences(portainer));
    }

    @Test
    void aPlanComponentTheConfigDoesNotKnowIsBadInput() throws Exception {
        Files.writeString(plan, "{\"components\":[{\"name\":\"gatewy\",\"releaseVersion\":\"1.0.0\"}]}");
        BadInputException refused = assertThrows(BadInputException.class,
                () -> TestedImages.fromPlan(config, plan));
        assertTrue(refused.getMessage().contains("components[0].name"), refused.getMessage());
    }
}
