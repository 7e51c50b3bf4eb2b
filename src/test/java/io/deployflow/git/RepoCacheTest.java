package io.deployflow.git;

import io.deployflow.core.OutsideSystemException;
import io.deployflow.testpeers.GitDaemonPeer;
import io.deployflow.testpeers.GitHttpPeer;
import io.deployflow.testpeers.Peer;
import io.deployflow.testpeers.SshPeer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepoCacheTest {
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");
    @TempDir
    Path dir;

    @Test
    void clonesOnceFromGitDaemonThenOnlyFetchesNewCommitsAndTagsAndDropsDeletedTags() throws Exception {
        Path served = dir.resolve("served");
        try (RepoBuilder remote = RepoBuilder.init(served.resolve("gateway"), "develop", T0);
             GitDaemonPeer daemon = GitDaemonPeer.start(served)) {
            remote.commit("dev1@example.org", "feat: first");
            remote.tag("v1.0.0", "1.0.0");
            remote.tag("v0.9.0", null);
            RepoCache cache = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of()));
            String url = daemon.url("gateway");

            try (Repository first = cache.open(url)) {
                assertTrue(first.isBare());
                assertNotNull(first.exactRef("refs/tags/v1.0.0"));
                assertNotNull(first.exactRef("refs/heads/develop"));
                assertEquals(cache.pathFor(url).toFile(), first.getDirectory());
            }
            assertEquals(1, cache.cloneCount());
            assertEquals(0, cache.fetchCount());
            Path mirror = cache.pathFor(url);
            long packsAfterClone = packs(mirror);
            assertEquals(2, packsAfterClone, "the full pack and the commits-only pack");

            RevCommit added = remote.commit("dev2@example.org", "fix: second");
            remote.tag("v1.0.1", "1.0.1");
            Git.wrap(remote.repository()).tagDelete().setTags("v0.9.0").call();

            RepoCache secondRun = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of()));
            try (Repository second = secondRun.open(url)) {
                assertEquals(added.getId(), second.exactRef("refs/heads/develop").getObjectId());
                assertNotNull(second.exactRef("refs/tags/v1.0.1"));
                assertNull(second.exactRef("refs/tags/v0.9.0"), "a tag deleted on the remote is gone");
            }
            assertEquals(0, secondRun.cloneCount(), "the second run does not clone again");
            assertEquals(1, secondRun.fetchCount());
            assertEquals(mirror, secondRun.pathFor(url));
            try (Repository check = secondRun.open(url)) {
                assertEquals(added.getId(), check.exactRef("refs/heads/develop").getObjectId());
            }
            assertTrue(packs(mirror) <= packsAfterClone + 1, "only the new objects were fetched");
            try (var leftovers = Files.list(dir.resolve("cache"))) {
                assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith(".clone-")));
            }
        }
    }

    @Test
    void localPathsAndFileUrlsWorkAndAnUnchangedLocalSourceNeedsNoFetch() throws Exception {
        try (RepoBuilder source = RepoBuilder.init(dir.resolve("local"), "develop", T0)) {
            source.commit("dev1@example.org", "feat: first");
            RepoCache cache = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of()));
            String path = dir.resolve("local").toString();
            String fileUrl = dir.resolve("local").toUri().toString();
            try (Repository a = cache.open(path); Repository b = cache.open(fileUrl)) {
                assertNotNull(a.exactRef("refs/heads/develop"));
                assertNotNull(b.exactRef("refs/heads/develop"));
            }
            assertNotEquals(cache.pathFor(path), cache.pathFor(fileUrl), "keyed by the URL as written");
            try (Repository again = cache.open(path)) {
                assertNotNull(again.exactRef("refs/heads/develop"));
            }
            assertEquals(2, cache.cloneCount());
            assertEquals(0, cache.fetchCount(), "nothing moved in the source");
            RevCommit moved = source.commit("dev1@example.org", "fix: moved");
            try (Repository updated = cache.open(path)) {
                assertEquals(moved.getId(), updated.exactRef(Constants.R_HEADS + "develop").getObjectId());
            }
            assertEquals(1, cache.fetchCount());
        }
    }

    @Test
    void unreachableRepositoryIsAnOutsideFailureNamingTheUrlWithoutThePassword() {
        RepoCache cache = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of()));
        String url = "git://127.0.0.1:" + Peer.freePort() + "/nope.git";
        OutsideSystemException e = assertThrows(OutsideSystemException.class, () -> cache.open(url));
        assertEquals(url, e.system());
        assertTrue(e.getMessage().contains(url), e.getMessage());
        assertFalse(Files.exists(cache.pathFor(url)), "no half-made mirror is left");

        String secret = "http://deploy:s3cret@127.0.0.1:" + Peer.freePort() + "/fhir/gateway.git";
        OutsideSystemException withPassword = assertThrows(OutsideSystemException.class, () -> cache.open(secret));
        assertFalse(withPassword.getMessage().contains("s3cret"), withPassword.getMessage());
        assertTrue(withPassword.getMessage().contains("127.0.0.1"), withPassword.getMessage());
    }

    @Test
    void httpCredentialsComeFromTheEnvironment() {
        Path served = dir.resolve("http");
        try (RepoBuilder remote = RepoBuilder.init(served.resolve("gateway"), "develop", T0);
             GitHttpPeer http = GitHttpPeer.start(served, "deploy", "t0ken")) {
            remote.commit("dev1@example.org", "feat: first");
            String url = http.url("gateway");

            RepoCache anonymous = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of()));
            OutsideSystemException refused = assertThrows(OutsideSystemException.class, () -> anonymous.open(url));
            assertTrue(refused.getMessage().contains(url), refused.getMessage());

            RepoCache wrong = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of(
                    GitCredentials.USERNAME, "deploy", GitCredentials.PASSWORD, "wrong")));
            assertThrows(OutsideSystemException.class, () -> wrong.open(url));

            RepoCache withToken = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of(
                    GitCredentials.USERNAME, "deploy", GitCredentials.PASSWORD, "t0ken")));
            try (Repository repo = withToken.open(url)) {
                assertNotNull(repo.exactRef("refs/heads/develop"));
            }
            RevCommit next = remote.commit("dev2@example.org", "fix: second");
            try (Repository repo = withToken.open(url)) {
                assertEquals(next.getId(), repo.exactRef("refs/heads/develop").getObjectId());
            }
            assertEquals(1, withToken.fetchCount());
            String config = Files.readString(withToken.pathFor(url).resolve("config"));
            assertFalse(config.contains("t0ken"), "the password is never written to the mirror");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void missingLocalRepositoryIsAnOutsideFailureToo() {
        RepoCache cache = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of()));
        String path = dir.resolve("does-not-exist").toString();
        OutsideSystemException e = assertThrows(OutsideSystemException.class, () -> cache.open(path));
        assertTrue(e.getMessage().contains(path), e.getMessage());
    }

    @Test
    void mirrorNamesAreReadableAndDistinct() {
        RepoCache cache = new RepoCache(dir);
        Path a = cache.pathFor("https://git.example.org/fhir/fhir-gateway.git");
        Path b = cache.pathFor("https://git.example.org/other/fhir-gateway.git");
        assertTrue(a.getFileName().toString().startsWith("fhir-gateway-"), a.toString());
        assertNotEquals(a, b);
        assertEquals(dir.toAbsolutePath(), a.getParent());
        assertTrue(cache.pathFor("git@host:../../etc/passwd").getParent().equals(dir.toAbsolutePath()));
    }

    @Test
    void sshUsesTheAgentsOpenSshWithTheKeyFromTheEnvironmentInBatchMode() throws Exception {
        List<String> command = OpenSshSessionFactory.command(new URIish("ssh://git@git.example.org:2222/fhir/x.git"),
                Path.of("/run/secrets/deploy_key"), null, 30);
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-i", "/run/secrets/deploy_key", "-o",
                "IdentitiesOnly=yes", "-o", "ConnectTimeout=30", "-p", "2222", "git@git.example.org"), command);
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "host.example"),
                OpenSshSessionFactory.command(new URIish("host.example:repo.git"), null, null, 0));
    }

    @Test
    void sshRemoteWithTheKeyFromTheEnvironmentAgainstRealSshd() throws Exception {
        try (RepoBuilder remote = RepoBuilder.init(dir.resolve("ssh-served/gateway"), "develop", T0);
             SshPeer sshd = SshPeer.start(dir.resolve("sshd"))) {
            remote.commit("dev1@example.org", "feat: first");
            remote.tag("v1.0.0", "1.0.0");
            String url = sshd.url(dir.resolve("ssh-served/gateway"));

            RepoCache noKey = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of(
                    GitCredentials.SSH_KEY, dir.resolve("no-such-key").toString(),
                    GitCredentials.SSH_KNOWN_HOSTS, sshd.knownHosts().toString())));
            OutsideSystemException refused = assertThrows(OutsideSystemException.class, () -> noKey.open(url));
            assertTrue(refused.getMessage().contains(url), refused.getMessage());

            RepoCache withKey = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of(
                    GitCredentials.SSH_KEY, sshd.clientKey().toString(),
                    GitCredentials.SSH_KNOWN_HOSTS, sshd.knownHosts().toString())));
            try (Repository repo = withKey.open(url)) {
                assertNotNull(repo.exactRef("refs/tags/v1.0.0"), sshd.log());
            }
            RevCommit next = remote.commit("dev2@example.org", "fix: second");
            try (Repository repo = withKey.open(url)) {
                assertEquals(next.getId(), repo.exactRef("refs/heads/develop").getObjectId());
            }
            assertEquals(1, withKey.cloneCount());
            assertEquals(1, withKey.fetchCount());
        }
    }

    private static long packs(Path mirror) throws Exception {
        try (var files = Files.list(mirror.resolve("objects/pack"))) {
            return files.filter(p -> p.toString().endsWith(".pack")).count();
        }
    }
}
