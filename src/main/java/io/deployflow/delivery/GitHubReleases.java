package io.deployflow.delivery;

import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import org.eclipse.jgit.transport.URIish;
import org.kohsuke.github.GHRelease;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
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

    /** What the release step did: created, updated, or unchanged (already as wanted). */
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

    /** Creates the release for the tag, or brings an existing one to this name and body; idempotent. */
    public static Outcome publish(Target target, String token, String tag, String name, String body) {
        String call = "GitHub API " + target.apiUrl() + " repository " + target.repository();
        try {
            GitHub github = new GitHubBuilder().withEndpoint(target.apiUrl()).withOAuthToken(token).build();
            GHRepository repository = github.getRepository(target.repository());
            GHRelease existing = repository.getReleaseByTagName(tag);
            if (existing == null) {
                GHRelease created = repository.createRelease(tag).name(name).body(body).draft(false).create();
                Progress.line("created GitHub release " + tag + " in " + target.repository());
                return new Outcome(url(created), "created");
            }
            if (Objects.equals(existing.getName(), name) && Objects.equals(existing.getBody(), body)) {
                Progress.line("GitHub release " + tag + " in " + target.repository() + " is already up to date");
                return new Outcome(url(existing), "unchanged");
            }
            GHRelease updated = existing.update().name(name).body(body).update();
            Progress.line("updated GitHub release " + tag + " in " + target.repository());
            return new Outcome(url(updated), "updated");
        } catch (IOException e) {
            throw new OutsideSystemException(call, "release " + tag + " failed: " + e.getMessage(), e);
        }
    }

    private static String url(GHRelease release) {
        return release.getHtmlUrl() == null ? null : release.getHtmlUrl().toString();
    }
}
