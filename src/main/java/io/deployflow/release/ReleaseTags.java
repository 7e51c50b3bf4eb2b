package io.deployflow.release;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The release tags of one component in one repository: tags named {@code <tagPrefix>MAJOR.MINOR.PATCH}, sorted by
 * version. Pre-release tags ({@code v1.3.0-rc.1}) and tags that only start like a version are not releases.
 */
public final class ReleaseTags {
    /** One release: its version and the tag ref, which may be an annotated tag ({@link #commitOf} peels it). */
    public record Release(SemVer version, Ref ref) {
        public String tagName() {
            return Repository.shortenRefName(ref.getName());
        }
    }

    private final Repository repo;
    private final List<Release> releases;

    private ReleaseTags(Repository repo, List<Release> releases) {
        this.repo = repo;
        this.releases = releases;
    }

    public static ReleaseTags of(Repository repo, String tagPrefix) {
        try {
            List<Release> out = new ArrayList<>();
            String refPrefix = Constants.R_TAGS + tagPrefix;
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(refPrefix)) {
                releaseVersion(ref.getName(), tagPrefix).ifPresent(version -> out.add(new Release(version, ref)));
            }
            out.sort(Comparator.comparing(Release::version));
            return new ReleaseTags(repo, List.copyOf(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tags of " + repo.getDirectory(), e);
        }
    }

    /**
     * The release a ref names, such as {@code refs/tags/v1.2.0} with prefix {@code v}; empty for other refs,
     * pre-releases and versions with build metadata. Also used on a remote's advertised refs.
     */
    public static Optional<SemVer> releaseVersion(String refName, String tagPrefix) {
        String refPrefix = Constants.R_TAGS + tagPrefix;
        if (!refName.startsWith(refPrefix)) {
            return Optional.empty();
        }
        return SemVer.tryParse(refName.substring(refPrefix.length()))
                .filter(version -> version.isRelease() && version.build() == null);
    }

    /** The commit a release tag points to, through an annotated tag if there is one. Peeled only when asked,
     * because most tags of a long history are never looked at. */
    public ObjectId commitOf(Release release) {
        try {
            Ref peeled = repo.getRefDatabase().peel(release.ref());
            return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tag " + release.ref().getName(), e);
        }
    }

    /** All releases, lowest version first. */
    public List<Release> all() {
        return releases;
    }

    public Optional<Release> latest() {
        return releases.isEmpty() ? Optional.empty() : Optional.of(releases.get(releases.size() - 1));
    }

    public Optional<Release> find(SemVer version) {
        return releases.stream().filter(r -> r.version().compareTo(version) == 0).findFirst();
    }

    /** The highest release below {@code version}, the one a release is compared with. */
    public Optional<Release> before(SemVer version) {
        Release found = null;
        for (Release r : releases) {
            if (r.version().compareTo(version) < 0) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }
}
