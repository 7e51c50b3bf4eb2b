package io.deployflow.meeting;

import io.deployflow.testpeers.GitDaemonPeer;
import io.deployflow.testsupport.VarsFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * releaseMeeting's step fixtures, and the plan the other steps' tests start from, are what the jar writes for
 * component repositories served by git daemon: plan.json (a feature by a team member, a fix by someone outside the
 * team, a component without changes; one customer on the rotation and one pinned), plan-no-release-needed.json (the
 * outside fix replaced by a docs-only change) and plan-nothing.json (a week later, nothing changed).
 */
class MeetingFixturesIT {
    static final String SHOWN_BASE = "https://git.example.org/fhir";
    static final String TEAM = """
            team:
              - {id: dev1, name: Developer One, emails: [dev1@example.org]}
              - {id: dev2, name: Developer Two, emails: [dev2@example.org]}
              - {id: dev3, name: Developer Three, emails: [dev3@example.org]}
            """;
    static final String ROTATION = "meeting: {rotationStart: 2025-12-29, cadenceDays: 7%s}\n";

    static final String PIN = ", pins: {st-mary: dev1}";

    @TempDir
    Path dir;

    void git(String repo, String name, String email, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.resolve("served").resolve(repo).toString(),
                "-c", "user.name=" + name, "-c", "user.email=" + email, "-c", "tag.gpgSign=false",
                "-c", "commit.gpgSign=false"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), command + ": " + out);
    }

    /** A repository on develop whose last release is {@code tag}, then {@code changes} (author, subject) after it. */
    void repository(String name, String tag, String[]... changes) throws Exception {
        Files.createDirectories(dir.resolve("served").resolve(name));
        git(name, "Developer One", "dev1@example.org", "init", "-q", "-b", "develop");
        commit(name, "Developer One", "dev1@example.org", "feat: first release");
        git(name, "Release Bot", "release@example.org", "tag", "-a", tag, "-m", tag);
        for (String[] change : changes) {
            commit(name, change[0], change[1], change[2]);
        }
    }

    void commit(String repo, String name, String email, String message) throws Exception {
        Path file = dir.resolve("served").resolve(repo).resolve("CHANGES.md");
        Files.writeString(file, (Files.exists(file) ? Files.readString(file) : "") + message + "\n");
        git(repo, name, email, "add", "-A");
        git(repo, name, email, "commit", "-q", "-m", message);
    }

    Path config(String name, GitDaemonPeer daemon, Map<String, String> components, String customers, String pins)
            throws Exception {
        StringBuilder yaml = new StringBuilder(TEAM).append(ROTATION.formatted(pins)).append("components:\n");
        components.forEach((component, repo) -> yaml.append("  - {name: ").append(component).append(", repo: '")
                .append(daemon.url(repo)).append("', image: 127.0.0.1:5000/fhir/").append(component).append("}\n"));
        yaml.append("customers:\n").append(customers);
        Path file = dir.resolve(name);
        Files.writeString(file, yaml.toString());
        return file;
    }

    VarsFixtures.Run meeting(Path config, String date, String json) {
        return VarsFixtures.jar(dir, Map.of(), List.of("release-meeting", "--config", config.toString(),
                "--date", date, "--cache", dir.resolve("cache").toString(), "--json", json));
    }

    @Test
    void planFixturesAreWhatTheJarWrites() throws Exception {
        repository("fhir-gateway", "v1.2.0",
                new String[] {"Developer Two", "dev2@example.org", "feat: $everything paging (FHIR-12)"});
        repository("terminology", "v0.4.0",
                new String[] {"Outside Contributor", "oc@elsewhere.example", "fix: it's broken"});
        repository("terminology-docs", "v0.4.0",
                new String[] {"Outside Contributor", "oc@elsewhere.example", "docs: explain paging"});
        repository("auth", "v2.0.0");
        String customers = """
                  - {name: acme, repo: 'https://git.example.org/customers/acme-stack.git'}
                  - {name: st-mary, repo: 'https://git.example.org/customers/st-mary-stack.git'}
                """;
        try (GitDaemonPeer daemon = GitDaemonPeer.start(dir.resolve("served"))) {
            Map<String, String> shown = Map.of(daemon.url(""), SHOWN_BASE + "/", dir.toString(), "/work");

            Path all = config("plan.yaml", daemon, ordered("fhir-gateway", "fhir-gateway", "terminology",
                    "terminology", "auth", "auth"), customers, PIN);
            VarsFixtures.Run run = meeting(all, "2026-11-23", "plan.json");
            assertEquals(0, run.exitCode(), run.output());
            VarsFixtures.check("plan.json", dir.resolve("plan.json"), shown);

            Path docsOnly = config("plan-docs.yaml", daemon, ordered("fhir-gateway", "fhir-gateway", "terminology",
                    "terminology-docs", "auth", "auth"), customers, PIN);
            run = meeting(docsOnly, "2026-11-23", "plan-docs.json");
            assertEquals(0, run.exitCode(), run.output());
            VarsFixtures.check("plan-no-release-needed.json", dir.resolve("plan-docs.json"), shown);

            Path nothing = config("nothing.yaml", daemon, ordered("auth", "auth"), """
                      - {name: acme, repo: 'https://git.example.org/customers/acme-stack.git'}
                    """, "");
            run = meeting(nothing, "2026-11-30", "nothing.json");
            assertEquals(0, run.exitCode(), run.output());
            VarsFixtures.check("plan-nothing.json", dir.resolve("nothing.json"), shown);
        }
    }

    /** component → repository, in the order given. */
    static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
