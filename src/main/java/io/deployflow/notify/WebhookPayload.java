package io.deployflow.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a chat webhook accepts. Slack incoming webhooks take {@code text} (the fallback and notification text)
 * and {@code blocks} (mrkdwn with a link button). Teams takes a {@code message} whose attachment is an Adaptive
 * Card; that envelope is what both Teams incoming webhooks and the Workflows app's "post to a channel when a
 * webhook request is received" accept, while the older MessageCard format is refused by Workflows.
 */
final class WebhookPayload {
    private WebhookPayload() {
    }

    static Map<String, Object> of(String format, Notice notice) {
        return "teams".equals(format) ? teams(notice) : slack(notice);
    }

    /** Slack mrkdwn: only &, < and > are escaped; a link is written <url|label>. */
    static Map<String, Object> slack(Notice notice) {
        String body = "*" + escapeSlack(notice.subject()) + "*\n" + escapeSlack(notice.text());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", notice.subject() + (notice.link() == null ? "" : " " + notice.link()));
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", body)));
        if (notice.link() != null) {
            blocks.add(Map.of("type", "actions", "elements", List.of(Map.of("type", "button",
                    "text", Map.of("type", "plain_text", "text", notice.linkLabel()), "url", notice.link()))));
        }
        out.put("blocks", blocks);
        return out;
    }

    static Map<String, Object> teams(Notice notice) {
        List<Object> body = new ArrayList<>();
        body.add(Map.of("type", "TextBlock", "text", notice.subject(), "weight", "Bolder", "size", "Medium",
                "wrap", true));
        // Adaptive Card TextBlocks take a subset of markdown, where a single line break is lost: "\n\n" keeps it.
        body.add(Map.of("type", "TextBlock", "text", notice.text().replace("\n", "\n\n"), "wrap", true));
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", body);
        if (notice.link() != null) {
            card.put("actions", List.of(Map.of("type", "Action.OpenUrl", "title", notice.linkLabel(),
                    "url", notice.link())));
        }
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.put("contentUrl", null);
        attachment.put("content", card);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "message");
        out.put("attachments", List.of(attachment));
        return out;
    }

    private static String escapeSlack(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
