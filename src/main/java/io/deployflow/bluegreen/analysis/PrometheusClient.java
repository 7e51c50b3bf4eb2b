package io.deployflow.bluegreen.analysis;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Instant queries against Prometheus' HTTP API ({@code GET /api/v1/query}). A vector gives one sample per series,
 * a scalar one sample; a range vector (matrix) is refused like a syntax error, because a condition cannot compare
 * it and the user must wrap it ({@code rate(...)}, {@code avg_over_time(...)}).
 */
public final class PrometheusClient {
    private static final int ATTEMPTS = 2;
    private final URI base;
    private final String bearerToken;
    private final HttpClient http;

    /** @param bearerToken a token from the environment, or null; never logged */
    public PrometheusClient(URI base, String bearerToken) {
        this.base = base;
        this.bearerToken = bearerToken;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    public URI base() {
        return base;
    }

    /**
     * Runs the query now.
     *
     * @return the samples, possibly empty (no data)
     * @throws PrometheusRejectedException the query is wrong (Prometheus said so, or it returns a range vector)
     * @throws OutsideSystemException      Prometheus unreachable, 5xx, timeout or an answer that is not its API,
     *                                     after a retry
     */
    public List<Double> query(String promql) {
        String url = base.toString().replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (bearerToken != null && !bearerToken.isEmpty()) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        OutsideSystemException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return parse(response.statusCode(), response.body());
            } catch (IOException e) {
                last = new OutsideSystemException("Prometheus " + base, "unreachable: " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutsideSystemException("Prometheus " + base, "interrupted", e);
            } catch (OutsideSystemException e) {
                last = e;
            }
            if (attempt < ATTEMPTS) {
                pause();
            }
        }
        throw last;
    }

    private List<Double> parse(int status, String body) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new OutsideSystemException("Prometheus " + base, "HTTP " + status + " with a body that is not"
                    + " Prometheus' JSON API");
        }
        String errorType = json.path("errorType").asText("");
        if (status == 400 || status == 422 || errorType.equals("bad_data")) {
            throw new PrometheusRejectedException(json.path("error").asText("rejected (HTTP " + status + ")"));
        }
        if (status != 200 || !"success".equals(json.path("status").asText())) {
            throw new OutsideSystemException("Prometheus " + base, "HTTP " + status + ": "
                    + json.path("error").asText(errorType));
        }
        JsonNode data = json.path("data");
        String type = data.path("resultType").asText();
        List<Double> samples = new ArrayList<>();
        switch (type) {
            case "vector" -> data.path("result").forEach(series -> samples.add(value(series.path("value"))));
            case "scalar" -> samples.add(value(data.path("result")));
            case "matrix" -> throw new PrometheusRejectedException("the query returns a range vector; a condition"
                    + " needs one number per series: wrap it, e.g. rate(...[1m]) or avg_over_time(...[1m])");
            default -> throw new PrometheusRejectedException("the query returns a " + type
                    + ", not a number; use a query that returns numbers");
        }
        return samples;
    }

    /** A sample is {@code [timestamp, "value"]}; Prometheus writes infinities as "+Inf"/"-Inf". */
    private static double value(JsonNode pair) {
        String text = pair.path(1).asText();
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
