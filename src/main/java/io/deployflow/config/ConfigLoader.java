package io.deployflow.config;

import io.deployflow.approval.ApprovalPolicy;
import io.deployflow.core.BadInputException;
import io.deployflow.core.SecretNames;
import io.deployflow.hotfix.HotfixConfig;
import io.deployflow.promotion.PromotionConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Loads and validates {@code deployflow.yaml}. Validation is complete before anything runs: a command that gets a
 * config back can trust every name, reference and pattern in it.
 *
 * <p>Every problem of the file is reported in one run, in file order: each top-level key and each list item is
 * read on its own (see {@link Problems}), so a mistake in one customer does not hide another in a component. A
 * section reader only has to throw at its first problem, as {@link YamlNode}'s methods do.
 */
public final class ConfigLoader {
    static final List<String> KEYS = List.of("team", "components", "customers", "meeting", "releaseNotes",
            "decision", "secrets", "credentials", "approval", "notify", "ledger", "promotion", "hotfix");

    private ConfigLoader() {
    }

    public static DeployflowConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file.toString(), 0, null, "config file not found");
        }
        return from(file, YamlNode.parse(file));
    }

    static DeployflowConfig from(Path file, YamlNode parsed) {
        Problems problems = new Problems();
        YamlNode root = parsed.reportingTo(problems);
        DeployflowConfig config = null;
        try {
            config = read(file, root, problems);
        } catch (BadInputException e) {
            // A reader that is not wrapped in problems.attempt still stops here, after what was found so far.
            problems.add(e);
        }
        problems.throwIfAny();
        return config;
    }

    private static DeployflowConfig read(Path file, YamlNode root, Problems problems) {
        root.allowOnly(KEYS);
        problems.check(() -> root.requireItems("team", "the release meeting needs at least one person"));
        List<TeamMember> team = list(problems, root, "team", TeamMember::from);
        List<Component> components = list(problems, root, "components", Component::from);
        SecretNames secrets = section(problems, root, "secrets", SecretsConfig::team, () -> SecretNames.DEFAULTS);
        SecretNames teamSecrets = secrets == null ? SecretNames.DEFAULTS : secrets;
        List<Customer> customers = list(problems, root, "customers", node -> Customer.from(node, teamSecrets));
        MeetingRules meeting = section(problems, root, "meeting", MeetingRules::from, MeetingRules::defaults);
        ReleaseNotesConfig notes = section(problems, root, "releaseNotes", ReleaseNotesConfig::from,
                ReleaseNotesConfig::defaults);
        DecisionPolicy decision = section(problems, root, "decision", DecisionPolicy::from,
                DecisionPolicy::defaults);
        ApprovalConfig approval = section(problems, root, "approval", ApprovalConfig::from, ApprovalConfig::defaults);
        NotifyConfig notify = section(problems, root, "notify", NotifyConfig::from, NotifyConfig::defaults);
        LedgerConfig ledger = section(problems, root, "ledger", node -> LedgerConfig.from(node, file),
                () -> LedgerConfig.defaults(file));

        Set<String> ids = unique(problems, root, "team", "id");
        uniqueEmails(problems, root);
        unique(problems, root, "components", "name");
        problems.check(() -> checkSharedImages(problems, root.list("components")));
        Set<String> customerNames = unique(problems, root, "customers", "name");
        // References are checked on the file itself, so they are reported even when their section has another
        // problem; a section that is malformed has been reported by its reader (the same message, kept once).
        YamlNode meetingNode = root.get("meeting");
        if (meetingNode != null) {
            problems.check(() -> checkPins(problems, meetingNode.get("pins"), ids, customerNames));
            problems.check(() -> checkAbsences(problems, meetingNode.list("away"), ids));
        }
        YamlNode decisionNode = root.get("decision");
        if (decisionNode != null) {
            problems.check(() -> checkDeciders(problems, decisionNode.get("deciders"), ids));
        }
        CredentialIds credentials = CredentialIds.from(root.get("credentials"), CredentialIds.KEYS);
        Roles roles = null;
        if (approval != null && decision != null) {
            roles = Roles.resolve(approval.roles(), team, decision);
            approval.validate(root.get("approval"), roles, problems);
        }
        PromotionConfig promotion = section(problems, root, "promotion", node -> PromotionConfig.from(node, problems),
                () -> PromotionConfig.none(file.toString()));
        HotfixConfig hotfix = section(problems, root, "hotfix", HotfixConfig::from,
                () -> HotfixConfig.none(file.toString()));
        if (approval != null) {
            Set<String> tasks = new LinkedHashSet<>(List.of(ApprovalPolicy.RELEASE_PLAN,
                    ApprovalPolicy.RELEASE_DECISION));
            tasks.addAll(approval.tasks().keySet());
            PromotionConfig.checkTasks(root.get("promotion"), promotion, tasks, problems);
            HotfixConfig.check(root.get("hotfix"), hotfix, promotion, tasks, roles, problems);
        }
        return new DeployflowConfig(file, List.copyOf(team), List.copyOf(components), List.copyOf(customers),
                meeting, notes, decision, teamSecrets, credentials, approval, roles, notify, ledger, promotion,
                hotfix);
    }

    /** Each item of a top-level list read on its own; an item that fails is reported and left out. */
    private static <T> List<T> list(Problems problems, YamlNode root, String key, Function<YamlNode, T> reader) {
        List<T> read = problems.attempt(() -> root.each(key, reader));
        return read == null ? List.of() : read;
    }

    /** A top-level mapping section, or its defaults when absent; null when it is wrong (and reported). */
    private static <T> T section(Problems problems, YamlNode root, String key, Function<YamlNode, T> reader,
                                 Supplier<T> defaults) {
        return problems.attempt(() -> root.has(key) ? reader.apply(root.get(key)) : defaults.get());
    }

    /**
     * Reports every repeated {@code field} in a top-level list and returns the names seen. Names are read from the
     * file itself, not from the items that passed, so an item with another problem still counts as existing and
     * a reference to it is not reported twice. Null when the list itself cannot be read.
     */
    private static Set<String> unique(Problems problems, YamlNode root, String key, String field) {
        List<YamlNode> items = problems.attempt(() -> root.list(key));
        if (items == null) {
            return null;
        }
        Map<String, YamlNode> seen = new HashMap<>();
        for (YamlNode item : items) {
            YamlNode name = item.isMapping() ? item.get(field) : null;
            if (name == null || !name.isScalar()) {
                continue;
            }
            YamlNode first = seen.putIfAbsent(name.asString(), item);
            if (first != null) {
                problems.add(name.error("duplicate " + field + " '" + name.asString() + "', already used by "
                        + first.path()));
            }
        }
        return new LinkedHashSet<>(seen.keySet());
    }

    private static void uniqueEmails(Problems problems, YamlNode root) {
        List<YamlNode> team = problems.attempt(() -> root.list("team"));
        Map<String, String> owner = new HashMap<>();
        for (YamlNode member : team == null ? List.<YamlNode>of() : team) {
            YamlNode id = member.isMapping() ? member.get("id") : null;
            YamlNode emails = member.isMapping() ? member.get("emails") : null;
            if (id == null || !id.isScalar() || emails == null) {
                continue;
            }
            for (YamlNode email : emails.isScalar() ? List.of(emails) : emails.isSequence() ? emails.items()
                    : List.<YamlNode>of()) {
                if (!email.isScalar()) {
                    continue;
                }
                String previous = owner.putIfAbsent(email.asString().toLowerCase(Locale.ROOT), id.asString());
                if (previous != null) {
                    problems.add(emails.error("'" + email.asString() + "' also belongs to '" + previous
                            + "': git authorship would be ambiguous"));
                }
            }
        }
    }

    /**
     * Components may share an image repository only when each lists the compose services it runs as, and no service
     * is listed twice: otherwise a service could not be told apart, and set-versions would set both to one tag.
     */
    private static void checkSharedImages(Problems problems, List<YamlNode> components) {
        Map<String, YamlNode> firstWithImage = new HashMap<>();
        Map<String, YamlNode> serviceOwner = new HashMap<>();
        for (YamlNode component : components) {
            YamlNode image = component.isMapping() ? component.get("image") : null;
            if (image == null || !image.isScalar()) {
                continue;
            }
            YamlNode first = firstWithImage.putIfAbsent(image.asString(), component);
            if (first != null) {
                for (YamlNode sharing : List.of(first, component)) {
                    if (sharing.get("services") == null) {
                        problems.add(sharing.require("image").error("'" + image.asString() + "' is the image of "
                                + (sharing == first ? component.path() : first.path()) + " too; list the compose"
                                + " services each one runs as under 'services'"));
                    }
                }
            }
            YamlNode services = component.get("services");
            for (YamlNode service : services == null ? List.<YamlNode>of()
                    : services.isScalar() ? List.of(services) : services.items()) {
                YamlNode owner = serviceOwner.putIfAbsent(image.asString() + " " + service.asString(), component);
                if (owner != null) {
                    problems.add(service.error("service '" + service.asString() + "' is also listed by "
                            + owner.path() + ", which has the same image"));
                }
            }
        }
    }

    private static void checkPins(Problems problems, YamlNode pins, Set<String> ids, Set<String> customerNames) {
        if (pins == null) {
            return;
        }
        pins.entries().forEach((customer, pin) -> {
            if (customerNames != null && !customerNames.contains(customer)) {
                problems.add(pin.error("pins an unknown customer '" + customer + "'"));
            }
            if (ids != null && pin.isScalar() && !ids.contains(pin.asString())) {
                problems.add(pin.error("pins '" + pin.asString() + "', who is not on the team"));
            }
        });
    }

    private static void checkAbsences(Problems problems, List<YamlNode> away, Set<String> ids) {
        for (YamlNode absence : ids == null ? List.<YamlNode>of() : away) {
            YamlNode id = absence.isMapping() ? absence.get("id") : null;
            if (id != null && id.isScalar() && !ids.contains(id.asString())) {
                problems.add(id.error("'" + id.asString() + "' is not on the team"));
            }
        }
    }

    private static void checkDeciders(Problems problems, YamlNode deciders, Set<String> ids) {
        if (deciders == null || ids == null) {
            return;
        }
        for (YamlNode decider : deciders.isScalar() ? List.of(deciders) : deciders.items()) {
            if (decider.isScalar() && !ids.contains(decider.asString())) {
                problems.add(decider.error("decider '" + decider.asString() + "' is not on the team"));
            }
        }
    }
}
