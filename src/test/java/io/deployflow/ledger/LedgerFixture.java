package io.deployflow.ledger;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A deployflow.yaml with a team, roles and a ledger section, written into a test's directory. */
public final class LedgerFixture {
    public static final String TEAM = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org], roles: [lead]}
              - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
              - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
            components:
              - {name: fhir-gateway, repo: 'file:///nowhere/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
            customers:
              - {name: acme, repo: 'file:///nowhere/acme'}
            """;

    private LedgerFixture() {
    }

    /** The team above plus {@code more} (approval, notify, ledger sections), loaded. */
    public static DeployflowConfig config(Path dir, String more) {
        try {
            Path file = dir.resolve("deployflow.yaml");
            Files.writeString(file, TEAM + more);
            return ConfigLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ledger with a fixed environment: the user who started the build, the build, no secrets. */
    public static Ledger ledger(DeployflowConfig config, Path cache, Map<String, String> env) {
        return Ledger.open(config, env, cache);
    }
}
