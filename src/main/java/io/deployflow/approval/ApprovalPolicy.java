package io.deployflow.approval;

import io.deployflow.config.ApprovalTask;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.Roles;
import io.deployflow.config.Suggest;
import io.deployflow.config.TeamMember;
import io.deployflow.core.BadInputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may answer which approval, from {@code approval} in deployflow.yaml. Two tasks are built in so that the steps
 * that always asked someone now ask the right people without any configuration, and a team can still tighten them
 * by declaring a task of the same name: {@code release-plan} (the release meeting's confirmation; any team member)
 * and {@code release-decision} (the decision after a failed test; {@code decision.deciders}, else the team).
 */
public final class ApprovalPolicy {
    public static final String RELEASE_PLAN = "release-plan";
    public static final String RELEASE_DECISION = "release-decision";
    private static final int THREE_DAYS = 3 * 24 * 60;
    private static final int ONE_HOUR = 60;

    private final DeployflowConfig config;
    private final Map<String, ApprovalTask> tasks = new LinkedHashMap<>();

    public ApprovalPolicy(DeployflowConfig config) {
        this.config = config;
        tasks.put(RELEASE_PLAN, new ApprovalTask(RELEASE_PLAN, "Confirm the release plan", List.of(Roles.TEAM),
                List.of(), List.of(), List.of(), 1, true, List.of(), THREE_DAYS, "abort", 0));
        tasks.put(RELEASE_DECISION, new ApprovalTask(RELEASE_DECISION, "Decide what happens after a failed test",
                List.of(Roles.DECIDERS), List.of(), List.of(), List.of(), 1, true, List.of(), ONE_HOUR, "abort", 0));
        tasks.putAll(config.approval().tasks());
    }

    public DeployflowConfig config() {
        return config;
    }

    /** The task of this name; exit 2 naming deployflow.yaml's {@code approval.tasks} when there is none. */
    public ApprovalTask task(String name) {
        ApprovalTask task = tasks.get(name);
        if (task == null) {
            String nearest = Suggest.nearest(name, tasks.keySet());
            int line = config.approval().tasksLine() > 0 ? config.approval().tasksLine() : config.approval().line();
            throw new BadInputException(config.file().toString(), line, "approval.tasks", "unknown task '" + name
                    + "'" + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " Tasks: "
                    + String.join(", ", tasks.keySet()));
        }
        return task;
    }

    /** The Jenkins user ids who may answer. */
    public List<String> approvers(ApprovalTask task) {
        return config.roles().users(task.answeringRoles());
    }

    /** The Jenkins groups whose members may answer. */
    public List<String> groups(ApprovalTask task) {
        return config.roles().groups(task.answeringRoles());
    }

    /**
     * The input step's {@code submitter}: users and groups, comma-separated. Only a hint for Jenkins' UI, since
     * administrators are let through whatever it says; {@link #mayAnswer} is the rule.
     */
    public String submitter(ApprovalTask task) {
        List<String> all = new ArrayList<>(approvers(task));
        all.addAll(groups(task));
        return String.join(",", all);
    }

    /**
     * Whether {@code user} may answer: named in an answering role, or in one of its groups. Group membership is
     * only known when the library could ask Jenkins for it ({@code userGroups}); unknown membership is no.
     */
    public boolean mayAnswer(ApprovalTask task, String user, List<String> userGroups) {
        if (user == null || user.isBlank()) {
            return false;
        }
        if (approvers(task).contains(user)) {
            return true;
        }
        Set<String> groups = new LinkedHashSet<>(groups(task));
        return userGroups.stream().anyMatch(groups::contains);
    }

    /** Why {@code user} may not answer, naming who may. */
    public String whoMayAnswer(ApprovalTask task) {
        List<String> parts = new ArrayList<>();
        for (String role : task.answeringRoles()) {
            Roles.Members members = config.roles().members(role);
            List<String> names = new ArrayList<>(members.users());
            members.groups().forEach(g -> names.add("group " + g));
            parts.add(role + " (" + (names.isEmpty() ? "nobody" : String.join(", ", names)) + ")");
        }
        return String.join("; ", parts);
    }

    /** Email addresses of the team members among these roles' users (people not on the team have none here). */
    public List<String> emails(List<String> roles) {
        Set<String> out = new LinkedHashSet<>();
        for (String user : config.roles().users(roles)) {
            config.member(user).map(TeamMember::primaryEmail).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** A team member's id for an email or id (a change's author may be known by either). */
    public Optional<String> memberId(String emailOrId) {
        if (emailOrId == null || emailOrId.isBlank()) {
            return Optional.empty();
        }
        return config.member(emailOrId).map(TeamMember::id)
                .or(() -> config.memberByEmail(emailOrId).map(TeamMember::id));
    }
}
