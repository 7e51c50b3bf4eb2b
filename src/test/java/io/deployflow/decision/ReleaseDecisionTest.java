package io.deployflow.decision;

import io.deployflow.compose.ComposeValidator;
import io.deployflow.compose.VersionSetter;
import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.git.RepoCache;
import io.deployflow.notify.Message;
import io.deployflow.testpeers.GitDaemonPeer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ReleaseDecisionTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T15:04:05.678Z"), ZoneOffset.UTC);
    static final String SMOKE = """
            {"baseUrl":"http://127.0.0.1:8080","passed":false,"routes":[
              {"name":"health","passed":true,"component":"fhir-gateway"},
              {"name":"patient-create","passed":false,"status":500,"component":"fhir-gateway",
               "repoPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org","known":true}},
              {"name":"patient-read","passed":false,"status":404,"component":"fhir-gateway",
               "repoPerson":{"id":"dev2","name":"Developer Two","email":"dev2@example.org","known":true}},
              {"name":"valueset-expand","passed":false,"status":null,"component":"terminology",
               "repoPerson":{"id":null,"name":"Outside Author","email":"x@y.example","known":false}},
              {"name":"metrics","passed":false,"status":503}
            ]}
            """;
    static final String COMPOSE = """
            # acme stack
            services:
              gateway:
                image: registry.example.org/fhir/fhir-gateway:1.3.0   # new
              terminology: {image: "localhost:5000/fhir/terminology:${TERMINOLOGY_VERSION:-1.0.0}"}
              portal:
                image: registry.example.org/fhir/portal:2.1.0
            """;

    @TempDir
    Path dir;

    private DeployflowConfig config(String deciders, String customerRepo) throws Exception {
        Path file = dir.resolve("process/deployflow.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                team:
                  - {id: dev1, name: Developer One, emails: [dev1@example.org]}
                  - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
                components:
                  - {name: fhir-gateway, repo: file:///g, image: registry.example.org/fhir/fhir-gateway}
                  - {name: terminology, repo: file:///t, image: localhost:5000/fhir/terminology}
                  - {name: portal, repo: file:///p, image: registry.example.org/fhir/portal}
                customers:
                  - {name: acme, repo: "%s", contacts: [ops@acme.example, cto@acme.example]}
                releaseNotes: {title: FHIR platform release}
                decision:
                  deciders: [%s]
                  retrospectiveDir: retros
                """.formatted(customerRepo, deciders));
        return ConfigLoader.load(file);
    }

    private DeployflowConfig config() throws Exception {
        return config("dev1", "file:///acme");
    }

    private ReleaseDecision decision(DeployflowConfig config, Supplier<ProductionVersions> production) {
        return new ReleaseDecision(config, new VersionSetter(config, ComposeValidator.NONE), production, CLOCK);
    }

    private static Supplier<ProductionVersions> noProduction() {
        return () -> {
            fail("only release-without may look at production");
            return null;
        };
    }

    private Path smoke() throws Exception {
        return Files.writeString(dir.resolve("smoke.json"), SMOKE);
    }

    private Path compose() throws Exception {
        return Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
    }

    @Test
    void retrySendsTheFailingComponentsBackToVerificationAndTellsTheirRepoPersons() throws Exception {
        Path compose = compose();
        DecisionRecord record = decision(config(), noProduction()).decide(new DecisionRequest("acme", Choice.RETRY,
                "dev1", "  gateway NPE, dev2 can fix it today ", List.of(), smoke(), compose, null));
        assertEquals("retry", record.choice());
        assertEquals("release-verification", record.next());
        assertEquals(List.of("fhir-gateway", "terminology"), record.verifyAgain());
        assertEquals(new DecisionRecord.Decider("dev1", "Developer One"), record.decidedBy());
        assertEquals("gateway NPE, dev2 can fix it today", record.reason());
        assertEquals("2026-11-23T15:04:05Z", record.timestamp());
        assertEquals(List.of("patient-create", "patient-read"), record.failing().get(0).failedRoutes());
        assertEquals("dev2", record.failing().get(0).repoPerson().id());
        assertFalse(record.failing().get(1).repoPerson().known());
        assertEquals(List.of("metrics"), record.unattributedRoutes());
        assertEquals(2, record.notifications().size());
        Message toDev2 = record.notifications().get(0);
        assertEquals(List.of("dev2@example.org"), toDev2.to());
        assertTrue(toDev2.subject().contains("fhir-gateway failed") && toDev2.subject().contains("retry"),
                toDev2.subject());
        assertTrue(toDev2.body().contains("patient-create, patient-read"), toDev2.body());
        assertTrue(toDev2.body().contains("back to release verification"), toDev2.body());
        assertEquals(List.of("x@y.example"), record.notifications().get(1).to());
        assertEquals(COMPOSE, Files.readString(compose));
        assertNull(record.retrospective());
    }

    @Test
    void releaseWithErrorProceedsAndChangesNothing() throws Exception {
        Path compose = compose();
        DecisionRecord record = decision(config(), noProduction()).decide(new DecisionRequest("acme",
                Choice.RELEASE_WITH_ERROR, "dev1", "known issue, documented", List.of("portal"), null, compose, null));
        assertEquals("portainer-deployment", record.next());
        assertEquals("portal", record.failing().get(0).component());
        assertEquals(List.of("no repo-person known for portal: nobody was told"), record.warnings());
        assertTrue(record.notifications().isEmpty());
        assertNull(record.reverted());
        assertEquals(COMPOSE, Files.readString(compose));
        assertFalse(Files.exists(dir.resolve("process/retros")));
    }

    @Test
    void releaseWithoutPutsProductionsVersionBackFromAGivenFile() throws Exception {
        Path compose = compose();
        Path prodDir = Files.createDirectories(dir.resolve("prod"));
        Path prod = Files.writeString(prodDir.resolve("docker-compose.yml"), """
                services:
                  gateway: {image: registry.example.org/fhir/fhir-gateway:1.2.0}
                  terminology: {image: "localhost:5000/fhir/terminology:${TV}"}
                """);
        Files.writeString(prodDir.resolve(".env"), "TV=0.9.1\n");
        VersionSetter setter = new VersionSetter(config(), ComposeValidator.NONE);
        DecisionRecord record = new ReleaseDecision(config(), setter, () -> ProductionVersions.fromFile(prod, setter),
                CLOCK).decide(new DecisionRequest("acme", Choice.RELEASE_WITHOUT, "dev1", "cannot fix today",
                List.of(), smoke(), compose, null));
        assertEquals(COMPOSE.replace("gateway:1.3.0", "gateway:1.2.0").replace(":-1.0.0}", ":-0.9.1}"),
                Files.readString(compose));
        assertEquals(List.of(new DecisionRecord.Revert("fhir-gateway", "1.3.0", "1.2.0"),
                new DecisionRecord.Revert("terminology", "1.0.0", "0.9.1")), record.reverted());
        assertEquals("portainer-deployment", record.next());
        assertEquals(List.of(compose.toString()), record.composeChange().filesChanged());
    }

    @Test
    void releaseWithoutReadsProductionFromTheCustomerRepositoryMainBranch() throws Exception {
        Path base = Files.createDirectories(dir.resolve("git"));
        Path work = base.resolve("acme-stack");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(work.resolve("stack"));
            Files.writeString(work.resolve("stack/docker-compose.yml"),
                    "services:\n  gateway: {image: \"registry.example.org/fhir/fhir-gateway:${GW}\"}\n");
            Files.writeString(work.resolve("stack/.env"), "GW=1.1.7\n");
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("dev3", "dev3@example.org");
            git.commit().setMessage("release 1").setAuthor(who).setCommitter(who).call();
            git.checkout().setCreateBranch(true).setName("develop").call();
            Files.writeString(work.resolve("stack/.env"), "GW=1.3.0\n");
            git.commit().setAll(true).setMessage("next").setAuthor(who).setCommitter(who).call();
        }
        try (GitDaemonPeer daemon = GitDaemonPeer.start(base)) {
            Path file = dir.resolve("process/deployflow.yaml");
            config("dev1", daemon.url("acme-stack"));
            Files.writeString(file, Files.readString(file).replace("contacts:", "composeFile: stack/docker-compose.yml,"
                    + " contacts:"));
            DeployflowConfig config = ConfigLoader.load(file);
            VersionSetter setter = new VersionSetter(config, ComposeValidator.NONE);
            RepoCache cache = new RepoCache(dir.resolve("cache"));
            Path compose = compose();
            DecisionRecord record = new ReleaseDecision(config, setter,
                    () -> ProductionVersions.fromRepository(cache, setter), CLOCK)
                    .decide(new DecisionRequest("acme", Choice.RELEASE_WITHOUT, "dev1", "gateway broken",
                            List.of("fhir-gateway"), null, compose, null));
            assertEquals(List.of(new DecisionRecord.Revert("fhir-gateway", "1.3.0", "1.1.7")), record.reverted());
            assertEquals(COMPOSE.replace("gateway:1.3.0", "gateway:1.1.7"), Files.readString(compose));
        }
    }

    @Test
    void releaseWithoutRefusesAComponentProductionDoesNotRun() throws Exception {
        Path compose = compose();
        BadInputException e = assertThrows(BadInputException.class, () -> decision(config(),
                () -> customer -> Map.of("fhir-gateway", "1.2.0")).decide(new DecisionRequest("acme",
                Choice.RELEASE_WITHOUT, "dev1", "x", List.of("fhir-gateway", "portal"), null, compose, null)));
        assertTrue(e.getMessage().contains("portal has no version in acme's production compose"), e.getMessage());
        assertEquals(COMPOSE, Files.readString(compose));
    }

    @Test
    void doNotReleaseWritesARetrospectiveAndTellsTheCustomer() throws Exception {
        DeployflowConfig config = config();
        DecisionRecord record = decision(config, noProduction()).decide(new DecisionRequest("acme",
                Choice.DO_NOT_RELEASE, "dev1", "cause not found by end of day", List.of(), smoke(), null, null));
        assertEquals("stop", record.next());
        Path retro = dir.resolve("process/retros/2026-11-23-acme-not-released.md");
        assertEquals(retro.toString(), record.retrospective());
        String text = Files.readString(retro);
        assertTrue(text.startsWith("# Retrospective: release not delivered to acme (2026-11-23)"), text);
        assertTrue(text.contains("- **fhir-gateway**, repo-person Developer Two <dev2@example.org>: routes"
                + " patient-create, patient-read"), text);
        assertTrue(text.contains("- routes with no component: metrics"), text);
        assertTrue(text.contains("- Decided by: Developer One (dev1)"), text);
        assertTrue(text.contains("- Why: cause not found by end of day"), text);
        assertTrue(text.contains("## What went wrong") && text.contains("## How do we avoid it next time"), text);
        assertFalse(text.contains("{{"), text);
        Message customer = record.notifications().get(record.notifications().size() - 1);
        assertEquals(List.of("ops@acme.example", "cto@acme.example"), customer.to());
        assertEquals("FHIR platform release: the release for acme is postponed", customer.subject());
        assertFalse(customer.body().contains("cause not found"), "internal reasons stay internal");

        DecisionRecord again = decision(config, noProduction()).decide(new DecisionRequest("acme",
                Choice.DO_NOT_RELEASE, "dev1", "second thoughts", List.of("portal"), null, null, null));
        assertEquals(dir.resolve("process/retros/2026-11-23-acme-not-released-2.md").toString(),
                again.retrospective());
        assertEquals(text, Files.readString(retro), "an earlier retrospective is never overwritten");
    }

    @Test
    void anyTeamMemberDecidesWhenNoDecidersAreConfigured() throws Exception {
        DeployflowConfig config = config("", "file:///acme");
        DecisionRecord record = decision(config, noProduction()).decide(new DecisionRequest("acme",
                Choice.RELEASE_WITH_ERROR, "dev2", "fine", List.of(), null, null, null));
        assertEquals("dev2", record.decidedBy().id());
        BadInputException e = assertThrows(BadInputException.class, () -> decision(config, noProduction())
                .decide(new DecisionRequest("acme", Choice.RELEASE_WITH_ERROR, "mallory", "x", List.of(), null,
                        null, null)));
        assertTrue(e.getMessage().contains("mallory may not decide: not on the team"), e.getMessage());
    }

    @Test
    void refusalsNameTheProblemAndWriteNothing() throws Exception {
        DeployflowConfig config = config();
        Path compose = compose();
        Path smoke = smoke();
        Map<DecisionRequest, String> cases = Map.of(
                new DecisionRequest("acme", Choice.DO_NOT_RELEASE, "dev2", "x", List.of(), smoke, null, null),
                "dev2 may not decide: deciders are dev1",
                new DecisionRequest("acme", Choice.DO_NOT_RELEASE, "dev1", "   ", List.of(), smoke, null, null),
                "a decision needs a reason",
                new DecisionRequest("acme", Choice.RELEASE_WITHOUT, "dev1", "x", List.of("fhir-gatewy"), null,
                        compose, null), "unknown component 'fhir-gatewy'; did you mean 'fhir-gateway'?",
                new DecisionRequest("acme", Choice.RETRY, "dev1", "x", List.of(), null, null, null),
                "retry needs the failing component",
                new DecisionRequest("acm", Choice.RETRY, "dev1", "x", List.of("portal"), null, null, null),
                "unknown customer 'acm'");
        cases.forEach((request, expected) -> {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> decision(config, noProduction()).decide(request));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        });
        Path badSmoke = Files.writeString(dir.resolve("bad-smoke.json"),
                SMOKE.replace("\"terminology\"", "\"termnology\""));
        BadInputException e = assertThrows(BadInputException.class, () -> decision(config, noProduction())
                .decide(new DecisionRequest("acme", Choice.DO_NOT_RELEASE, "dev1", "x", List.of(), badSmoke, null, null)));
        assertTrue(e.getMessage().startsWith(badSmoke + ": routes[].component:"), e.getMessage());
        assertEquals(COMPOSE, Files.readString(compose));
        assertFalse(Files.exists(dir.resolve("process/retros")));
    }

    static final String PLAN = "{\"meetingDate\":\"2026-11-23\",\"components\":["
            + "{\"name\":\"fhir-gateway\",\"hasChanges\":true,\"lastRelease\":\"1.2.0\",\"nextVersion\":\"1.3.0\","
            + "\"releaseVersion\":\"1.3.0\",\"repoPerson\":{\"id\":\"dev2\",\"name\":\"Developer Two\","
            + "\"email\":\"dev2@example.org\",\"known\":true},\"changes\":[]},"
            + "{\"name\":\"terminology\",\"hasChanges\":true,\"lastRelease\":null,\"nextVersion\":\"0.1.0\","
            + "\"releaseVersion\":\"0.1.0\",\"changes\":[]},"
            + "{\"name\":\"portal\",\"hasChanges\":false,\"lastRelease\":\"2.1.0\",\"releaseVersion\":\"2.1.0\","
            + "\"changes\":[],\"custom\":\"kept\"}],\"customers\":[]}";

    private Path plan() throws Exception {
        return Files.writeString(dir.resolve("plan.json"), PLAN);
    }

    @Test
    void releaseWithoutForACustomerGivesThePlanThatGoesOnWithTheHeldBackComponent() throws Exception {
        Path compose = compose();
        Path plan = plan();
        DecisionRecord record = decision(config(), () -> customer -> Map.of("fhir-gateway", "1.2.0"))
                .decide(new DecisionRequest("acme", Choice.RELEASE_WITHOUT, "dev1", "NPE in paging",
                        List.of("fhir-gateway"), null, compose, plan));

        var gateway = record.planAfter().get("components").get(0);
        assertFalse(gateway.get("hasChanges").asBoolean());
        assertEquals("1.2.0", gateway.get("releaseVersion").asText());
        assertEquals("1.3.0", gateway.at("/heldBack/plannedVersion").asText());
        assertEquals("1.2.0", gateway.at("/heldBack/keptAt").asText());
        assertEquals("NPE in paging", gateway.at("/heldBack/reason").asText());
        assertEquals("acme", gateway.at("/heldBack/customer").asText());
        assertEquals("Developer One", gateway.at("/heldBack/decidedBy/name").asText());
        assertEquals("2026-11-23T15:04:05Z", gateway.at("/heldBack/decidedAt").asText());
        assertEquals("kept", record.planAfter().get("components").get(2).get("custom").asText(), "other fields stay");
        assertEquals(PLAN, Files.readString(plan), "the plan read is not changed");
        assertEquals("UNSTABLE", record.buildResult());
        assertEquals("acme: released without fhir-gateway (stays at 1.2.0), decided by dev1: NPE in paging",
                record.summary());
    }

    @Test
    void releaseWithErrorMarksTheComponentsKnownError() throws Exception {
        DecisionRecord record = decision(config(), noProduction()).decide(new DecisionRequest("acme",
                Choice.RELEASE_WITH_ERROR, "dev1", "slow, documented", List.of(), smoke(), null, plan()));

        var gateway = record.planAfter().get("components").get(0);
        assertTrue(gateway.get("hasChanges").asBoolean());
        assertEquals("slow, documented", gateway.at("/knownError/reason").asText());
        assertEquals("patient-create", gateway.at("/knownError/failedRoutes/0").asText());
        assertEquals("UNSTABLE", record.buildResult());
    }

    @Test
    void aDecisionForTheReleaseAsAWholeKeepsTheComponentAtItsLastRelease() throws Exception {
        DecisionRecord record = decision(config(), noProduction()).decide(new DecisionRequest(null,
                Choice.RELEASE_WITHOUT, "dev1", "the image never appeared", List.of("fhir-gateway"), null, null,
                plan()));

        assertNull(record.customer());
        assertEquals(List.of(new DecisionRecord.Revert("fhir-gateway", "1.3.0", "1.2.0")), record.reverted());
        assertNull(record.composeChange());
        var gateway = record.planAfter().get("components").get(0);
        assertEquals("1.2.0", gateway.get("releaseVersion").asText());
        assertFalse(gateway.at("/heldBack").has("customer"));
        assertEquals("dev2", record.failing().get(0).repoPerson().id(), "the plan names the repo-person");
        assertTrue(record.notifications().get(0).body().contains("fhir-gateway failed its release"),
                record.notifications().get(0).body());
        assertTrue(record.summary().startsWith("the release: released without fhir-gateway (stays at 1.2.0)"),
                record.summary());
    }

    @Test
    void aReleaseWideDecisionRefusesWhatItCannotDo() throws Exception {
        Map<DecisionRequest, String> cases = Map.of(
                new DecisionRequest(null, Choice.RELEASE_WITHOUT, "dev1", "x", List.of("fhir-gateway"), null, null,
                        null), "give --plan",
                new DecisionRequest(null, Choice.RELEASE_WITHOUT, "dev1", "x", List.of("terminology"), null, null,
                        plan()), "terminology was never released",
                new DecisionRequest("acme", Choice.RETRY, "dev1", "x", List.of("fhir-gateway"), null, null,
                        Files.writeString(dir.resolve("small.json"), "{\"components\":[]}")),
                "the plan has no component 'fhir-gateway'");
        for (Map.Entry<DecisionRequest, String> c : cases.entrySet()) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> decision(config(), noProduction()).decide(c.getKey()));
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
        }
    }

    @Test
    void notReleasingAtAllTellsEveryCustomer() throws Exception {
        DecisionRecord record = decision(config(), noProduction()).decide(new DecisionRequest(null,
                Choice.DO_NOT_RELEASE, "dev1", "release tooling broken", List.of("portal"), null, null, null));

        assertEquals("FAILURE", record.buildResult());
        assertEquals(List.of("ops@acme.example", "cto@acme.example"),
                record.notifications().get(record.notifications().size() - 1).to());
        assertTrue(Files.readString(Path.of(record.retrospective())).startsWith(
                "# Retrospective: release not delivered to any customer"), record.retrospective());
        assertTrue(record.retrospective().endsWith("2026-11-23-release-not-released.md"));
    }
}
