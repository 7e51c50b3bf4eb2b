package io.deployflow.smoke;

import io.deployflow.core.BadInputException;
import io.deployflow.core.Progress;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a routes file against a service: first waits until the service answers at all, then sends every route
 * with its one sample file, a bounded number at once, and checks each answer.
 */
public final class SmokeRunner {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Duration READY_POLL = Duration.ofMillis(250);
    private static final Duration READY_REQUEST_LIMIT = Duration.ofSeconds(2);

    private final SmokeOptions options;
    private final Function<String, String> environment;

    public SmokeRunner(SmokeOptions options) {
        this(options, System::getenv);
    }

    /** @param environment where {@code ${VAR}} placeholders in headers are looked up; tests pass their own */
    SmokeRunner(SmokeOptions options, Function<String, String> environment) {
        this.options = options;
        this.environment = environment;
    }

    /** A route ready to send: headers resolved, body read. Kept apart from Route so no secret is ever stored there. */
    private record Prepared(Route route, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
    }

    /**
     * @param baseUrlOverrideOrNull the base URL to use instead of the file's, such as the deployed stack's
     * @throws BadInputException        for a missing base URL or header variable, before any request is sent
     * @throws ServiceNotReadyException when the service never answered below 500 within the ready timeout
     */
    public SmokeReport run(RoutesFile routes, String baseUrlOverrideOrNull) {
        String baseUrl = baseUrl(routes, baseUrlOverrideOrNull);
        Set<String> secrets = new LinkedHashSet<>();
        List<Prepared> prepared = new ArrayList<>();
        for (int i = 0; i < routes.routes().size(); i++) {
            prepared.add(prepare(routes, i, baseUrl, secrets));
        }
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smoke-http");
            t.setDaemon(true);
            return t;
        });
        try {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(options.routeTimeout())
                    .executor(executor)
                    .build();
            waitUntilReady(client, URI.create(baseUrl + (routes.readyPath() == null ? "" : routes.readyPath())));
            long start = System.nanoTime();
            List<RouteResult> results = runAll(client, prepared, secrets);
            return new SmokeReport(baseUrl, (System.nanoTime() - start) / 1_000_000, results);
        } finally {
            executor.shutdownNow();
        }
    }

    private static String baseUrl(RoutesFile routes, String override) {
        if (override != null) {
            try {
                return RoutesFile.checkBaseUrl(override);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(null, 0, "--base-url", e.getMessage());
            }
        }
        if (routes.baseUrl() == null) {
            throw new BadInputException(routes.file().toString(), 1, "baseUrl",
                    "no baseUrl in the routes file and none given (--base-url)");
        }
        return routes.baseUrl();
    }

    private Prepared prepare(RoutesFile routes, int index, String baseUrl, Set<String> secrets) {
        Route route = routes.routes().get(index);
        Map<String, String> headers = new LinkedHashMap<>();
        route.headers().forEach((name, value) -> {
            Matcher m = PLACEHOLDER.matcher(value);
            StringBuilder resolved = new StringBuilder();
            while (m.find()) {
                String secret = environment.apply(m.group(1));
                if (secret == null) {
                    throw new BadInputException(routes.file().toString(), route.line(),
                            "routes[" + index + "].headers." + name, "the environment variable " + m.group(1)
                            + " is not set (bind it with withCredentials)");
                }
                if (!secret.isEmpty()) {
                    secrets.add(secret);
                }
                m.appendReplacement(resolved, Matcher.quoteReplacement(secret));
            }
            m.appendTail(resolved);
            headers.put(name, resolved.toString());
        });
        byte[] body = null;
        if (route.body() != null) {
            try {
                body = Files.readAllBytes(route.body());
            } catch (IOException e) {
                throw new BadInputException(routes.file().toString(), route.line(), "routes[" + index + "].file",
                        "route '" + route.name() + "': cannot read sample file " + route.body() + ": " + e);
            }
        }
        Duration timeout = route.timeout() == null ? options.routeTimeout() : route.timeout();
        return new Prepared(route, URI.create(baseUrl + route.path()), headers, body, timeout);
    }

    private void waitUntilReady(HttpClient client, URI readyUri) {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        long start = System.nanoTime();
        Progress.line("waiting for " + readyUri + " to answer (up to " + DurationText.format(options.readyTimeout())
                + ")");
        String last;
        while (true) {
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
            // each probe gets what is left of the wait, but no more than the probe limit and never nothing
            Duration limit = left.compareTo(READY_REQUEST_LIMIT) > 0 ? READY_REQUEST_LIMIT
                    : left.compareTo(READY_POLL) < 0 ? READY_POLL : left;
            try {
                HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(readyUri).timeout(limit).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() < 500) {
                    Progress.line("ready: " + readyUri + " answered " + answer.statusCode() + " after "
                            + (System.nanoTime() - start) / 1_000_000 + "ms");
                    return;
                }
                last = "HTTP " + answer.statusCode();
            } catch (IOException e) {
                last = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceNotReadyException(readyUri.toString(), "interrupted while waiting to be ready");
            }
            if (System.nanoTime() + READY_POLL.toNanos() > deadline) {
                throw new ServiceNotReadyException(readyUri.toString(), "not ready after "
                        + DurationText.format(options.readyTimeout()) + " (last answer: " + last
                        + "); no route was tested");
            }
            try {
                Thread.sleep(READY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceNotReadyException(readyUri.toString(), "interrupted while waiting to be ready");
            }
        }
    }

    private List<RouteResult> runAll(HttpClient client, List<Prepared> prepared, Set<String> secrets) {
        Semaphore slots = new Semaphore(options.concurrency());
        List<CompletableFuture<RouteResult>> running = new ArrayList<>();
        for (Prepared p : prepared) {
            slots.acquireUninterruptibly();
            long start = System.nanoTime();
            CompletableFuture<RouteResult> result;
            try {
                result = client.sendAsync(request(p), HttpResponse.BodyHandlers.ofByteArray())
                        .orTimeout(p.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .handle((answer, error) -> result(p, answer, error, start, secrets));
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
            running.add(result.whenComplete((r, e) -> slots.release()));
        }
        return running.stream().map(CompletableFuture::join).toList();
    }

    private static HttpRequest request(Prepared p) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(p.uri()).timeout(p.timeout())
                .method(p.route().method(), p.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(p.body()));
        p.headers().forEach(builder::header);
        return builder.build();
    }

    private static RouteResult result(Prepared p, HttpResponse<byte[]> answer, Throwable error, long start,
                                      Set<String> secrets) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        Route route = p.route();
        Integer status = null;
        ResponseCheck.Failure failure;
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            boolean timedOut = cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
            failure = timedOut
                    ? new ResponseCheck.Failure("timeout", "no answer within " + DurationText.format(p.timeout())
                    + " (timeout)")
                    : new ResponseCheck.Failure("connection", "no answer: " + describe(cause));
        } else {
            status = answer.statusCode();
            failure = ResponseCheck.check(route.expect(), status, answer.body(), secrets);
        }
        boolean passed = failure == null;
        Progress.line((passed ? "PASS " : "FAIL ") + route.name() + " " + (status == null ? "---" : status) + " "
                + millis + "ms" + (passed ? "" : ": " + failure.message()));
        return new RouteResult(route.name(), route.method(), p.uri().toString(), passed, status, millis,
                passed ? null : failure.message(), passed ? null : failure.type(), route.component(),
                passed ? null : RepoPerson.UNKNOWN);
    }

    private static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "connection refused";
            }
        }
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
