package io.deployflow.config;

import io.deployflow.core.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads and validates {@code deployflow.yaml}. Validation is complete before anything runs: a command that gets a
 * config back can trust every name, reference and pattern in it.
 */
public final class ConfigLoader {
    static final List<String> KEYS = List.of("team", "components", "customers", "meeting", "releaseNotes",
            "decision", "approval", "notify", "ledger");

    private ConfigLoader() {
    }

    public static DeployflowConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file.toString(), 0, null, "config file not found");
        }
        return from(file, YamlNode.parse(file));
    }

    static DeployflowConfig from(Path file, YamlNode root) {
        root.allowOnly(KEYS);
        List<TeamMember> team = each(root, "team", TeamMember::from);
        if (team.isEmpty()) {
            throw new BadInputException(file.toString(), root.line(), "team", "missing required field 'team':"
                    + " the release meeting needs at least one person");
        }
        List<Component> components = each(root, "components", Component::from);
        List<Customer> customers = each(root, "customers", Customer::from);
        MeetingRules meeting = root.has("meeting") ? MeetingRules.from(root.get("meeting")) : MeetingRules.defaults();
        ReleaseNotesConfig notes = root.has("releaseNotes") ? ReleaseNotesConfig.from(root.get("releaseNotes"))
                : ReleaseNotesConfig.defaults();
        DecisionPolicy decision = root.has("decision") ? DecisionPolicy.from(root.get("decision"))
                : DecisionPolicy.defaults();
        ApprovalConfig approval = root.has("approval") ? ApprovalConfig.from(root.get("approval"))
                : ApprovalConfig.defaults();
        NotifyConfig notify = root.has("notify") ? NotifyConfig.from(root.get("notify")) : NotifyConfig.defaults();
        LedgerConfig ledger = root.has("ledger") ? LedgerConfig.from(root.get("ledger"), file)
                : LedgerConfig.defaults(file);

        unique(root, "team", team, TeamMember::id, "id");
        uniqueEmails(root, team);
        unique(root, "components", components, Component::name, "name");
        unique(root, "customers", customers, Customer::name, "name");
        Set<String> ids = new HashSet<>();
        team.forEach(m -> ids.add(m.id()));
        Set<String> customerNames = new HashSet<>();
        customers.forEach(c -> customerNames.add(c.name()));
        YamlNode meetingNode = root.get("meeting");
        meeting.pins().forEach((customer, id) -> {
            YamlNode pin = meetingNode.get("pins").get(customer);
            if (!customerNames.contains(customer)) {
                throw pin.error("pins an unknown customer '" + customer + "'");
            }
            if (!ids.contains(id)) {
                throw pin.error("pins '" + id + "', who is not on the team");
            }
        });
        for (int i = 0; i < meeting.away().size(); i++) {
            if (!ids.contains(meeting.away().get(i).id())) {
                throw meetingNode.get("away").items().get(i).require("id")
                        .error("'" + meeting.away().get(i).id() + "' is not on the team");
            }
        }
        for (int i = 0; i < decision.deciders().size(); i++) {
            String id = decision.deciders().get(i);
            if (!ids.contains(id)) {
                throw root.get("decision").require("deciders").error("decider '" + id + "' is not on the team");
            }
        }
        Roles roles = Roles.resolve(approval.roles(), team, decision);
        approval.validate(root.get("approval"), roles);
        return new DeployflowConfig(file, List.copyOf(team), List.copyOf(components), List.copyOf(customers),
                meeting, notes, decision, approval, roles, notify, ledger);
    }

    private static <T> List<T> each(YamlNode root, String key, Function<YamlNode, T> reader) {
        List<T> out = new ArrayList<>();
        for (YamlNode item : root.list(key)) {
            out.add(reader.apply(item));
        }
        return out;
    }

    private static <T> void unique(YamlNode root, String key, List<T> items, Function<T, String> name,
                                   String field) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Integer first = seen.putIfAbsent(name.apply(items.get(i)), i);
            if (first != null) {
                throw root.get(key).items().get(i).require(field).error("duplicate " + field + " '"
                        + name.apply(items.get(i)) + "', already used by " + key + "[" + first + "]");
            }
        }
    }

    private static void uniqueEmails(YamlNode root, List<TeamMember> team) {
        Map<String, String> owner = new HashMap<>();
        for (int i = 0; i < team.size(); i++) {
            for (String email : team.get(i).emails()) {
                String previous = owner.putIfAbsent(email, team.get(i).id());
                if (previous != null) {
                    throw root.get("team").items().get(i).require("emails").error("'" + email
                            + "' also belongs to '" + previous + "': git authorship would be ambiguous");
                }
            }
        }
    }
}
