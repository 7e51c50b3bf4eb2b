package io.deployflow.portainer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Portainer runs is what was tested. The stack in Portainer takes its terminology tag from its variable
 * TERM_TAG; the tested checkout keeps the new tag in the .env beside the compose file, where set-versions put it.
 */
class PortainerTestedImagesIT {
    static final String STACK_FILE = """
            services:
              gateway:
                image: registry.example.org/fhir/fhir-gateway:1.3.0
              terminology:
                image: registry.example.org/fhir/terminology:${TERM_TAG}
            """;

    @TempDir
    Path dir;
    FakePortainer portainer;
    FakePortainer.FakeStack stack;
    Path checkout;

    @BeforeEach
    void start() throws Exception {
        portainer = new FakePortainer();
        portainer.deployPolls = 0;
        portainer.endpoints.put(1, "acme-prod");
        stack = portainer.addStack(7, "acme-team-fhir-stack", 1, STACK_FILE, List.of(new EnvVar("TERM_TAG", "0.4.0")));
        checkout = Files.createDirectories(dir.resolve("customers/acme"));
        Files.writeString(checkout.resolve("docker-compose.yml"), STACK_FILE);
        Files.writeString(checkout.resolve(".env"), "TERM_TAG=0.4.1\n");
        Files.writeString(dir.resolve("plan.json"), """
                {"components":[{"name":"fhir-gateway","releaseVersion":"1.3.0"},
                               {"name":"terminology","releaseVersion":"0.4.1"}]}
                """);
        config("");
    }

    @AfterEach
    void stop() {
        portainer.close();
    }

    @Test
    void theEnvBesideTheComposeFileIsSentByDefault() throws Exception {
        Run run = run("portainer", "deploy", "--config", dir.resolve("deployflow.yaml").toString(), "--customer",
                "acme", "--file", checkout.resolve("docker-compose.yml").toString());

        assertEquals(0, run.code(), run.stderr());
        assertEquals(List.of(new EnvVar("TERM_TAG", "0.4.1")), stack.env, "Portainer now runs the tested tag");
    }

    @Test
    void theStacksOwnVariableIsRefusedWhenItIsNotTheTestedVersion() throws Exception {
        Files.delete(checkout.resolve(".env"));

        Run run = run("portainer", "deploy", "--config", dir.resolve("deployflow.yaml").toString(), "--customer",
                "acme", "--file", checkout.resolve("docker-compose.yml").toString(), "--plan",
                dir.resolve("plan.json").toString());

        assertEquals(2, run.code(), run.stderr());
        assertTrue(run.stderr().contains("registry.example.org/fhir/terminology:0.4.0 (registry.example.org/fhir/"
                + "terminology:${TERM_TAG} with TERM_TAG=0.4.0), but terminology was tested at 0.4.1"), run.stderr());
        assertTrue(run.stderr().contains("Portainer's own"), run.stderr());
        assertEquals(List.of(), portainer.writes(), "nothing was sent");
    }

    @Test
    void aConfiguredVariableThatChangesTheImageIsRefused() throws Exception {
        config("      env: {TERM_TAG: 0.3.9}\n");

        Run run = run("portainer", "deploy", "--config", dir.resolve("deployflow.yaml").toString(), "--customer",
                "acme", "--file", checkout.resolve("docker-compose.yml").toString(), "--plan",
                dir.resolve("plan.json").toString());

        assertEquals(2, run.code(), run.stderr());
        assertTrue(run.stderr().contains("TERM_TAG=0.3.9"), run.stderr());
        assertEquals(List.of(), portainer.writes());
    }

    @Test
    void theTestedStackIsDeployedWithThePlanChecked() throws Exception {
        Run run = run("portainer", "deploy", "--config", dir.resolve("deployflow.yaml").toString(), "--customer",
                "acme", "--file", checkout.resolve("docker-compose.yml").toString(), "--plan",
                dir.resolve("plan.json").toString());

        assertEquals(0, run.code(), run.stderr());
        assertEquals(List.of(new EnvVar("TERM_TAG", "0.4.1")), stack.env);
    }

    private void config(String portainerExtra) throws Exception {
        Files.writeString(dir.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Dev One, emails: [dev1@example.org]}]
                components:
                  - {name: fhir-gateway, repo: /r/gw, image: registry.example.org/fhir/fhir-gateway}
                  - {name: terminology, repo: /r/term, image: registry.example.org/fhir/terminology}
                customers:
                  - name: acme
                    repo: https://git.example.org/customers/acme-stack.git
                    portainer:
                      url: %s
                      endpoint: acme-prod
                      stack: acme-team-fhir-stack
                      waitSeconds: 20
                %s""".formatted(portainer.url(), portainerExtra));
    }

    record Run(int code, String stderr) {
    }

    private Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", System.getProperty("deployflow.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PORTAINER_"));
        builder.environment().put("PORTAINER_API_KEY", FakePortainer.API_KEY);
        builder.environment().put("DEPLOYFLOW_AUDIT_LOG", dir.resolve("audit.jsonl").toString());
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = builder.redirectErrorStream(false).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish");
        return new Run(process.exitValue(), Files.readString(err));
    }
}
