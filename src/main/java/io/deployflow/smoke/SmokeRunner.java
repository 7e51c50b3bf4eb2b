package io.deployflow.smoke;

import io.deployflow.core.BadInputException;
import io.deployflow.core.Progress;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a routes file against a service: first waits until the service answers at all, then sends every route
 * with its one sample file, a bounded number at once (one kept-alive connection per worker, see
 * {@link HttpExchange}), and checks each answer.
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
        URI readyUri = URI.create(baseUrl + (routes.readyPath() == null ? "" : routes.readyPath()));
        try (HttpExchange probe = new HttpExchange()) {
            waitUntilReady(probe, readyUri);
        }
        long start = System.nanoTime();
        List<RouteResult> results = runAll(prepared, Set.copyOf(secrets));
        return new SmokeReport(baseUrl, (System.nanoTime() - start) / 1_000_000, results);
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
        headers.forEach((name, value) -> {
            if (!HttpExchange.validHeaderValue(value)) {
                // the value may hold a secret from the environment: name the header, never show the value
                throw new BadInputException(routes.file().toString(), route.line(),
                        "routes[" + index + "].headers." + name, "the value is not a valid header value once"
                        + " ${...} is filled in (line breaks or control characters?)");
            }
        });
        return new Prepared(route, URI.create(baseUrl + route.path()), Map.copyOf(headers), body, timeout);
    }

    private void waitUntilReady(HttpExchange probe, URI readyUri) {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        long start = System.nanoTime();
        Progress.line("waiting for " + readyUri + " to answer (up to " + DurationText.format(options.readyTimeout())
                + ")");
        String last;
        while (true) {
            Duration remaining = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
            // each probe gets what is left of the wait, but no more than the probe limit and never nothing
            Duration limit = remaining.compareTo(READY_REQUEST_LIMIT) > 0 ? READY_REQUEST_LIMIT
                    : remaining.compareTo(READY_POLL) < 0 ? READY_POLL : remaining;
            try {
                HttpExchange.Answer answer = probe.send("GET", readyUri, Map.of(), null,
                        System.nanoTime() + limit.toNanos());
                if (answer.status() < 500) {
                    Progress.line("ready: " + readyUri + " answered " + answer.status() + " after "
                            + (System.nanoTime() - start) / 1_000_000 + "ms");
                    return;
                }
                last = "HTTP " + answer.status();
            } catch (IOException e) {
                last = describe(e);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ServiceNotReadyException(readyUri.toString(), "not ready after "
                        + DurationText.format(options.readyTimeout()) + " (last answer: " + last
                        + "); no route was tested");
            }
            try {
                // the last probe lands on the deadline, so a service ready just in time still counts
                Thread.sleep(Math.max(1, Math.min(READY_POLL.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceNotReadyException(readyUri.toString(), "interrupted while waiting to be ready");
            }
        }
    }

    /**
     * Sends the routes from {@code concurrency} worker threads, each with its own kept-alive connection, so at most
     * that many are in flight; results keep the order of the routes file.
     */
    private List<RouteResult> runAll(List<Prepared> prepared, Set<String> secrets) {
        RouteResult[] results = new RouteResult[prepared.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> bug = new AtomicReference<>();
        Runnable worker = () -> {
            try (HttpExchange connection = new HttpExchange()) {
                for (int i = next.getAndIncrement(); i < results.length; i = next.getAndIncrement()) {
                    results[i] = send(connection, prepared.get(i), secrets);
                }
            } catch (RuntimeException e) {
                bug.compareAndSet(null, e);
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(options.concurrency(), prepared.size()); i++) {
            Thread thread = new Thread(worker, "smoke-http-" + i);
            thread.setDaemon(true);
            thread.start();
            workers.add(thread);
        }
        try {
            for (Thread thread : workers) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.forEach(Thread::interrupt);
            throw new IllegalStateException("interrupted while running the routes", e);
        }
        if (bug.get() != null) {
            throw bug.get();
        }
        return List.of(results);
    }

    private static RouteResult send(HttpExchange connection, Prepared p, Set<String> secrets) {
        long start = System.nanoTime();
        Route route = p.route();
        Integer status = null;
        ResponseCheck.Failure failure;
        try {
            HttpExchange.Answer answer = connection.send(route.method(), p.uri(), p.headers(), p.body(),
                    start + p.timeout().toNanos());
            status = answer.status();
            failure = ResponseCheck.check(route.expect(), status, answer.body(), secrets);
        } catch (HttpExchange.TimeoutException e) {
            failure = new ResponseCheck.Failure("timeout", "no answer within " + DurationText.format(p.timeout())
                    + " (timeout)");
        } catch (IOException e) {
            failure = new ResponseCheck.Failure("connection", "no answer: " + describe(e));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
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
        if (e instanceof HttpExchange.TimeoutException) {
            return "timeout";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
