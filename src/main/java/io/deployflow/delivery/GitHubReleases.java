package io.deployflow.delivery;

import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.release.SemVer;
import org.eclipse.jgit.transport.URIish;
import org.kohsuke.github.GHRelease;
import org.kohsuke.github.GHReleaseBuilder;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * GitHub releases for repositories hosted on GitHub: customers subscribed to a customer repository's releases are
 * notified by GitHub itself (S0 "Customer repositories"), and a component's release made by the pipeline gets one
 * too. Other hosts get only the annotated tag.
 *
 * <p>A remote counts as GitHub when its host is github.com (API https://api.github.com), or when its host is the
 * host of {@code DEPLOYFLOW_GITHUB_API_URL} (GitHub Enterprise, for example https://ghe.example.org/api/v3).
 */
public final class GitHubReleases {
    static final String API_URL_ENV = "DEPLOYFLOW_GITHUB_API_URL";
    static final String TOKEN_ENV = "DEPLOYFLOW_GITHUB_TOKEN";
    private static final String PUBLIC_API = "https://api.github.com";

    /** Where a customer repository lives on GitHub. */
    public record Target(String apiUrl, String repository) {
    }

    /** What the release step did: created, updated, published-draft, or unchanged (already as wanted). */
    public record Outcome(String url, String action) {
    }

    private GitHubReleases() {
    }

    public static Optional<Target> target(String remoteUrl, Map<String, String> env) {
        URIish remote;
        try {
            remote = new URIish(remoteUrl);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String host = remote.getHost() == null ? "" : remote.getHost().toLowerCase(Locale.ROOT);
        String path = remote.getPath() == null ? "" : remote.getPath().replaceAll("^/+|/+$", "")
                .replaceAll("\\.git$", "");
        String[] parts = path.split("/");
        if (parts.length < 2) {
            return Optional.empty();
        }
        String repository = parts[parts.length - 2] + "/" + parts[parts.length - 1];
        String enterprise = env.get(API_URL_ENV);
        if (enterprise != null && !enterprise.isBlank() && host.equals(hostOf(enterprise))) {
            return Optional.of(new Target(enterprise.replaceAll("/+$", ""), repository));
        }
        if (host.equals("github.com")) {
            return Optional.of(new Target(PUBLIC_API, repository));
        }
        return Optional.empty();
    }

    private static String hostOf(String apiUrl) {
        try {
            String host = new URI(apiUrl.strip()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            throw new BadInputException(null, 0, API_URL_ENV, "not a URL: " + apiUrl);
        }
    }

    /** The token for a GitHub target; checked before anything changes, since the release is part of delivery. */
    public static String token(Target target, Map<String, String> env) {
        String token = env.get(TOKEN_ENV);
        if (token == null || token.isBlank()) {
            throw new BadInputException(null, 0, TOKEN_ENV, "the customer repository is on GitHub ("
                    + target.repository() + "): set " + TOKEN_ENV + " so the release can be published");
        }
        return token;
    }

    /**
     * Creates the release for the tag, or brings an existing one to this name and body; idempotent.
     * <p>
     * The release is looked for in the repository's list, not with {@code GET /releases/tags/{tag}}: that call
     * answers only published releases, so a draft someone prepared for the tag would be missed and a second
     * release made beside it. A draft found is published with this name and body.
     * <p>
     * A delivery of an older line (a hotfix 1.4.1 after 2.0.0 went out) must not become the repository's
     * "latest" release, which GitHub makes of every new published release unless told otherwise: so
     * {@code make_latest} is "false" when a published release of a higher version exists, "true" otherwise.
     */
    public static Outcome publish(Target target, String token, String tag, String name, String body) {
        String call = "GitHub API " + target.apiUrl() + " repository " + target.repository();
        try {
            GitHub github = new GitHubBuilder().withEndpoint(target.apiUrl()).withOAuthToken(token).build();
            GHRepository repository = github.getRepository(target.repository());
            List<GHRelease> releases = repository.listReleases().toList();
            GHReleaseBuilder.MakeLatest latest = newestOf(tag, releases) ? GHReleaseBuilder.MakeLatest.TRUE
                    : GHReleaseBuilder.MakeLatest.FALSE;
            if (latest == GHReleaseBuilder.MakeLatest.FALSE) {
                Progress.line("GitHub release " + tag + " is not the newest of " + target.repository()
                        + ": published without becoming its latest release");
            }
            GHRelease existing = forTag(tag, releases);
            if (existing == null) {
                GHRelease created = repository.createRelease(tag).name(name).body(body).draft(false)
                        .makeLatest(latest).create();
                Progress.line("created GitHub release " + tag + " in " + target.repository());
                return new Outcome(url(created), "created");
            }
            if (!existing.isDraft() && Objects.equals(existing.getName(), name)
                    && Objects.equals(existing.getBody(), body)) {
                Progress.line("GitHub release " + tag + " in " + target.repository() + " is already up to date");
                return new Outcome(url(existing), "unchanged");
            }
            String action = existing.isDraft() ? "published-draft" : "updated";
            GHRelease updated = existing.update().name(name).body(body).draft(false).makeLatest(latest).update();
            Progress.line((existing.isDraft() ? "published the draft GitHub release " : "updated GitHub release ")
                    + tag + " in " + target.repository());
            return new Outcome(url(updated), action);
        } catch (IOException e) {
            throw new OutsideSystemException(call, "release " + tag + " failed: " + e.getMessage(), e);
        }
    }

    /** The release of this tag: the published one if there is one, else a draft. */
    private static GHRelease forTag(String tag, List<GHRelease> releases) {
        List<GHRelease> ofTag = releases.stream().filter(r -> tag.equals(r.getTagName())).toList();
        return ofTag.stream().filter(r -> !r.isDraft()).findFirst().orElse(ofTag.isEmpty() ? null : ofTag.get(0));
    }

    /** True unless a published, final release of a higher version than {@code tag} exists. */
    static boolean newestOf(String tag, List<GHRelease> releases) {
        Optional<SemVer> delivered = versionOf(tag);
        if (delivered.isEmpty()) {
            return true;
        }
        return releases.stream().filter(r -> !r.isDraft() && !r.isPrerelease())
                .map(r -> versionOf(r.getTagName())).flatMap(Optional::stream)
                .filter(SemVer::isRelease).noneMatch(v -> v.compareTo(delivered.get()) > 0);
    }

    private static Optional<SemVer> versionOf(String tag) {
        return tag != null && tag.startsWith(CustomerVersion.TAG_PREFIX)
                ? SemVer.tryParse(tag.substring(CustomerVersion.TAG_PREFIX.length())) : Optional.empty();
    }

    private static String url(GHRelease release) {
        return release.getHtmlUrl() == null ? null : release.getHtmlUrl().toString();
    }
}
