package io.deployflow.config;

import io.deployflow.core.BadInputException;
import io.deployflow.core.InputProblemsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final String MINIMAL = """
            team:
              - id: dev1
                name: Developer One
                emails: [dev1@example.org, Dev1@Users.Noreply.example.org]
              - id: dev2
                emails: dev2@example.org
            components:
              - name: fhir-gateway
                repo: https://git.example.org/fhir/fhir-gateway.git
                image: registry.example.org/fhir/fhir-gateway
            customers:
              - name: acme
                repo: https://git.example.org/customers/acme-stack.git
            """;

    @TempDir
    Path dir;

    private DeployflowConfig load(String yaml) throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }

    private BadInputException refused(String yaml) {
        return assertThrows(BadInputException.class, () -> load(yaml));
    }

    @Test
    void bundledExampleIsValid() {
        Path example = Path.of(System.getProperty("deployflow.projectDir", "."), "examples", "deployflow.yaml");
        DeployflowConfig config = ConfigLoader.load(example);
        assertEquals(3, config.team().size());
        assertEquals("acme-team-fhir-stack", config.customer("acme").portainer().stack());
        assertEquals(LocalDate.of(2026, 12, 21), config.meeting().away().get(0).from());
        assertEquals("https://jira.example.org/browse/FHIR-1", config.releaseNotes().linkFor("FHIR-1"));
        assertEquals(ReleaseRules.defaults(), config.meeting().releaseRules(), "the example spells out the default");
    }

    @Test
    void defaultsApply() throws IOException {
        DeployflowConfig config = load(MINIMAL);
        var component = config.component("fhir-gateway");
        assertEquals("develop", component.developBranch());
        assertEquals("v", component.tagPrefix());
        assertEquals("v1.3.0", component.tagFor("1.3.0"));
        assertEquals("README.md", component.readme());
        var customer = config.customer("acme");
        assertEquals("docker-compose.yml", customer.composeFile());
        assertEquals("main", customer.mainBranch());
        assertNull(customer.portainer());
        assertEquals("Developer One", config.team().get(0).name());
        assertEquals("dev2", config.team().get(1).name(), "name defaults to the id");
        assertEquals(7, config.meeting().cadenceDays());
    }

    @Test
    void emailsMatchCaseInsensitively() throws IOException {
        DeployflowConfig config = load(MINIMAL);
        assertEquals("dev1", config.memberByEmail("DEV1@users.noreply.example.org").orElseThrow().id());
        assertTrue(config.memberByEmail("stranger@example.org").isEmpty());
    }

    @Test
    void malformedYamlNamesTheLine() {
        BadInputException e = refused(MINIMAL.replace("fhir-gateway.git\n", "fhir-gateway.git: oops\n"));
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("malformed YAML"), e.getMessage());
        assertTrue(e.getMessage().contains("deployflow.yaml:9"), e.getMessage());
    }

    @Test
    void missingFieldIsNamedWithItsPath() {
        BadInputException e = refused(MINIMAL.replace("    repo: https://git.example.org/fhir/fhir-gateway.git\n", ""));
        assertEquals("components[0].repo", e.field());
        assertEquals(8, e.line(), "the line where the component starts");
        assertTrue(e.getMessage().contains("missing required field 'repo'"), e.getMessage());
    }

    @Test
    void unknownKeySuggestsTheNearest() {
        BadInputException e = refused(MINIMAL.replace("    image:", "    tagPrefx: v\n    image:"));
        assertEquals("components[0].tagPrefx", e.field());
        assertEquals(10, e.line());
        assertTrue(e.getMessage().contains("did you mean 'tagPrefix'?"), e.getMessage());
    }

    @Test
    void unknownTopLevelKeyIsRefused() {
        BadInputException e = refused(MINIMAL + "customer: []\n");
        assertTrue(e.getMessage().contains("did you mean 'customers'?"), e.getMessage());
    }

    @Test
    void badTagPrefixesAreRefused() throws IOException {
        for (String prefix : new String[] {"v1", "release.", "-v", "/v", "v v", "1"}) {
            BadInputException e = refused(MINIMAL.replace("    image:", "    tagPrefix: '" + prefix + "'\n    image:"));
            assertEquals("components[0].tagPrefix", e.field(), prefix);
        }
        for (String prefix : new String[] {"", "v", "release-", "gateway/v", "R_"}) {
            assertEquals(prefix, load(MINIMAL.replace("    image:", "    tagPrefix: '" + prefix + "'\n    image:"))
                    .component("fhir-gateway").tagPrefix());
        }
    }

    @Test
    void imageWithTagIsRefused() {
        BadInputException e = refused(MINIMAL.replace("fhir/fhir-gateway\n", "fhir/fhir-gateway:1.0\n"));
        assertEquals("components[0].image", e.field());
    }

    @Test
    void duplicateNamesAndSharedEmailsAreRefused() {
        String twice = MINIMAL.replace("customers:", """
                  - name: fhir-gateway
                    repo: x
                customers:""");
        assertTrue(refused(twice).getMessage().contains("duplicate name 'fhir-gateway'"));
        String shared = MINIMAL.replace("emails: dev2@example.org", "emails: dev1@example.org");
        BadInputException e = refused(shared);
        assertEquals("team[1].emails", e.field());
    }

    @Test
    void referencesToPeopleMustResolve() {
        BadInputException pin = refused(MINIMAL + "meeting: {pins: {acme: nobody}}\n");
        assertEquals("meeting.pins.acme", pin.field());
        BadInputException pinCustomer = refused(MINIMAL + "meeting: {pins: {globex: dev1}}\n");
        assertTrue(pinCustomer.getMessage().contains("unknown customer 'globex'"));
        BadInputException decider = refused(MINIMAL + "decision: {deciders: [dev1, boss]}\n");
        assertTrue(decider.getMessage().contains("decider 'boss' is not on the team"));
        BadInputException away = refused(MINIMAL + "meeting: {away: [{id: ghost, from: 2026-01-01, until: 2026-01-02}]}\n");
        assertEquals("meeting.away[0].id", away.field());
    }

    @Test
    void badValuesNameTheirField() {
        assertEquals("meeting.rotationStart", refused(MINIMAL + "meeting: {rotationStart: 05.01.2026}\n").field());
        assertEquals("meeting.cadenceDays", refused(MINIMAL + "meeting: {cadenceDays: 0}\n").field());
        assertEquals("meeting.away[0].until",
                refused(MINIMAL + "meeting: {away: [{id: dev1, from: 2026-01-05, until: 2026-01-01}]}\n").field());
        assertEquals("releaseNotes.ticketUrl",
                refused(MINIMAL + "releaseNotes: {ticketUrl: https://jira/browse/}\n").field());
        assertEquals("releaseNotes.ticketPattern", refused(MINIMAL + "releaseNotes: {ticketPattern: '[A-'}\n").field());
        assertEquals("team[0].emails[0]", refused(MINIMAL.replace("dev1@example.org,", "not-an-email,")).field());
        assertEquals("customers[1].portainer.prune", refused(MINIMAL + """
                  - name: globex
                    repo: r
                    portainer: {url: 'https://p', endpoint: e, stack: s, prune: sometimes}
                """).field());
    }

    @Test
    void emptyAndNonMappingFilesAreRefused() {
        assertTrue(refused("").getMessage().contains("empty"));
        assertTrue(refused("- just\n- a list\n").getMessage().contains("must be a mapping"));
        BadInputException noTeam = refused("components: []\n");
        assertEquals("team", noTeam.field());
    }

    @Test
    void missingFileIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigLoader.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("config file not found"));
    }

    @Test
    void unknownComponentSuggestsTheNearest() throws IOException {
        DeployflowConfig config = load(MINIMAL);
        BadInputException e = assertThrows(BadInputException.class, () -> config.component("fhir-gatway"));
        assertTrue(e.getMessage().contains("did you mean 'fhir-gateway'?"), e.getMessage());
        assertFalse(config.componentForImage("registry.example.org/fhir/other", "web").isPresent());
    }

    @Test
    void everyProblemOfTheFileIsReportedInFileOrder() {
        String yaml = """
                team:
                  - id: dev1
                    emails: [dev1@example.org]
                    role: lead
                  - id: dev2
                    emails: [not-an-email]
                components:
                  - name: fhir-gateway
                    repo: https://git.example.org/fhir/fhir-gateway.git
                    tagPrefx: v
                    image: registry.example.org/fhir/fhir-gateway:1.0
                  - name: terminology
                customers:
                  - name: acme
                    repo: r
                    portainer: {url: 'https://p', endpoint: e, stack: s, prune: sometimes}
                meeting:
                  cadenceDays: 0
                  pins: {acme: nobody}
                decision: {deciders: [dev1, boss]}
                """;
        InputProblemsException e = assertThrows(InputProblemsException.class, () -> load(yaml));
        List<String> where = e.problems().stream().map(p -> p.line() + " " + p.field()).toList();
        assertEquals(List.of(
                "4 team[0].role",
                "6 team[1].emails[0]",
                "10 components[0].tagPrefx",
                "11 components[0].image",
                "12 components[1].repo",
                "16 customers[0].portainer.prune",
                "18 meeting.cadenceDays",
                "19 meeting.pins.acme",
                "20 decision.deciders[1]"), where, e.getMessage());
        String file = dir.resolve("deployflow.yaml").toString();
        assertEquals(file + ":4: team[0].role: unknown key 'role'; did you mean 'roles'? Valid keys: id, name,"
                + " emails, roles", e.problems().get(0).getMessage(), "each problem reads as it did alone");
        assertEquals(e.problems().size(), e.getMessage().lines().count(), "one line per problem");
        assertEquals(4, e.line(), "the exception as a whole points at the first problem");
    }

    @Test
    void everyUnknownKeyIsReportedNotOnlyTheLast() {
        InputProblemsException e = assertThrows(InputProblemsException.class, () -> load(MINIMAL
                .replace("    image:", "    tagPrefx: v\n    imgae: x\n    image:")
                .replace("customers:", "releaseNote: {}\ncustomers:")));
        assertEquals(List.of("components[0].tagPrefx", "components[0].imgae", "releaseNote"),
                e.problems().stream().map(BadInputException::field).toList());
        assertEquals(List.of(10, 11, 13), e.problems().stream().map(BadInputException::line).toList());
    }

    @Test
    void aProblemInOneItemDoesNotHideTheNext() {
        String yaml = MINIMAL + """
                  - name: globex
                    repo: https://git.example.org/customers/globex.git
                    portainer: {url: 'ftp://p', endpoint: e, stack: s}
                  - name: initech
                meeting:
                  pins: {globex: dev1}
                  away:
                    - {id: dev1, from: 2026-01-05, until: 2026-01-01}
                    - {id: ghost, from: 2026-01-05, until: 2026-01-06}
                """;
        InputProblemsException e = assertThrows(InputProblemsException.class, () -> load(yaml));
        assertEquals(List.of("customers[1].portainer.url", "customers[2].repo", "meeting.away[0].until",
                        "meeting.away[1].id"),
                e.problems().stream().map(BadInputException::field).toList(),
                "a pin of a customer that has its own problem is not reported as unknown: " + e.getMessage());
    }

    @Test
    void anEmptyTeamIsReportedAsEmptyOnItsOwnLine() {
        String yaml = "components: []\nteam: []\n";
        BadInputException e = refused(yaml);
        assertEquals(2, e.line());
        assertEquals("team", e.field());
        assertEquals(dir.resolve("deployflow.yaml") + ":2: team: is empty; the release meeting needs at least one"
                + " person", e.getMessage());
        assertEquals(3, refused("components: []\n\nteam:\n").line(), "'team:' with nothing is empty too");
        BadInputException emails = refused(MINIMAL.replace("emails: dev2@example.org", "emails: []"));
        assertEquals("team[1].emails", emails.field());
        assertTrue(emails.getMessage().endsWith("is empty; git authors are matched to people through them"),
                emails.getMessage());
    }

    @Test
    void aSingleProblemIsThrownExactlyAsBefore() {
        BadInputException e = refused(MINIMAL.replace("    image:", "    tagPrefx: v\n    image:"));
        assertEquals(BadInputException.class, e.getClass(), "not wrapped when it is alone");
        assertEquals(dir.resolve("deployflow.yaml") + ":10: components[0].tagPrefx: unknown key 'tagPrefx'; did"
                + " you mean 'tagPrefix'? Valid keys: name, repo, developBranch, tagPrefix, image, readme, services,"
                + " release, releaseWaitMinutes, credentials",
                e.getMessage());
    }

    @Test
    void duplicatesAreReportedWithTheEarlierItem() {
        InputProblemsException e = assertThrows(InputProblemsException.class, () -> load(MINIMAL
                .replace("customers:", "  - name: fhir-gateway\n    repo: x\ncustomers:")
                .replace("emails: dev2@example.org", "emails: DEV1@example.org")));
        assertEquals(List.of("team[1].emails", "components[1].name"),
                e.problems().stream().map(BadInputException::field).toList());
        assertTrue(e.problems().get(1).getMessage().endsWith("duplicate name 'fhir-gateway', already used by"
                + " components[0]"), e.getMessage());
    }

    @Test
    void componentsSharingAnImageMustEachListTheirServices() throws IOException {
        String shared = MINIMAL.replace("customers:", """
                  - name: fhir-gateway-admin
                    repo: https://git.example.org/fhir/admin.git
                    image: registry.example.org/fhir/fhir-gateway
                    services: [admin]
                customers:""");
        BadInputException e = refused(shared);
        assertEquals("components[0].image", e.field());
        assertTrue(e.getMessage().endsWith("'registry.example.org/fhir/fhir-gateway' is the image of components[1]"
                + " too; list the compose services each one runs as under 'services'"), e.getMessage());

        DeployflowConfig config = load(shared.replace("    image: registry.example.org/fhir/fhir-gateway\ncustomers",
                "    image: registry.example.org/fhir/fhir-gateway\ncustomers").replace(
                "fhir/fhir-gateway\n  - name: fhir-gateway-admin", "fhir/fhir-gateway\n    services: [gateway]\n"
                        + "  - name: fhir-gateway-admin"));
        assertEquals("fhir-gateway-admin", config.componentForImage("registry.example.org/fhir/fhir-gateway", "admin")
                .orElseThrow().name());
        assertEquals("fhir-gateway", config.componentForImage("registry.example.org/fhir/fhir-gateway", "gateway")
                .orElseThrow().name());
        assertTrue(config.componentForImage("registry.example.org/fhir/fhir-gateway", "other").isEmpty());
    }

    @Test
    void aServiceListedTwiceForOneImageAnEmptyListAndABadNameAreRefused() {
        String twice = MINIMAL.replace("fhir/fhir-gateway\n", "fhir/fhir-gateway\n    services: [gateway, admin]\n")
                .replace("customers:", """
                  - {name: admin, repo: r, image: registry.example.org/fhir/fhir-gateway, services: [admin]}
                customers:""");
        BadInputException e = refused(twice);
        assertEquals("components[1].services[0]", e.field());
        assertTrue(e.getMessage().endsWith("service 'admin' is also listed by components[0], which has the same"
                + " image"), e.getMessage());
        assertTrue(refused(MINIMAL.replace("fhir/fhir-gateway\n", "fhir/fhir-gateway\n    services: []\n"))
                .getMessage().endsWith("components[0].services: is empty; leave it out to mean every service that"
                        + " runs the image"));
        assertEquals("components[0].services", refused(MINIMAL.replace("fhir/fhir-gateway\n",
                "fhir/fhir-gateway\n    services: ['web app']\n")).field());
    }

    @Test
    void aKeyWrittenTwiceIsRefusedNamingBothLines() {
        InputProblemsException e = assertThrows(InputProblemsException.class, () -> load(MINIMAL
                .replace("    image: registry", "    repo: https://elsewhere.example.org/x.git\n    image: registry")
                + "meeting: {pins: {acme: dev1, acme: dev2}}\n"));
        assertEquals(List.of(dir.resolve("deployflow.yaml") + ":10: components[0].repo: 'repo' is written twice; the"
                        + " first is at line 9",
                dir.resolve("deployflow.yaml") + ":15: meeting.pins.acme: 'acme' is written twice; the first is at"
                        + " line 15"), e.problems().stream().map(BadInputException::getMessage).toList());
    }

    @Test
    void releaseRulesDefaultToSemanticReleasesAndAreChecked() throws IOException {
        ReleaseRules defaults = load(MINIMAL).meeting().releaseRules();
        assertEquals("minor", defaults.bumpFor("feat", false));
        assertEquals("patch", defaults.bumpFor("FIX", false));
        assertEquals("none", defaults.bumpFor("docs", false));
        assertEquals("none", defaults.bumpFor(null, false));
        assertEquals("major", defaults.bumpFor("docs", true));

        ReleaseRules team = load(MINIMAL + "meeting: {releaseRules: {feat: minor, Docs: Patch, '*': patch}}\n")
                .meeting().releaseRules();
        assertEquals("patch", team.bumpFor("docs", false));
        assertEquals("patch", team.bumpFor(null, false));

        InputProblemsException e = assertThrows(InputProblemsException.class, () -> load(MINIMAL
                + "meeting:\n  releaseRules: {feat: minor, fix: small, 'fix-ups': patch}\n"));
        assertEquals(List.of("meeting.releaseRules.fix", "meeting.releaseRules.fix-ups"),
                e.problems().stream().map(BadInputException::field).toList());
        assertTrue(e.problems().get(0).getMessage().endsWith("must be major, minor, patch or none, not 'small'"),
                e.getMessage());
        assertTrue(refused(MINIMAL + "meeting: {releaseRules: {}}\n").getMessage()
                .contains("meeting.releaseRules: is empty, so only breaking changes would make a release"));
    }
}
