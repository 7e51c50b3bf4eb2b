package io.deployflow.notify;

/**
 * A short message for chat channels: a subject, a plain text (line breaks kept), and an optional link with its
 * label, shown as a button (the approval page, the build).
 */
public record Notice(String subject, String text, String link, String linkLabel) {
    public Notice {
        subject = subject == null ? "" : subject;
        text = text == null ? "" : text;
        link = link == null || link.isBlank() ? null : link;
        linkLabel = linkLabel == null || linkLabel.isBlank() ? "Open in Jenkins" : linkLabel;
    }
}
