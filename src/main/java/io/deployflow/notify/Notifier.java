package io.deployflow.notify;

import io.deployflow.config.NotifyConfig;
import io.deployflow.core.Json;
import io.deployflow.core.Progress;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends a notice to every configured webhook. A notice is a courtesy around the real work: a channel that fails is
 * reported and recorded, never thrown, so an approval or a deployment never fails because a chat service did.
 * Webhook URLs are secrets (they carry their token): they come from the environment and are never printed; a
 * channel is named by its {@code name}.
 */
public final class Notifier {
    static final int ATTEMPTS = 3;

    private final NotifyConfig config;
    private final Map<String, String> env;
    private final HttpClient http;
    private final Duration backoff;

    public Notifier(NotifyConfig config, Map<String, String> env) {
        this(config, env, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build(), Duration.ofMillis(500));
    }

    Notifier(NotifyConfig config, Map<String, String> env, HttpClient http, Duration backoff) {
        this.config = config;
        this.env = env;
        this.http = http;
        this.backoff = backoff;
    }

    /**
     * One channel's outcome.
     *
     * @param outcome sent or failed
     * @param detail  the HTTP status, or why it failed (never the URL)
     */
    public record Delivery(String channel, String outcome, String detail, int attempts) {
        public boolean sent() {
            return "sent".equals(outcome);
        }
    }

    /** Sends to the named webhooks (all when {@code only} is empty) and returns each outcome. */
    public List<Delivery> send(Notice notice, List<String> only) {
        List<Delivery> out = new ArrayList<>();
        for (NotifyConfig.Webhook hook : config.webhooks()) {
            if (only.isEmpty() || only.contains(hook.name())) {
                Delivery delivery = send(hook, notice);
                Progress.line("notify " + hook.name() + ": " + delivery.outcome() + " (" + delivery.detail() + ")");
                out.add(delivery);
            }
        }
        return out;
    }

    private Delivery send(NotifyConfig.Webhook hook, Notice notice) {
        String url = env.get(hook.urlEnv());
        if (url == null || url.isBlank()) {
            return new Delivery(hook.name(), "failed", "no URL: the environment variable " + hook.urlEnv()
                    + " is not set" + (hook.credentialsId() == null ? ""
                    : " (the steps bind it from the credential '" + hook.credentialsId() + "')"), 0);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url.trim())).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writer()
                            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(WebhookPayload.of(hook.format(), notice)))).build();
        } catch (IllegalArgumentException | IOException e) {
            return new Delivery(hook.name(), "failed", "the value of " + hook.urlEnv() + " is not a URL", 0);
        }
        String last = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return new Delivery(hook.name(), "sent", "HTTP " + status, attempt);
                }
                last = "HTTP " + status + body(response.body());
                if (status != 429 && status / 100 != 5) {
                    return new Delivery(hook.name(), "failed", last, attempt);
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                        + e.getMessage().replace(url, "(" + hook.urlEnv() + ")"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(hook.name(), "failed", "interrupted", attempt);
            }
            if (attempt < ATTEMPTS) {
                sleep(backoff.multipliedBy(attempt));
            }
        }
        return new Delivery(hook.name(), "failed", last + " after " + ATTEMPTS + " attempts", ATTEMPTS);
    }

    /** A short hint from the receiver ("invalid_payload", "no_service"), never more than a line. */
    private static String body(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return ": " + (line.length() > 120 ? line.substring(0, 120) + "…" : line);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
