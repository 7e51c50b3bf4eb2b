package io.deployflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared {@code --config} / {@code --customer} options: the same refusals, exit codes and names everywhere. */
class ConfigOptionTest {
    private static final String COMPOSE = "services:\n  gateway:\n    image: 127.0.0.1:5000/fhir/gateway:1.2.0\n";

    @TempDir
    Path dir;

    /** Every command that reads deployflow.yaml needs it, and says so in picocli's words with exit 2. */
    @ParameterizedTest
    @ValueSource(strings = {"validate", "release-meeting", "verify-release --component gateway",
            "release-notes --plan p.json --out n.md", "config show", "decision --choice retry --by dev1 --reason r",
            "compose set-versions --customer acme --set gateway=1.3.0", "deliver --customer acme --plan p --file f",
            "portainer deploy --customer acme --file f", "portainer rollback --customer acme",
            "release tag --component gateway --plan p", "release check --component gateway --plan p",
            "approval open --task t", "approval check --task t --answer approve", "approval status --task t",
            "ledger verify", "ledger history", "ledger dora", "notify --subject s",
            "promote start --service s --version 1.0.0 --to uat", "promote environments",
            "promote evidence --kind training --service s --version 1.0.0", "hotfix status --issue FHIR-1",
            "bluegreen deploy --target portal", "bluegreen status --target portal"})
    void withoutConfigEveryCommandIsBadInput(String command) {
        CliRun run = CliRun.of(command.split(" "));

        assertEquals(2, run.exitCode(), command + ": " + run.err());
        assertTrue(run.err().contains("Missing required option") && run.err().contains("'--config=FILE'"),
                command + ": " + run.err());
    }

    /** An unknown customer is refused before any file, repository or Portainer is touched. */
    @ParameterizedTest
    @ValueSource(strings = {"compose set-versions --set gateway=1.3.0 --file {compose}",
            "deliver --plan {dir}/plan.json --file {compose}", "portainer deploy --file {compose}",
            "portainer rollback"})
    void anUnknownCustomerIsBadInputNamingTheConfigAndTheNearestName(String command) throws IOException {
        Path config = Files.writeString(dir.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
                components: [{name: gateway, repo: 'file:///nowhere/gateway', image: 127.0.0.1:5000/fhir/gateway}]
                customers: [{name: acme, repo: 'file:///nowhere/acme'}]
                """);
        Path compose = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
        List<String> args = new ArrayList<>(Arrays.asList(command.replace("{compose}", compose.toString())
                .replace("{dir}", dir.toString()).split(" ")));
        args.addAll(List.of("--config", config.toString(), "--customer", "acem"));

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(config + ": customer: unknown customer 'acem'; did you mean 'acme'? Known: acme"),
                run.err());
        assertTrue(run.err().contains("Nothing was changed."), run.err());
        assertEquals(COMPOSE, Files.readString(compose));
        assertFalse(Files.exists(dir.resolve(".deployflow")), "no state written");
    }

    @Test
    void withoutCustomerACustomerCommandIsBadInput() throws IOException {
        CliRun run = CliRun.of("deliver", "--config", dir.resolve("deployflow.yaml").toString(), "--plan", "p",
                "--file", "f");

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("Missing required option: '--customer=NAME'"), run.err());
    }
}
