package io.deployflow.release.notes;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A config and a plan as release-meeting writes them, with the cases the notes must handle. */
final class NotesFixture {
    static final String CONFIG = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
              - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
            components:
              - {name: fhir-gateway, repo: file:///r/gw, image: registry.example.org/fhir/fhir-gateway}
              - {name: terminology, repo: file:///r/term, image: registry.example.org/fhir/terminology}
              - {name: audit, repo: file:///r/audit, image: registry.example.org/fhir/audit}
              - {name: consent, repo: file:///r/consent, image: registry.example.org/fhir/consent}
            customers:
              - {name: acme, repo: file:///r/acme}
            releaseNotes:
              title: FHIR & friends <release>
              ticketPattern: '\\b(FHIR|OPS)-[0-9]+\\b'
              ticketUrl: https://jira.example.org/browse/{key}
              knownIssues:
                - "FHIR-88: $everything on very large patients can <time out>"
            """;

    static final String PLAN = """
            {"meetingDate":"2026-11-23",
             "components":[
              {"name":"fhir-gateway","image":"registry.example.org/fhir/fhir-gateway","hasChanges":true,
               "lastRelease":"1.2.0","nextVersion":"2.0.0","releaseVersion":"2.0.0",
               "repoPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org","known":true},
               "changes":[
                {"sha":"aaaaaaa1111","subject":"feat(api): add $everything for FHIR-12","type":"feat","breaking":false,
                 "tickets":["FHIR-12","OPS-3"]},
                {"sha":"bbbbbbb2222","subject":"fix: null_pointer in *search* <script>alert('x')</script>",
                 "type":"fix","breaking":false,"tickets":[]},
                {"sha":"ccccccc3333","subject":"refactor!: drop STU3","type":"refactor","breaking":true,"tickets":[]},
                {"sha":"ddddddd4444","subject":"Update README","type":null,"breaking":false,"tickets":[]}]},
              {"name":"terminology","image":"registry.example.org/fhir/terminology","hasChanges":false,
               "lastRelease":"2.0.1","nextVersion":null,"releaseVersion":"2.0.1","repoPerson":null,"changes":[]},
              {"name":"audit","image":"registry.example.org/fhir/audit","hasChanges":true,
               "lastRelease":null,"nextVersion":"0.1.0","releaseVersion":"0.1.0",
               "repoPerson":{"id":null,"name":"Outside Helper","email":"helper@elsewhere.example","known":false},
               "changes":[{"sha":"eeeeeee5555","subject":"fix: start","type":"fix","breaking":false,"tickets":[]}]},
              {"name":"consent","image":"registry.example.org/fhir/consent","hasChanges":false,
               "lastRelease":null,"nextVersion":null,"releaseVersion":null,"repoPerson":null,"changes":[]}],
             "customers":[{"name":"acme","dcPerson":{"id":"dev1","name":"Developer One","email":"dev1@example.org"},
               "rule":"rotation"}]}
            """;

    private NotesFixture() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DeployflowConfig config(Path dir, String yaml) {
        return ConfigLoader.load(write(dir, "deployflow.yaml", yaml));
    }
}
