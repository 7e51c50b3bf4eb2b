package io.deployflow.config;

import io.deployflow.core.BadInputException;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One kind of approval, written as a row of the team's RACI table: who is Responsible for the sign-off and who is
 * Accountable (both may answer), who is Consulted (told when the approval is asked for) and Informed (told of the
 * outcome), how many distinct approvals are needed, the checklist every approver ticks, and what an unanswered
 * request means after its timeout.
 *
 * @param selfApproval whether the user who started the build (and the change's author) may approve
 * @param onTimeout    {@code reject} (the gate is rejected) or {@code abort} (the build stops as aborted)
 * @param line         the task's line in deployflow.yaml, for messages about it; 0 for built-in tasks
 */
public record ApprovalTask(String name, String title, List<String> responsible, List<String> accountable,
                           List<String> consulted, List<String> informed, int quorum, boolean selfApproval,
                           List<String> checklist, int timeoutMinutes, String onTimeout, int line) {
    static final List<String> KEYS = List.of("title", "responsible", "accountable", "consulted", "informed",
            "quorum", "selfApproval", "checklist", "timeoutMinutes", "onTimeout");
    public static final List<String> ON_TIMEOUT = List.of("reject", "abort");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final int ONE_DAY = 24 * 60;

    public ApprovalTask {
        responsible = List.copyOf(responsible);
        accountable = List.copyOf(accountable);
        consulted = List.copyOf(consulted);
        informed = List.copyOf(informed);
        checklist = List.copyOf(checklist);
    }

    static ApprovalTask from(String name, YamlNode node) {
        if (!NAME.matcher(name).matches()) {
            throw node.error("task name '" + name + "' is not valid: lowercase letters, digits and '-'");
        }
        node.allowOnly(KEYS);
        List<String> responsible = node.strings("responsible");
        List<String> accountable = node.strings("accountable");
        if (responsible.isEmpty() && accountable.isEmpty()) {
            throw new BadInputException(node.file(), node.line(), node.path() + ".responsible",
                    "missing required field 'responsible': the role(s) whose members sign off");
        }
        List<String> checklist = node.strings("checklist");
        for (int i = 0; i < checklist.size(); i++) {
            if (checklist.get(i).isBlank() || checklist.indexOf(checklist.get(i)) != i) {
                throw node.require("checklist").error("item " + (i + 1) + " is "
                        + (checklist.get(i).isBlank() ? "blank" : "listed twice: '" + checklist.get(i) + "'"));
            }
        }
        String onTimeout = node.string("onTimeout", "reject");
        if (!ON_TIMEOUT.contains(onTimeout)) {
            throw node.require("onTimeout").error("must be reject or abort, not '" + onTimeout + "'");
        }
        return new ApprovalTask(name, node.string("title", name), responsible, accountable,
                node.strings("consulted"), node.strings("informed"), node.integer("quorum", 1, 1, 50),
                node.bool("selfApproval", false), checklist, node.integer("timeoutMinutes", ONE_DAY, 1, 60 * ONE_DAY),
                onTimeout, node.line());
    }

    /** The roles whose members may answer: Responsible and Accountable, in that order, without repeats. */
    public List<String> answeringRoles() {
        return Stream.concat(responsible.stream(), accountable.stream()).distinct().toList();
    }
}
