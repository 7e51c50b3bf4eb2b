package io.deployflow.config;

import io.deployflow.core.BadInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code approval} section: roles (Jenkins user ids, and Jenkins groups written {@code group:NAME}) and the
 * approval tasks. Team members also hold the roles listed in their own {@code roles}; see {@link Roles}.
 *
 * @param line      the section's line, 0 when the file has none
 * @param tasksLine the line of {@code approval.tasks}, 0 when absent: where "unknown task" points
 */
public record ApprovalConfig(Map<String, List<String>> roles, Map<String, ApprovalTask> tasks, int line,
                             int tasksLine) {
    static final List<String> KEYS = List.of("roles", "tasks");
    static final String GROUP = "group:";
    private static final Pattern MEMBER = Pattern.compile("(group:)?[A-Za-z0-9._@-]+");

    static ApprovalConfig defaults() {
        return new ApprovalConfig(Map.of(), Map.of(), 0, 0);
    }

    static ApprovalConfig from(YamlNode node) {
        node.allowOnly(KEYS);
        Map<String, List<String>> roles = new LinkedHashMap<>();
        YamlNode rolesNode = node.get("roles");
        if (rolesNode != null) {
            rolesNode.entries().forEach((role, members) -> {
                if (Roles.BUILT_IN.contains(role)) {
                    throw members.error("role '" + role + "' is built in (" + Roles.describeBuiltIn(role)
                            + "); give your role another name");
                }
                if (!ApprovalTask.NAME.matcher(role).matches()) {
                    throw members.error("role name '" + role + "' is not valid: lowercase letters, digits and '-'");
                }
                List<YamlNode> items = members.isScalar() ? List.of(members) : members.items();
                for (YamlNode item : items) {
                    if (!MEMBER.matcher(item.asString()).matches()) {
                        throw item.error("'" + item.asString() + "' is not a Jenkins user id, nor a group written"
                                + " group:NAME");
                    }
                }
                roles.put(role, items.stream().map(YamlNode::asString).toList());
            });
        }
        Map<String, ApprovalTask> tasks = new LinkedHashMap<>();
        YamlNode tasksNode = node.get("tasks");
        if (tasksNode != null) {
            tasksNode.entries().forEach((name, task) -> tasks.put(name, ApprovalTask.from(name, task)));
        }
        return new ApprovalConfig(roles, tasks, node.line(), tasksNode == null ? 0 : tasksNode.line());
    }

    /**
     * Every role a task names exists, and no quorum needs more people than may answer. Groups are counted as
     * unknown sizes: only Jenkins knows their members, so a quorum over a role with a group is not checked here.
     */
    void validate(YamlNode node, Roles resolved, Problems problems) {
        if (node == null) {
            return;
        }
        YamlNode tasksNode = node.get("tasks");
        tasks.forEach((name, task) -> problems.check(() -> validate(tasksNode.get(name), task, resolved, problems)));
    }

    private static void validate(YamlNode taskNode, ApprovalTask task, Roles resolved, Problems problems) {
        boolean known = true;
        for (String field : List.of("responsible", "accountable", "consulted", "informed")) {
            List<String> named = switch (field) {
                case "responsible" -> task.responsible();
                case "accountable" -> task.accountable();
                case "consulted" -> task.consulted();
                default -> task.informed();
            };
            for (String role : named) {
                if (!resolved.exists(role)) {
                    known = false;
                    String nearest = Suggest.nearest(role, resolved.names());
                    problems.add(taskNode.require(field).error("unknown role '" + role + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                            + " Roles: " + String.join(", ", resolved.names())));
                }
            }
        }
        List<String> answering = task.answeringRoles();
        if (!known || answering.stream().anyMatch(r -> resolved.members(r).hasGroups())) {
            return;
        }
        List<String> people = resolved.users(answering);
        if (task.quorum() > people.size()) {
            YamlNode at = taskNode.get("quorum") != null ? taskNode.get("quorum") : taskNode;
            problems.add(new BadInputException(at.file(), at.line(), taskNode.path() + ".quorum", task.quorum()
                    + " approvals needed, but only " + people.size() + " " + (people.size() == 1 ? "person"
                    : "people") + " may approve (roles " + String.join(", ", answering) + ": "
                    + (people.isEmpty() ? "nobody" : String.join(", ", people)) + ")"));
        }
    }
}
