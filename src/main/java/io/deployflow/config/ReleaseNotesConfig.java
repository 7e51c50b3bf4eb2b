package io.deployflow.config;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Release notes settings (S1 "Release Notes"): how ticket keys look, where they link, what is known broken. */
public record ReleaseNotesConfig(String title, Pattern ticketPattern, String ticketUrl, List<String> knownIssues) {
    static final List<String> KEYS = List.of("title", "ticketPattern", "ticketUrl", "knownIssues");
    static final String DEFAULT_TICKETS = "\\b[A-Z][A-Z0-9]+-[0-9]+\\b";

    static ReleaseNotesConfig defaults() {
        return new ReleaseNotesConfig("Release notes", Pattern.compile(DEFAULT_TICKETS), null, List.of());
    }

    static ReleaseNotesConfig from(YamlNode node) {
        node.allowOnly(KEYS);
        Pattern tickets;
        YamlNode pattern = node.get("ticketPattern");
        try {
            tickets = Pattern.compile(pattern == null ? DEFAULT_TICKETS : pattern.asString());
        } catch (PatternSyntaxException e) {
            throw pattern.error("not a valid regular expression: " + e.getDescription());
        }
        String url = node.string("ticketUrl", null);
        if (url != null && !url.contains("{key}")) {
            throw node.require("ticketUrl").error("must contain {key}, where the ticket key goes");
        }
        return new ReleaseNotesConfig(node.string("title", "Release notes"), tickets, url,
                node.strings("knownIssues"));
    }

    /** The link for a ticket key, or null when no URL template is configured. */
    public String linkFor(String key) {
        return ticketUrl == null ? null : ticketUrl.replace("{key}", key);
    }
}
