package io.deployflow.meeting;

import io.deployflow.config.Component;
import io.deployflow.config.CredentialIds;
import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.git.GitCredentials;
import io.deployflow.git.RepoCache;
import io.deployflow.meeting.MeetingPlan.ComponentPlan;
import io.deployflow.meeting.RepositoryScanner.Scan;
import io.deployflow.meeting.RepositoryScanner.Source;
import io.deployflow.testpeers.GitDaemonPeer;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meeting's memory never changes its answer: after every kind of change upstream, the plan from the remembered
 * scan (kept, extended with new commits, or thrown away and rebuilt) equals a full scan of the same repository
 * with an empty cache, field for field, change order included. And it does only new work: nothing moved, nothing
 * fetched or walked; develop moved forward, only the new commits walked.
 */
class IncrementalScanTest {
    @TempDir
    Path dir;
    private DeployflowConfig config;
    private Component component;
    private GeneratedHistory upstream;
    private RepoCache cache;
    private int fullScans;

    @BeforeEach
    void setUp() throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, """
                team:
                  - {id: dev1, emails: [dev1@example.org]}
                  - {id: dev2, emails: [dev2@example.org]}
                  - {id: dev3, emails: [dev3@example.org]}
                components:
                  - {name: gateway, repo: upstream.git}
                releaseNotes:
                  ticketPattern: '\\b(FHIR|OPS)-[0-9]+\\b'
                """);
        config = ConfigLoader.load(file);
        component = config.component("gateway");
        cache = new RepoCache(dir.resolve("cache"), new GitCredentials(Map.of()));
    }

    private GeneratedHistory upstream(long seed) {
        upstream = new GeneratedHistory(dir.resolve("upstream.git"), seed);
        return upstream;
    }

    private String url() {
        return dir.resolve("upstream.git").toString();
    }

    /** The remembered scan, checked against a full scan into a cache of its own. */
    private Scan scan() {
        Scan remembered = new RepositoryScanner(config).scan(cache, url(), component, "upstream");
        RepoCache empty = new RepoCache(dir.resolve("full-" + (fullScans++)), new GitCredentials(Map.of()));
        Scan full = new RepositoryScanner(config).scan(empty, url(), component, "upstream");
        assertEquals(Source.FULL, full.source());
        assertEquals(full.plan(), remembered.plan(), "the remembered scan (" + remembered.source()
                + ") differs from a full scan");
        return remembered;
    }

    @Test
    void nothingMovedReadsNothingNewCommitsAreWalkedAloneAndTheAnswerIsAlwaysAFullScans() {
        try (GeneratedHistory h = upstream(1)) {
            h.grow(40);
            h.tag("v1.0.0", h.developTip(), true);
            h.grow(60);
            h.tag("v1.1.0-rc.1", h.developTip(), false);

            Scan first = scan();
            assertEquals(Source.FULL, first.source());
            assertTrue(first.plan().hasChanges());
            assertEquals("1.0.0", first.plan().lastRelease());

            Scan again = scan();
            assertEquals(Source.REMEMBERED, again.source());
            assertEquals(0, again.walked());

            ObjectId before = h.developTip();
            h.grow(7);
            Scan moved = scan();
            assertEquals(Source.EXTENDED, moved.source());
            assertEquals(newCommits(before), moved.walked(), "only the new commits are walked");
            assertEquals(Source.REMEMBERED, scan().source());

            h.tag("v1.0.0-hotfix", before, false);
            h.tag("other/v9.0.0", before, false);
            assertEquals(Source.REMEMBERED, scan().source(), "tags that are no release of this component don't"
                    + " matter");
        }
    }

    @Test
    void aNewReleaseTagADeletedTagAndAForcePushedDevelopAreScannedAgain() {
        try (GeneratedHistory h = upstream(2)) {
            h.grow(30);
            h.tag("v1.0.0", h.developTip(), false);
            h.grow(30);
            assertEquals(Source.FULL, scan().source());

            h.tag("v1.1.0", h.firstParentAncestor(5), true);
            Scan released = scan();
            assertEquals(Source.FULL, released.source(), "a new release changes what is unreleased");
            assertEquals("1.1.0", released.plan().lastRelease());

            h.deleteTag("v1.1.0");
            Scan deleted = scan();
            assertEquals(Source.FULL, deleted.source());
            assertEquals("1.0.0", deleted.plan().lastRelease(), "a deleted release no longer counts");

            h.setDevelop(h.firstParentAncestor(12));
            h.grow(5);
            Scan forced = scan();
            assertEquals(Source.FULL, forced.source(), "a force-pushed develop is not extended");

            h.tag("v1.0.0", h.firstParentAncestor(3), true); // the same release name, moved to another commit
            assertEquals(Source.FULL, scan().source());

            h.setDevelop(h.firstParentAncestor(2)); // develop moved back: nothing new, but less unreleased
            assertEquals(Source.FULL, scan().source());
        }
    }

    @Test
    void aReleaseAtDevelopsTipLeavesNothingUnreleasedAndNewWorkAfterItIsFoundByExtending() {
        try (GeneratedHistory h = upstream(3)) {
            h.grow(20);
            h.tag("v2.0.0", h.developTip(), true);
            Scan released = scan();
            assertTrue(released.plan().changes().isEmpty());
            h.grow(3);
            Scan after = scan();
            assertEquals(Source.EXTENDED, after.source());
            assertTrue(after.plan().hasChanges());
        }
    }

    @Test
    void aCorruptedMemoryIsIgnoredAndRebuiltNeverTrusted() throws IOException {
        try (GeneratedHistory h = upstream(4)) {
            h.grow(25);
            h.tag("v1.0.0", h.firstParentAncestor(10), true);
            assertEquals(Source.FULL, scan().source());
            Path entry = ScanMemory.entry(cache.pathFor(url()), component);
            byte[] good = Files.readAllBytes(entry);

            List<byte[]> damaged = new ArrayList<>();
            damaged.add(new byte[0]);
            damaged.add("garbage".getBytes());
            damaged.add(java.util.Arrays.copyOf(good, good.length / 2));
            for (int at : new int[] {3, good.length / 3, good.length / 2, good.length - 40, good.length - 1}) {
                byte[] flipped = good.clone();
                flipped[at] ^= 0x20;
                damaged.add(flipped);
            }
            for (byte[] bytes : damaged) {
                Files.write(entry, bytes);
                Files.delete(PlanMemory.entry(entry)); // the plan remembered beside it would answer first
                assertNull(ScanMemory.read(entry, component), "a damaged entry reads as none");
                assertEquals(Source.FULL, scan().source(), "a damaged entry is not used");
                assertEquals(Source.REMEMBERED, scan().source(), "and is written again");
            }

            // a sound entry for another develop branch or tag prefix is not this component's
            UnreleasedHistory sound = ScanMemory.read(entry, component);
            assertNotNull(sound);
            Component otherPrefix = new Component("gateway", "upstream.git", "develop", "gateway/v", null,
                    "README.md", java.util.List.of(), Component.RELEASE_BY_REPO_PERSON, 60, CredentialIds.NONE);
            ScanMemory.write(entry, otherPrefix, sound);
            Files.delete(PlanMemory.entry(entry));
            assertNull(ScanMemory.read(entry, component));
            assertEquals(Source.FULL, scan().source());

            // an entry whose tip is no commit here, with nothing unreleased: what is unreleased now is read again
            ScanMemory.write(entry, component, new UnreleasedHistory(ObjectId.zeroId().name(), sound.releaseTag(),
                    sound.releaseRefId(), List.of()));
            h.grow(2);
            assertNotEquals(Source.REMEMBERED, scan().source());

            // the remembered history of the release, damaged, is read again from git too
            ObjectId release = h.repository().getRefDatabase().peel(h.repository().exactRef("refs/tags/v1.0.0"))
                    .getPeeledObjectId();
            Path released = entry.getParent().resolve("released-" + release.name());
            assertNotNull(ScanMemory.readReleased(cache.pathFor(url()), release));
            byte[] releasedBytes = Files.readAllBytes(released);
            releasedBytes[5] ^= 1;
            Files.write(released, releasedBytes);
            assertNull(ScanMemory.readReleased(cache.pathFor(url()), release));
            Files.delete(entry);
            Files.delete(PlanMemory.entry(entry));
            assertEquals(Source.FULL, scan().source());
            assertNotNull(ScanMemory.readReleased(cache.pathFor(url()), release), "and remembered again");
        }
    }

    /**
     * The remembered plan answers alone when nothing moved (the remembered commits are not even read), but only for
     * the settings it was made with: another ticket pattern, other release rules or a team member's new email give
     * what a full scan gives with the new settings; a damaged plan entry is not used.
     */
    @Test
    void aRememberedPlanIsUsedOnlyForTheSettingsItWasMadeWithAndNeverWhenDamaged() throws IOException {
        try (GeneratedHistory h = upstream(7)) {
            h.grow(30);
            h.tag("v1.0.0", h.firstParentAncestor(12), true);
            assertEquals(Source.FULL, scan().source());
            Path entry = ScanMemory.entry(cache.pathFor(url()), component);
            Path planEntry = PlanMemory.entry(entry);
            assertTrue(Files.exists(planEntry), "the plan is remembered beside the commits");

            Files.delete(entry);
            assertEquals(Source.REMEMBERED, scan().source(), "nothing moved: the remembered plan alone answers");
            String before = scan().plan().changes().toString();

            reconfigure("""
                    team:
                      - {id: dev1, emails: [dev1@example.org]}
                      - {id: dev2, emails: [dev2-new@example.org]}
                      - {id: dev3, emails: [dev3@example.org]}
                    components:
                      - {name: gateway, repo: upstream.git}
                    meeting:
                      releaseRules: {feat: major, '*': patch}
                    releaseNotes:
                      ticketPattern: '\\bOPS-[0-9]+\\b'
                    """);
            Scan changed = scan(); // compared with a full scan under the new settings
            assertNotEquals(before, changed.plan().changes().toString(), "the new ticket pattern changed the plan");

            // the same rules written in another order are the same settings: the remembered plan still answers
            scan();
            reconfigure(Files.readString(dir.resolve("deployflow.yaml"))
                    .replace("{feat: major, '*': patch}", "{'*': patch, feat: major}"));
            Files.delete(entry);
            assertEquals(Source.REMEMBERED, scan().source());

            byte[] good = Files.readAllBytes(planEntry);
            for (int at : new int[] {2, good.length / 2, good.length - 3}) {
                byte[] flipped = good.clone();
                flipped[at] ^= 0x10;
                Files.write(planEntry, flipped);
                Files.deleteIfExists(entry);
                assertEquals(Source.FULL, scan().source(), "a damaged plan entry is not used");
            }
        }
    }

    private void reconfigure(String yaml) throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, yaml);
        config = ConfigLoader.load(file);
        component = config.component("gateway");
    }

    @Test
    void randomHistoriesStayIdenticalToFullScans() {
        try (GeneratedHistory h = upstream(5)) {
            h.grow(15);
            int releases = 0;
            for (int step = 0; step < 40; step++) {
                int what = h.random().nextInt(10);
                if (what < 5) {
                    h.grow(1 + h.random().nextInt(8));
                } else if (what == 5) {
                    h.tag("v1." + (++releases) + ".0", h.firstParentAncestor(h.random().nextInt(4)),
                            h.random().nextBoolean());
                } else if (what == 6 && releases > 0) {
                    h.deleteTag(h.tags().stream().filter(t -> t.startsWith("v1.")).findAny().orElseThrow());
                } else if (what == 7) {
                    h.setDevelop(h.firstParentAncestor(1 + h.random().nextInt(6)));
                    h.grow(h.random().nextInt(4));
                } else if (what == 8) {
                    h.tag("v1." + releases + ".1-rc." + step, h.developTip(), false);
                }
                scan();
            }
        }
    }

    @Test
    void aNetworkRemoteIsOnlyAskedForItsRefsWhenNothingMoved() throws Exception {
        Path served = dir.resolve("served");
        try (GeneratedHistory h = new GeneratedHistory(served.resolve("gateway.git"), 6);
             GitDaemonPeer daemon = GitDaemonPeer.start(served)) {
            upstream = h;
            h.grow(20);
            h.tag("v1.0.0", h.firstParentAncestor(8), true);
            String url = daemon.url("gateway.git");
            RepoCache network = new RepoCache(dir.resolve("net-cache"), new GitCredentials(Map.of()));
            RepositoryScanner scanner = new RepositoryScanner(config);
            assertEquals(Source.FULL, scanner.scan(network, url, component, "gw").source());
            assertEquals(1, network.cloneCount());

            Scan unchanged = scanner.scan(network, url, component, "gw");
            assertEquals(Source.REMEMBERED, unchanged.source());
            assertEquals(0, network.fetchCount(), "nothing moved: no fetch");

            ObjectId before = h.developTip();
            h.grow(4);
            Scan moved = scanner.scan(network, url, component, "gw");
            assertEquals(Source.EXTENDED, moved.source());
            assertEquals(1, network.fetchCount());
            assertEquals(newCommits(before), moved.walked());
            ComponentPlan full = scanner.scan(h.repository(), component, "gw");
            assertEquals(full, moved.plan());
            assertNotEquals(0, full.changes().size());
        }
    }

    /** How many commits develop has that {@code before} (and the release) does not reach, by JGit's own walk. */
    private int newCommits(ObjectId before) {
        try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(upstream.repository())) {
            walk.markStart(walk.parseCommit(upstream.developTip()));
            walk.markUninteresting(walk.parseCommit(before));
            int n = 0;
            for (var ignored : walk) {
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
