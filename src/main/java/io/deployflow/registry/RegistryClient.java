package io.deployflow.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import io.deployflow.core.OutsideSystemException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Asks an OCI registry whether {@code <image>:<tag>} exists, with the distribution API: {@code HEAD
 * /v2/<name>/manifests/<tag>}. Answers a {@code 401} challenge with the bearer-token flow (Docker Hub, GHCR,
 * Harbor, distribution's token auth) or basic auth (htpasswd), using {@code DEPLOYFLOW_REGISTRY_USERNAME} /
 * {@code DEPLOYFLOW_REGISTRY_PASSWORD} when set and anonymous access otherwise.
 *
 * <p>Plain http is used for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, and for the hosts listed in
 * {@code DEPLOYFLOW_REGISTRY_INSECURE} ({@code host:port,...}, for test registries reached by name); https
 * everywhere else.
 *
 * <p>Failures: a missing manifest or repository is {@code false}. A refused login, a registry that asks for a login
 * we don't have, a 403, and a registry that stays unreachable or answers 5xx after bounded retries are all
 * {@link OutsideSystemException} (exit 3): the input was fine, the registry said no or didn't answer.
 */
public final class RegistryClient {
    static final String INSECURE = "DEPLOYFLOW_REGISTRY_INSECURE";
    /** Every manifest kind a tag can point at; without these a registry may answer 404 for a multi-arch index. */
    static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final RegistryCredentials credentials;
    private final Set<String> insecure;
    private final int attempts;
    private final Duration firstBackoff;
    private final HttpClient http;
    /** Authorization header that last worked per registry/repository, so a second lookup skips the challenge. */
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    /** Reads credentials and insecure hosts from the process environment. */
    public RegistryClient() {
        this(System.getenv());
    }

    /** @param env the variables to read credentials and insecure hosts from (tests pass their own) */
    public RegistryClient(Map<String, String> env) {
        this(env, 4, Duration.ofMillis(500));
    }

    /**
     * @param attempts     how many times one request is tried when the registry is unreachable or answers 5xx/429
     * @param firstBackoff the wait before the second try; it doubles after each try, up to 8 s
     */
    public RegistryClient(Map<String, String> env, int attempts, Duration firstBackoff) {
        this.credentials = RegistryCredentials.from(env);
        String insecureHosts = env.getOrDefault(INSECURE, "");
        this.insecure = Arrays.stream(insecureHosts.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.attempts = Math.max(1, attempts);
        this.firstBackoff = firstBackoff;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * @param imageRepository the image without tag, such as {@code registry.example.org/fhir/fhir-gateway}
     * @param tag             the tag, such as {@code 1.3.0}
     * @return whether the registry has a manifest (or index) for that tag
     */
    public boolean manifestExists(String imageRepository, String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new BadInputException(null, 0, "tag", "'" + tag + "' is not a valid image tag");
        }
        ImageReference image = ImageReference.parse(imageRepository);
        URI uri = URI.create(baseUrl(image) + "/v2/" + image.repository() + "/manifests/" + tag);
        String key = image.toString();
        String authorization = authorizations.get(key);
        HttpResponse<Void> response = send(image, head(uri, authorization), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 401) {
            String header = response.headers().firstValue("WWW-Authenticate").orElse(null);
            AuthChallenge challenge = AuthChallenge.parse(header).orElseThrow(() -> new OutsideSystemException(
                    system(image), "asked for authentication deployflow cannot answer: WWW-Authenticate: " + header));
            authorization = authorize(image, challenge);
            response = send(image, head(uri, authorization), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 401) {
                throw refused(image);
            }
            authorizations.put(key, authorization);
        }
        return switch (response.statusCode()) {
            case 200 -> true;
            case 404 -> false;
            case 403 -> throw new OutsideSystemException(system(image), "403 Forbidden: "
                    + who() + " may not pull " + image.repository());
            default -> throw new OutsideSystemException(system(image), "unexpected HTTP " + response.statusCode()
                    + " for HEAD " + uri);
        };
    }

    private String baseUrl(ImageReference image) {
        String host = image.host();
        boolean plain = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]")
                || insecure.contains(image.registry()) || insecure.contains(host);
        return (plain ? "http://" : "https://") + image.registry();
    }

    private static HttpRequest head(URI uri, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    /** The Authorization header that answers the challenge. */
    private String authorize(ImageReference image, AuthChallenge challenge) {
        if (!challenge.isBearer()) {
            if (credentials == null) {
                throw needsLogin(image);
            }
            return credentials.basicHeader();
        }
        if (challenge.realm() == null || challenge.realm().isEmpty()) {
            throw new OutsideSystemException(system(image), "bearer challenge without a realm to get a token from");
        }
        String scope = challenge.scope() != null ? challenge.scope() : "repository:" + image.repository() + ":pull";
        StringBuilder query = new StringBuilder();
        if (challenge.service() != null) {
            query.append("service=").append(encode(challenge.service())).append('&');
        }
        query.append("scope=").append(encode(scope));
        URI realm = URI.create(challenge.realm() + (challenge.realm().contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(realm).timeout(REQUEST_TIMEOUT).GET();
        if (credentials != null) {
            request.header("Authorization", credentials.basicHeader());
        }
        HttpResponse<String> response = send(image, request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw credentials == null ? needsLogin(image) : refused(image);
        }
        if (response.statusCode() != 200) {
            throw new OutsideSystemException(system(image), "token service " + challenge.realm() + " answered HTTP "
                    + response.statusCode());
        }
        return "Bearer " + token(image, challenge, response.body());
    }

    private String token(ImageReference image, AuthChallenge challenge, String body) {
        try {
            JsonNode json = Json.mapper().readTree(body);
            // The spec names it "token"; OAuth2-style services answer "access_token" instead, some both.
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (!token.isEmpty()) {
                return token;
            }
        } catch (IOException e) {
            // reported below with the same message as an empty token
        }
        throw new OutsideSystemException(system(image), "token service " + challenge.realm()
                + " answered without a token");
    }

    /** Sends with bounded retries: unreachable, timeouts, 5xx and 429 are tried again, with doubling waits. */
    private <T> HttpResponse<T> send(ImageReference image, HttpRequest request, HttpResponse.BodyHandler<T> body) {
        Duration wait = firstBackoff;
        String last = null;
        IOException lastError = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                sleep(wait);
                wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
            }
            try {
                HttpResponse<T> response = http.send(request, body);
                int status = response.statusCode();
                if (status < 500 && status != 429) {
                    return response;
                }
                last = "HTTP " + status;
                lastError = null;
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                lastError = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutsideSystemException(system(image), "interrupted", e);
            }
        }
        throw new OutsideSystemException(system(image), request.method() + " " + request.uri().getScheme() + "://"
                + request.uri().getAuthority() + request.uri().getPath() + " failed after " + attempts
                + " attempts: " + last, lastError);
    }

    private OutsideSystemException refused(ImageReference image) {
        if (credentials == null) {
            return needsLogin(image);
        }
        return new OutsideSystemException(system(image), "the registry refused the credentials in "
                + RegistryCredentials.USERNAME + "/" + RegistryCredentials.PASSWORD + " (user '"
                + credentials.username() + "') for pulling " + image.repository());
    }

    /**
     * Anonymous and turned away. Registries such as Docker Hub also answer this way for repositories that don't
     * exist, so we cannot say "missing": the honest answer is that we could not look.
     */
    private OutsideSystemException needsLogin(ImageReference image) {
        return new OutsideSystemException(system(image), "the registry wants a login to pull " + image.repository()
                + " (or hides whether it exists from anonymous users); set " + RegistryCredentials.USERNAME + " and "
                + RegistryCredentials.PASSWORD);
    }

    private String who() {
        return credentials == null ? "an anonymous user" : "user '" + credentials.username() + "'";
    }

    private static String system(ImageReference image) {
        return "registry " + image.registry();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutsideSystemException("registry", "interrupted while waiting to retry", e);
        }
    }
}
