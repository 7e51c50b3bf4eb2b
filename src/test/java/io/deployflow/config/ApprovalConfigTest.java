package io.deployflow.config;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The approval, notify and ledger sections: what they mean, and every refusal with its line and field. */
class ApprovalConfigTest {
    static final String TEAM = """
            team:
              - {id: dev1, emails: [dev1@example.org], roles: [lead]}
              - {id: dev2, emails: [dev2@example.org]}
            components:
              - {name: fhir-gateway, repo: 'file:///x', image: r.example/fhir-gateway}
            customers:
              - {name: acme, repo: 'file:///acme'}
            """;

    @TempDir
    Path dir;

    private DeployflowConfig load(String more) throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, TEAM + more);
        return ConfigLoader.load(file);
    }

    private BadInputException refused(String more) {
        return assertThrows(BadInputException.class, () -> load(more));
    }

    private int lineOf(String text) throws IOException {
        return Files.readAllLines(dir.resolve("deployflow.yaml")).indexOf(text) + 1;
    }

    @Test
    void rolesComeFromTheSectionTheTeamAndTwoBuiltIns() throws IOException {
        DeployflowConfig config = load("""
                decision: {deciders: [dev2]}
                approval:
                  roles:
                    product-owner: [po1, "group:product"]
                    lead: [ext-lead]
                  tasks:
                    sign-off: {responsible: product-owner, accountable: lead, quorum: 3}
                """);
        Roles roles = config.roles();
        assertEquals(List.of("po1"), roles.members("product-owner").users());
        assertEquals(List.of("product"), roles.members("product-owner").groups());
        assertEquals(List.of("ext-lead", "dev1"), roles.members("lead").users(), "declared, then team members");
        assertEquals(List.of("dev1", "dev2"), roles.members(Roles.TEAM).users());
        assertEquals(List.of("dev2"), roles.members(Roles.DECIDERS).users());
        ApprovalTask task = config.approval().tasks().get("sign-off");
        assertEquals(List.of("product-owner", "lead"), task.answeringRoles());
        assertEquals(3, task.quorum(), "a quorum over a role with a group is not counted: only Jenkins knows it");
        assertFalse(task.selfApproval(), "self-approval is off unless a task allows it");
        assertEquals("reject", task.onTimeout());
        assertEquals(24 * 60, task.timeoutMinutes());
    }

    @Test
    void anUnknownRoleNamesItsLineAndField() throws IOException {
        BadInputException e = refused("""
                approval:
                  roles:
                    product-owner: [po1]
                  tasks:
                    sign-off:
                      responsible: product-ownr
                """);
        assertEquals(lineOf("      responsible: product-ownr"), e.line());
        assertEquals("approval.tasks.sign-off.responsible", e.field());
        assertTrue(e.getMessage().contains("unknown role 'product-ownr'; did you mean 'product-owner'?"),
                e.getMessage());
    }

    @Test
    void aQuorumLargerThanTheRoleNamesItsLineAndField() throws IOException {
        BadInputException e = refused("""
                approval:
                  roles:
                    product-owner: [po1, po2]
                  tasks:
                    sign-off:
                      responsible: product-owner
                      quorum: 3
                """);
        assertEquals(lineOf("      quorum: 3"), e.line());
        assertEquals("approval.tasks.sign-off.quorum", e.field());
        assertEquals(dir.resolve("deployflow.yaml") + ":" + e.line() + ": approval.tasks.sign-off.quorum: 3"
                + " approvals needed, but only 2 people may approve (roles product-owner: po1, po2)", e.getMessage());
    }

    @Test
    void otherRefusals() throws IOException {
        assertTrue(refused("approval:\n  roles:\n    team: [x]\n").getMessage()
                .contains("role 'team' is built in (every team member)"));
        assertTrue(refused("approval:\n  roles:\n    po: [\"bad id!\"]\n").getMessage()
                .contains("'bad id!' is not a Jenkins user id, nor a group written group:NAME"));
        assertTrue(refused("approval:\n  tasks:\n    t: {responsible: team, onTimeout: ignore}\n").getMessage()
                .contains("approval.tasks.t.onTimeout: must be reject or abort, not 'ignore'"));
        assertTrue(refused("approval:\n  tasks:\n    t: {quorum: 1}\n").getMessage()
                .contains("approval.tasks.t.responsible: missing required field 'responsible'"));
        assertTrue(refused("approval:\n  tasks:\n    t: {responsible: team, checklist: [a, a]}\n").getMessage()
                .contains("item 2 is listed twice: 'a'"));
        assertTrue(refused("approval:\n  tasks:\n    t: {responsible: team, qorum: 1}\n").getMessage()
                .contains("unknown key 'qorum'; did you mean 'quorum'?"));
        assertTrue(refused("notify:\n  webhooks:\n    - {name: chat, format: discord}\n").getMessage()
                .contains("notify.webhooks[0].format: must be slack or teams, not 'discord'"));
        assertTrue(refused("notify:\n  webhooks:\n    - {name: chat}\n    - {name: chat}\n").getMessage()
                .contains("duplicate webhook name 'chat'"));
        assertTrue(refused("ledger:\n  repo: x\n  path: ../outside.jsonl\n").getMessage()
                .contains("ledger.path: '../outside.jsonl' is not valid: a relative path inside the repository"));
    }

    @Test
    void notifyAndLedgerDefaults() throws IOException {
        DeployflowConfig config = load("""
                notify:
                  mail: true
                  webhooks:
                    - {name: release-channel, credentialsId: release-webhook}
                    - {name: ops, format: teams, urlEnv: OPS_TEAMS_URL}
                """);
        assertTrue(config.notifications().mail());
        assertEquals("DEPLOYFLOW_WEBHOOK_RELEASE_CHANNEL", config.notifications().webhooks().get(0).urlEnv());
        assertEquals("slack", config.notifications().webhooks().get(0).format());
        assertEquals("OPS_TEAMS_URL", config.notifications().webhooks().get(1).urlEnv());
        assertNull(config.ledger().repo(), "no repository: a local ledger");
        assertEquals(dir.resolve(".deployflow/ledger"), config.ledger().dir());
        assertEquals("ledger.jsonl", config.ledger().path());

        DeployflowConfig git = load("ledger:\n  repo: ../ledger.git\n  branch: audit\n  path: deploy/ledger.jsonl\n");
        assertEquals(dir.getParent().resolve("ledger.git").toString(), git.ledger().repo(),
                "a relative repository path is relative to the config, like components' repos");
        assertEquals("audit", git.ledger().branch());
        assertTrue(git.ledger().inGit());
    }
}
