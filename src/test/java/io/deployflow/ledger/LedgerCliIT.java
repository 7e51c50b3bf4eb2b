package io.deployflow.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;
import io.deployflow.notify.WebhookReceiver;
import io.deployflow.testpeers.GitDaemonPeer;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The approval engine, the ledger and notify through the shaded jar, as agents run them: separate JVMs with their
 * own environment (the user, the build, secrets, webhook URLs), a git ledger behind a real {@code git daemon}, and
 * a real HTTP receiver for webhooks.
 */
class LedgerCliIT {
    static final Path JAR = Path.of(System.getProperty("deployflow.jar", "target/deployflow.jar")).toAbsolutePath();
    static final String TEAM = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
            components:
              - {name: fhir-gateway, repo: 'file:///nowhere/g', image: 127.0.0.1:5000/fhir/fhir-gateway}
            customers:
              - {name: acme, repo: 'file:///nowhere/acme'}
            approval:
              roles:
                product-owner: [po1, po2]
              tasks:
                sign-off: {responsible: product-owner, quorum: 2}
            """;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    /** Starts the jar in {@code dir} as an agent would: its own cache (its own ledger clone) and environment. */
    private Process start(String agent, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("DEPLOYFLOW_") || k.equals("BUILD_URL"));
        builder.environment().put("XDG_CACHE_HOME", dir.resolve(agent + "-cache").toString());
        builder.environment().put("DEPLOYFLOW_AUDIT_LOG", dir.resolve("audit.jsonl").toString());
        builder.environment().put("BUILD_URL", "http://jenkins.example/job/release/7/");
        builder.environment().put("DEPLOYFLOW_USER", "dev1");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Run finish(Process process) throws Exception {
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    private Run run(String agent, Map<String, String> env, String... args) throws Exception {
        return finish(start(agent, env, args));
    }

    @Test
    void approversOnTwoAgentsAnsweringAtOnceBothCount() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Git.init().setBare(true).setDirectory(served.resolve("ledger.git").toFile()).call().close();
        try (GitDaemonPeer daemon = GitDaemonPeer.start(served)) {
            Files.writeString(dir.resolve("deployflow.yaml"), TEAM + "ledger: {repo: '" + daemon.url("ledger.git")
                    + "'}\n");
            for (String gate : List.of("acme", "st-mary")) {
                assertEquals(0, run("agent-0", Map.of(), "approval", "open", "--config", "deployflow.yaml", "--task",
                        "sign-off", "--gate", gate).code());
            }
            List<Process> answers = new ArrayList<>();
            int agent = 0;
            for (String gate : List.of("acme", "st-mary")) {
                for (String by : List.of("po1", "po2")) {
                    answers.add(start("agent-" + ++agent, Map.of(), "approval", "check", "--config", "deployflow.yaml",
                            "--task", "sign-off", "--gate", gate, "--answer", "approve", "--by", by));
                }
            }
            int approvedNow = 0;
            for (Process p : answers) {
                Run done = finish(p);
                assertTrue(done.code() == 0 || done.code() == 1, done.err());
                approvedNow += done.code() == 0 ? 1 : 0;
            }
            assertEquals(2, approvedNow, "per gate, exactly the later of the two answers saw it approved");
            for (String gate : List.of("acme", "st-mary")) {
                Run status = run("agent-9", Map.of(), "approval", "status", "--config", "deployflow.yaml", "--task",
                        "sign-off", "--gate", gate, "--json", gate + ".json");
                assertEquals(0, status.code(), status.err());
                JsonNode json = Json.mapper().readTree(dir.resolve(gate + ".json").toFile());
                assertEquals(List.of("po1", "po2"), sorted(json.get("approvedBy")), "both counted, in either order");
            }
            Run verify = run("agent-9", Map.of(), "ledger", "verify", "--config", "deployflow.yaml", "--json",
                    "verify.json");
            assertEquals(0, verify.code(), verify.err());
            JsonNode report = Json.mapper().readTree(dir.resolve("verify.json").toFile());
            assertEquals(6, report.get("entries").asInt(), "two requests and four answers: nothing lost");
            assertEquals(6, report.get("versions").asInt(), "six pushes, each only appending");
        }
    }

    private static List<String> sorted(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        out.sort(String::compareTo);
        return out;
    }

    @Test
    void notifyReachesARealReceiverAndAFailedChannelIsRecordedWithoutItsUrl() throws Exception {
        try (WebhookReceiver slack = new WebhookReceiver(); WebhookReceiver teams = new WebhookReceiver()) {
            teams.answer(() -> 500);
            Files.writeString(dir.resolve("deployflow.yaml"), TEAM + """
                    notify:
                      webhooks:
                        - {name: release-channel, urlEnv: SLACK_HOOK}
                        - {name: ops, format: teams, urlEnv: TEAMS_HOOK}
                    """);
            String slackUrl = slack.url("/services/T0/B0/SLACKSECRETTOKEN");
            String teamsUrl = teams.url("/workflows/TEAMSSECRETTOKEN");
            Run sent = run("agent", Map.of("SLACK_HOOK", slackUrl, "TEAMS_HOOK", teamsUrl), "notify", "--config",
                    "deployflow.yaml", "--subject", "Approval needed: sign-off", "--text", "Release 1.3.0 for acme",
                    "--link", "http://jenkins.example/job/release/7/input/", "--event", "approval-requested",
                    "--json", "notify.json");
            assertEquals(3, sent.code(), "a failed channel is an outside failure: " + sent.err());
            assertEquals(1, slack.bodies.size());
            assertTrue(slack.bodies.get(0).contains("\"url\":\"http://jenkins.example/job/release/7/input/\""));
            assertEquals(3, teams.bodies.size(), "retried");
            assertTrue(teams.bodies.get(0).contains("application/vnd.microsoft.card.adaptive"));

            JsonNode result = Json.mapper().readTree(dir.resolve("notify.json").toFile());
            assertEquals("sent", result.at("/webhooks/0/outcome").asText());
            assertEquals("failed", result.at("/webhooks/1/outcome").asText());
            String ledger = Files.readString(dir.resolve(".deployflow/ledger/ledger.jsonl"));
            JsonNode entry = Json.mapper().readTree(ledger.lines().toList().get(0));
            assertEquals("notification", entry.get("type").asText());
            assertEquals("failed", entry.at("/data/status").asText());
            assertEquals("ops", entry.at("/data/channels/1/channel").asText());
            assertEquals("dev1", entry.get("user").asText());
            String everything = ledger + sent.out() + sent.err() + Files.readString(dir.resolve("audit.jsonl"))
                    + Files.readString(dir.resolve("notify.json"));
            assertFalse(everything.contains("SECRETTOKEN"), "a webhook URL (a secret) was written or printed");
        }
    }

    @Test
    void noSecretValueReachesTheLedgerOrTheAuditLogFromTheCli() throws Exception {
        Files.writeString(dir.resolve("deployflow.yaml"), TEAM);
        Map<String, String> env = new HashMap<>();
        env.put("DEPLOYFLOW_GIT_PASSWORD", "git-Pa55-SECRET-0815");
        env.put("DEPLOY_TARGET", "pre-prod-eu-west-7");    // the control: a value that is no secret stays
        Run check = run("agent", env, "approval", "check", "--config", "deployflow.yaml", "--task", "sign-off",
                "--answer", "reject", "--by", "po1", "--reason",
                "token git-Pa55-SECRET-0815 leaked on pre-prod-eu-west-7");
        assertEquals(1, check.code(), check.err());
        String ledger = Files.readString(dir.resolve(".deployflow/ledger/ledger.jsonl"));
        String audit = Files.readString(dir.resolve("audit.jsonl"));
        for (String kept : List.of(ledger, audit)) {
            assertFalse(kept.contains("git-Pa55-SECRET-0815"), kept);
            assertTrue(kept.contains("token *** leaked on pre-prod-eu-west-7"), "masked, the control kept: " + kept);
        }
        assertTrue(audit.contains("\"approver\":\"po1\""), audit);
        assertTrue(audit.contains("\"user\":\"dev1\""), audit);
        assertEquals(0, run("agent", env, "ledger", "verify", "--config", "deployflow.yaml").code());
    }
}
