package io.deployflow.delivery;

import io.deployflow.testsupport.VarsFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * deliver's step fixtures are what the jar writes: a delivery to a customer repository (deliver.json), and one
 * stopped by a conflict merging the release branch into develop (deliver-conflict.json).
 */
class DeliverFixturesIT {
    static final String SHOWN_URL = "https://git.example.org/customers/acme-stack.git";

    @TempDir
    Path tmp;

    @Test
    void aDeliveryAndAConflictAreWhatTheJarWrites() throws Exception {
        try (CustomerRepoFixture repo = CustomerRepoFixture.start(tmp.resolve("delivered"))) {
            DeliveryInputs inputs = new DeliveryInputs(tmp.resolve("in-delivered"), repo.url());
            VarsFixtures.Run run = VarsFixtures.jar(tmp, Map.of(), inputs.args());
            assertEquals(0, run.exitCode(), run.output());
            VarsFixtures.check("deliver.json", inputs.json, Map.of(repo.url(), SHOWN_URL, tmp.toString(), "/work"));
        }
        try (CustomerRepoFixture repo = CustomerRepoFixture.start(tmp.resolve("conflict"))) {
            repo.commitOnRemote("release/1.1.0", "develop", "docker-compose.yml",
                    CustomerRepoFixture.COMPOSE_DELIVERED.replace("1.2.0", "1.2.5"), "try 1.2.5");
            repo.commitOnRemote("develop", "develop", "docker-compose.yml",
                    CustomerRepoFixture.COMPOSE_DELIVERED.replace("1.2.0", "1.2.9"), "hand edit on develop");
            DeliveryInputs inputs = new DeliveryInputs(tmp.resolve("in-conflict"), repo.url());
            VarsFixtures.Run run = VarsFixtures.jar(tmp, Map.of(), inputs.args());
            assertEquals(1, run.exitCode(), run.output());
            VarsFixtures.check("deliver-conflict.json", inputs.json, Map.of(repo.url(), SHOWN_URL,
                    tmp.toString(), "/work"));
        }
    }
}
