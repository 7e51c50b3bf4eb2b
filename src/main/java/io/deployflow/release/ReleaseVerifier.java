package io.deployflow.release;

import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.git.RepoCache;
import io.deployflow.registry.RegistryClient;
import io.deployflow.release.VerificationReport.Check;
import io.deployflow.release.VerificationReport.Status;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks that a release was done right (S0 "Release": "make sure that everything went right"):
 * <ol>
 * <li>{@code tag-exists}: the tag {@code <tagPrefix><version>} is in the repository;</li>
 * <li>{@code no-skip-ci}: the tagged commit's message has no {@code [skip ci]} / {@code [ci skip]}, which would have
 * kept CI from building the release image;</li>
 * <li>{@code readme-changed}: the README differs between the previous release tag and this one (the documentation
 * was updated for the release);</li>
 * <li>{@code readme-example-config}: the README at the tag holds an example configuration ({@link ReadmeExample});</li>
 * <li>{@code image-exists}: {@code <image>:<version>} is in its registry.</li>
 * </ol>
 * Every check runs and is reported, so one verification shows everything that is wrong.
 */
public final class ReleaseVerifier {
    private final DeployflowConfig config;
    private final RepoCache cache;
    private final RegistryClient registry;

    public ReleaseVerifier(DeployflowConfig config, RepoCache cache, RegistryClient registry) {
        this.config = config;
        this.cache = cache;
        this.registry = registry;
    }

    /** @param requestedVersion {@code 1.3.0} or {@code v1.3.0}; null for the latest release */
    public VerificationReport verify(String componentName, String requestedVersion) {
        Component component = config.component(componentName);
        SemVer asked = requestedVersion == null ? null : parseVersion(component, requestedVersion);
        List<Check> checks = new ArrayList<>();
        SemVer version;
        String tag;
        try (Repository repo = cache.open(RepoCache.resolve(component.repo(), config.file()))) {
            ReleaseTags tags = ReleaseTags.of(repo, component.tagPrefix());
            Optional<ReleaseTags.Release> release = asked == null ? tags.latest() : tags.find(asked);
            version = asked != null ? asked : release.map(ReleaseTags.Release::version).orElse(null);
            tag = version == null ? null : component.tagFor(version.toString());
            if (release.isEmpty()) {
                checks.add(new Check("tag-exists", Status.FAIL, version == null
                        ? "no release tag " + component.tagPrefix() + "X.Y.Z in " + component.repo()
                        : "tag " + tag + " not found in " + component.repo()));
                for (String name : List.of("no-skip-ci", "readme-changed", "readme-example-config")) {
                    checks.add(new Check(name, Status.SKIP, "no tag to check"));
                }
            } else {
                gitChecks(repo, component, tags, release.get(), checks);
            }
        }
        checks.add(imageCheck(component, version));
        boolean passed = checks.stream().noneMatch(c -> c.status() == Status.FAIL || c.status() == Status.ERROR);
        return new VerificationReport(component.name(), version == null ? null : version.toString(), tag, passed,
                List.copyOf(checks));
    }

    private void gitChecks(Repository repo, Component component, ReleaseTags tags, ReleaseTags.Release release,
                           List<Check> checks) {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(tags.commitOf(release));
            checks.add(new Check("tag-exists", Status.PASS, release.tagName() + " -> " + commit.abbreviate(10).name()));

            String message = commit.getFullMessage().toLowerCase(Locale.ROOT);
            boolean skipped = message.contains("[skip ci]") || message.contains("[ci skip]");
            checks.add(new Check("no-skip-ci", skipped ? Status.FAIL : Status.PASS, skipped
                    ? "the tagged commit says \"" + commit.getShortMessage() + "\": CI did not build this release"
                    : "the tagged commit does not skip CI"));

            String readmePath = component.readme();
            ObjectId readme = blob(repo, commit, readmePath);
            Optional<ReleaseTags.Release> previous = tags.before(release.version());
            if (readme == null) {
                checks.add(new Check("readme-changed", Status.FAIL, readmePath + " does not exist at "
                        + release.tagName()));
                checks.add(new Check("readme-example-config", Status.FAIL, readmePath + " does not exist at "
                        + release.tagName()));
                return;
            }
            if (previous.isEmpty()) {
                checks.add(new Check("readme-changed", Status.PASS, "first release; " + readmePath + " exists"));
            } else {
                ObjectId before = blob(repo, walk.parseCommit(tags.commitOf(previous.get())), readmePath);
                boolean changed = !readme.equals(before);
                checks.add(new Check("readme-changed", changed ? Status.PASS : Status.FAIL, changed
                        ? readmePath + " changed since " + previous.get().tagName()
                        : readmePath + " is unchanged since " + previous.get().tagName()
                        + ": document the release's additions, changes and fixes"));
            }
            String text = new String(repo.open(readme).getCachedBytes(4 << 20), StandardCharsets.UTF_8);
            Optional<String> example = ReadmeExample.find(text);
            checks.add(new Check("readme-example-config", example.isPresent() ? Status.PASS : Status.FAIL,
                    example.map(e -> readmePath + " has an example configuration (" + e + ")")
                            .orElse(readmePath + " has no example configuration: add a fenced ```yaml (or json,"
                                    + " env, properties) block, or a code block under a 'Configuration' heading")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + component.repo(), e);
        }
    }

    private Check imageCheck(Component component, SemVer version) {
        if (component.image() == null) {
            return new Check("image-exists", Status.SKIP, "component has no image configured");
        }
        if (version == null) {
            return new Check("image-exists", Status.SKIP, "no version to look for");
        }
        String reference = component.image() + ":" + version;
        try {
            boolean exists = registry.manifestExists(component.image(), version.toString());
            return new Check("image-exists", exists ? Status.PASS : Status.FAIL,
                    reference + (exists ? " is in the registry" : " is not in the registry"));
        } catch (OutsideSystemException e) {
            return new Check("image-exists", Status.ERROR, "cannot ask the registry about " + reference + ": "
                    + e.getMessage());
        }
    }

    private static ObjectId blob(Repository repo, RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
            return walk == null ? null : walk.getObjectId(0);
        }
    }

    private SemVer parseVersion(Component component, String text) {
        String bare = text.startsWith(component.tagPrefix()) && !component.tagPrefix().isEmpty()
                && SemVer.tryParse(text).isEmpty() ? text.substring(component.tagPrefix().length()) : text;
        return SemVer.tryParse(bare).filter(v -> v.build() == null).orElseThrow(() -> new BadInputException(null, 0,
                "--version", "'" + text + "' is not a version such as 1.3.0 (or " + component.tagFor("1.3.0")
                + ")"));
    }
}
