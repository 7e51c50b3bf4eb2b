package io.deployflow.approval;

import io.deployflow.config.NotifyConfig;

import java.util.List;

/**
 * What {@code approval open} gives the pipeline step for asking: the one-line message and the details for the
 * input page, who may answer (the input's {@code submitter}), the checklist, the timeout, the channels to notify
 * through, and where the gate stands already.
 *
 * @param mayNotApprove users refused as approvers of this gate (self-approval)
 */
public record GateView(String task, String gate, String build, String title, String message, String details,
                       int quorum, List<String> approvers, List<String> groups, String submitter,
                       List<String> checklist, int timeoutMinutes, String onTimeout, boolean selfApproval,
                       List<String> mayNotApprove, Channels channels, GateStatus.Notice notice, GateStatus status) {

    /** The configured channels: mail through Jenkins, and webhooks with the credential each needs bound. */
    public record Channels(boolean mail, List<Webhook> webhooks) {
        /** What the steps need to know of the notify section: whether to mail, which webhook credentials to bind. */
        public static Channels of(NotifyConfig notify) {
            return new Channels(notify.mail(), notify.webhooks().stream()
                    .map(w -> new Webhook(w.name(), w.credentialsId(), w.urlEnv())).toList());
        }
    }

    public record Webhook(String name, String credentialsId, String urlEnv) {
    }

    /** A link shown with the request: "Release notes" → the archived file of this build. */
    public record Link(String label, String url) {
    }
}
