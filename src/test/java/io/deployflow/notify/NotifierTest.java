package io.deployflow.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.config.NotifyConfig;
import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotifierTest {
    static final Notice NOTICE = new Notice("Approval needed: Sign-off of a production release candidate",
            "Sign off fhir-gateway 1.3.0 <acme> & st-mary\n2 approvals needed", "http://jenkins.example/job/r/42/input/",
            "Open the approval");

    private static Notifier notifier(List<NotifyConfig.Webhook> hooks, Map<String, String> env) {
        return new Notifier(new NotifyConfig(false, hooks), env, java.net.http.HttpClient.newHttpClient(),
                Duration.ofMillis(10));
    }

    @Test
    void slackAndTeamsGetTheirOwnJsonWithTheLink() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            List<NotifyConfig.Webhook> hooks = List.of(new NotifyConfig.Webhook("release", "slack", "SLACK_URL", null),
                    new NotifyConfig.Webhook("ops", "teams", "TEAMS_URL", null));
            List<Notifier.Delivery> sent = notifier(hooks, Map.of("SLACK_URL", receiver.url("/services/T0/B0/x"),
                    "TEAMS_URL", receiver.url("/workflows/abc"))).send(NOTICE, List.of());
            assertEquals(List.of("sent", "sent"), sent.stream().map(Notifier.Delivery::outcome).toList());
            assertEquals("HTTP 200", sent.get(0).detail());
            assertEquals(2, receiver.bodies.size());
            assertTrue(receiver.contentTypes.get(0).startsWith("application/json"));

            JsonNode slack = Json.mapper().readTree(receiver.bodies.get(0));
            assertTrue(slack.get("text").asText().startsWith("Approval needed"), "the fallback text");
            assertEquals("*Approval needed: Sign-off of a production release candidate*\nSign off fhir-gateway 1.3.0"
                    + " &lt;acme&gt; &amp; st-mary\n2 approvals needed",
                    slack.at("/blocks/0/text/text").asText(), "mrkdwn with &, < and > escaped");
            assertEquals("http://jenkins.example/job/r/42/input/", slack.at("/blocks/1/elements/0/url").asText());
            assertEquals("Open the approval", slack.at("/blocks/1/elements/0/text/text").asText());

            JsonNode teams = Json.mapper().readTree(receiver.bodies.get(1));
            assertEquals("message", teams.get("type").asText());
            JsonNode card = teams.at("/attachments/0");
            assertEquals("application/vnd.microsoft.card.adaptive", card.get("contentType").asText());
            assertEquals("AdaptiveCard", card.at("/content/type").asText());
            assertEquals("Action.OpenUrl", card.at("/content/actions/0/type").asText());
            assertEquals("http://jenkins.example/job/r/42/input/", card.at("/content/actions/0/url").asText());
        }
    }

    @Test
    void aFailingReceiverIsRetriedThenReportedNeverThrownAndTheUrlIsNeverShown() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String secretUrl = receiver.url("/services/T0/B0/SECRET-TOKEN");
            List<NotifyConfig.Webhook> hooks = List.of(new NotifyConfig.Webhook("release", "slack", "SLACK_URL",
                    "release-webhook"));
            receiver.answer(() -> 500);
            Notifier.Delivery failed = notifier(hooks, Map.of("SLACK_URL", secretUrl)).send(NOTICE, List.of()).get(0);
            assertFalse(failed.sent());
            assertEquals(Notifier.ATTEMPTS, receiver.bodies.size(), "5xx is retried");
            assertEquals("HTTP 500: server_error after 3 attempts", failed.detail());

            receiver.bodies.clear();
            receiver.answer(() -> 404);
            Notifier.Delivery gone = notifier(hooks, Map.of("SLACK_URL", secretUrl)).send(NOTICE, List.of()).get(0);
            assertEquals(1, receiver.bodies.size(), "a 4xx is not retried: the hook is wrong, not busy");
            assertEquals("HTTP 404: no_service", gone.detail());

            AtomicInteger calls = new AtomicInteger();
            receiver.answer(() -> calls.incrementAndGet() == 1 ? 503 : 200);
            Notifier.Delivery recovered = notifier(hooks, Map.of("SLACK_URL", secretUrl)).send(NOTICE, List.of())
                    .get(0);
            assertTrue(recovered.sent());
            assertEquals(2, recovered.attempts());

            Notifier.Delivery unset = notifier(hooks, Map.of()).send(NOTICE, List.of()).get(0);
            assertEquals("no URL: the environment variable SLACK_URL is not set (the steps bind it from the"
                    + " credential 'release-webhook')", unset.detail());

            receiver.close();
            Notifier.Delivery down = notifier(hooks, Map.of("SLACK_URL", secretUrl)).send(NOTICE, List.of()).get(0);
            assertFalse(down.sent());
            for (Notifier.Delivery d : List.of(failed, gone, recovered, unset, down)) {
                assertFalse(d.detail().contains("SECRET-TOKEN"), d.detail());
            }
        }
    }
}
