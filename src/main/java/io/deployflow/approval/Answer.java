package io.deployflow.approval;

import java.util.List;

/**
 * One answer to a gate, as the input step returned it, or what happened instead of an answer.
 *
 * @param event      approve, reject, timeout (nobody answered in time) or abort (someone pressed Abort)
 * @param by         the Jenkins user id that answered (for abort: who aborted, when known)
 * @param checked    the checklist items ticked
 * @param byGroups   the answering user's Jenkins groups, when the library could read them
 * @param startedBy  the user who started the build (or timer, scm, …)
 * @param authors    authors of the change, as Jenkins ids or emails, when known
 * @param extraItems checklist items the step added to the task's own
 */
public record Answer(String event, String by, String reason, List<String> checked, List<String> byGroups,
                     String startedBy, List<String> authors, List<String> extraItems) {
    public static final List<String> EVENTS = List.of("approve", "reject", "timeout", "abort");

    public Answer {
        by = by == null ? "" : by.trim();
        reason = reason == null ? "" : reason.trim();
        checked = List.copyOf(checked);
        byGroups = List.copyOf(byGroups);
        startedBy = startedBy == null ? "" : startedBy.trim();
        authors = List.copyOf(authors);
        extraItems = List.copyOf(extraItems);
    }
}
