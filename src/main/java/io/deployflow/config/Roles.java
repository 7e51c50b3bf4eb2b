package io.deployflow.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds which role. A role's members are the entries under {@code approval.roles.<role>} plus every team member
 * whose own {@code roles} list it. Two roles are built in, so the release meeting and the decision after a failure
 * have approvers without any configuration: {@code team} (every team member) and {@code deciders}
 * ({@code decision.deciders}, or the whole team when that is empty, as the decision has always allowed).
 */
public final class Roles {
    public static final String TEAM = "team";
    public static final String DECIDERS = "deciders";
    static final List<String> BUILT_IN = List.of(TEAM, DECIDERS);

    /** A role's Jenkins user ids and Jenkins groups. */
    public record Members(List<String> users, List<String> groups) {
        public Members {
            users = List.copyOf(users);
            groups = List.copyOf(groups);
        }

        public boolean hasGroups() {
            return !groups.isEmpty();
        }
    }

    private final Map<String, Members> roles;

    private Roles(Map<String, Members> roles) {
        this.roles = roles;
    }

    static Roles resolve(Map<String, List<String>> declared, List<TeamMember> team, DecisionPolicy decision) {
        Map<String, Set<String>> users = new LinkedHashMap<>();
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        users.put(TEAM, new LinkedHashSet<>(team.stream().map(TeamMember::id).toList()));
        users.put(DECIDERS, new LinkedHashSet<>(decision.deciders().isEmpty()
                ? team.stream().map(TeamMember::id).toList() : decision.deciders()));
        declared.forEach((role, members) -> {
            for (String member : members) {
                if (member.startsWith(ApprovalConfig.GROUP)) {
                    groups.computeIfAbsent(role, r -> new LinkedHashSet<>())
                            .add(member.substring(ApprovalConfig.GROUP.length()));
                } else {
                    users.computeIfAbsent(role, r -> new LinkedHashSet<>()).add(member);
                }
            }
        });
        for (TeamMember member : team) {
            for (String role : member.roles()) {
                users.computeIfAbsent(role, r -> new LinkedHashSet<>()).add(member.id());
            }
        }
        Set<String> names = new LinkedHashSet<>(users.keySet());
        names.addAll(groups.keySet());
        Map<String, Members> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, new Members(new ArrayList<>(users.getOrDefault(name, Set.of())),
                    new ArrayList<>(groups.getOrDefault(name, Set.of()))));
        }
        return new Roles(out);
    }

    static String describeBuiltIn(String role) {
        return TEAM.equals(role) ? "every team member" : "decision.deciders, else the whole team";
    }

    public boolean exists(String role) {
        return roles.containsKey(role);
    }

    public List<String> names() {
        return List.copyOf(roles.keySet());
    }

    public Members members(String role) {
        return roles.getOrDefault(role, new Members(List.of(), List.of()));
    }

    /** The distinct user ids of these roles, in role order. */
    public List<String> users(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        names.forEach(r -> out.addAll(members(r).users()));
        return List.copyOf(out);
    }

    /** The distinct groups of these roles, in role order. */
    public List<String> groups(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        names.forEach(r -> out.addAll(members(r).groups()));
        return List.copyOf(out);
    }
}
