package io.deployflow.compose;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A config with three components and helpers to write and read files byte for byte. */
final class ComposeFixture {
    static final String CONFIG = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
              - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
            components:
              - {name: fhir-gateway, repo: file:///g, image: registry.example.org/fhir/fhir-gateway}
              - {name: terminology, repo: file:///t, image: localhost:5000/fhir/terminology}
              - {name: portal, repo: file:///p, image: registry.example.org/fhir/portal}
            customers:
              - {name: acme, repo: file:///acme, composeFile: docker-compose.yml, contacts: [ops@acme.example]}
            decision:
              deciders: [dev1]
            """;

    private ComposeFixture() {
    }

    static Path writeConfig(Path dir) {
        return write(dir.resolve("deployflow.yaml"), CONFIG);
    }

    static DeployflowConfig config(Path dir) {
        return ConfigLoader.load(writeConfig(dir));
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
