package io.deployflow.release.notes;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.ReleaseNotesConfig;
import io.deployflow.core.AtomicFile;
import io.deployflow.core.BadInputException;
import io.deployflow.release.notes.Template.Markup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Release notes from the meeting's plan (S1 "Release Notes"): per released component its version change and its
 * changes grouped as features, fixes and others, breaking changes called out, ticket keys linked; the versions of
 * all services; who releases; known issues. The layout is the template's; what goes in it is decided here.
 */
public final class ReleaseNotes {
    private static final Pattern CONVENTIONAL = Pattern.compile("^([A-Za-z]+)(?:\\(([^()]*)\\))?(!)?:\\s*(.*)$",
            Pattern.DOTALL);

    private final DeployflowConfig config;
    private final ReleaseNotesConfig settings;

    public ReleaseNotes(DeployflowConfig config) {
        this.config = config;
        this.settings = config.releaseNotes();
    }

    /** Renders with the bundled template for the format, or with {@code template} (a team's own) when given. */
    public String render(ReleasePlan plan, NotesFormat format, Path template) {
        Template parsed = template == null ? bundled(format) : Template.parse(template.toString(), read(template));
        return parsed.render(model(plan, format), format);
    }

    /** Writes the notes atomically, so a pipeline never publishes half a file. */
    public static void write(Path out, String text) {
        try {
            AtomicFile.writeString(out, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    Map<String, Object> model(ReleasePlan plan, NotesFormat format) {
        Map<String, Object> model = new LinkedHashMap<>();
        List<ReleasePlan.Component> released = plan.components().stream()
                .filter(ReleasePlan.Component::releaseNeeded).toList();
        model.put("title", settings.title());
        model.put("meetingDate", plan.meetingDate().toString());
        model.put("releasedCount", String.valueOf(released.size()));
        model.put("componentCount", String.valueOf(plan.components().size()));
        model.put("breakingComponents", released.stream().filter(c -> c.changes().stream().anyMatch(this::breaking))
                .map(c -> item("name", c.name())).toList());
        model.put("services", plan.components().stream().map(this::service).toList());
        model.put("components", released.stream().map(c -> component(c, format)).toList());
        model.put("unchanged", plan.components().stream().filter(c -> !c.releaseNeeded() && c.heldBack() == null)
                .map(c -> item("name", c.name(), "version", c.releaseVersion(), "noReleaseNeeded", c.hasChanges(),
                        "changeSummary", changeSummary(c))).toList());
        List<ReleasePlan.Component> heldBack = plan.components().stream().filter(c -> c.heldBack() != null).toList();
        model.put("hasHeldBack", !heldBack.isEmpty());
        model.put("heldBack", heldBack.stream().map(c -> decision(c, c.heldBack())).toList());
        model.put("releasers", released.stream().map(c -> {
            Map<String, Object> row = person(c.repoPerson());
            row.put("component", c.name());
            row.put("version", c.nextVersion());
            return row;
        }).toList());
        model.put("customers", plan.customers().stream().map(c -> {
            Map<String, Object> row = person(c.dcPerson());
            row.put("customer", c.name());
            return row;
        }).toList());
        model.put("hasUnchanged", released.size() + heldBack.size() < plan.components().size());
        model.put("hasCustomers", !plan.customers().isEmpty());
        List<Map<String, Object>> knownIssues = new ArrayList<>();
        plan.components().stream().filter(c -> c.knownError() != null).forEach(c -> knownIssues.add(item("text",
                linked(c.name() + " " + c.releaseVersion() + " is released with a known error: "
                        + c.knownError().reason() + " (decided by " + c.knownError().decidedBy() + ")",
                        List.of(), format))));
        settings.knownIssues().forEach(issue -> knownIssues.add(item("text", linked(issue, List.of(), format))));
        model.put("hasKnownIssues", !knownIssues.isEmpty());
        model.put("knownIssues", knownIssues);
        return model;
    }

    /** A decision beside a component, as the notes show it: who decided what, why and when. */
    private static Map<String, Object> decision(ReleasePlan.Component c, ReleasePlan.Decision d) {
        return item("name", c.name(), "plannedVersion", d.plannedVersion(), "keptAt", d.keptAt(),
                "customer", d.customer(), "reason", d.reason(), "decidedBy", d.decidedBy(),
                "decidedOn", d.decidedAt() == null ? null : d.decidedAt().substring(0, Math.min(10,
                        d.decidedAt().length())));
    }

    private Map<String, Object> service(ReleasePlan.Component c) {
        String image = c.image() != null ? c.image() : config.components().stream()
                .filter(known -> known.name().equals(c.name())).map(io.deployflow.config.Component::image)
                .filter(i -> i != null).findFirst().orElse(null);
        return item("name", c.name(),
                "version", c.releaseVersion() == null ? "not released yet" : c.releaseVersion(),
                "change", c.releaseNeeded() ? versionChange(c) : c.heldBack() != null ? "held back ("
                        + c.heldBack().plannedVersion() + " not released)"
                        : c.hasChanges() ? "no release needed" : "unchanged",
                "released", c.releaseNeeded(),
                "image", image == null || c.releaseVersion() == null ? "-" : image + ":" + c.releaseVersion());
    }

    /** "2 changes: docs, chore" for a component whose changes make no release. */
    private static String changeSummary(ReleasePlan.Component c) {
        if (!c.hasChanges()) {
            return "";
        }
        List<String> types = c.changes().stream().map(change -> change.type() == null ? "untyped" : change.type())
                .distinct().toList();
        return c.changes().size() + (c.changes().size() == 1 ? " change" : " changes")
                + (types.isEmpty() ? "" : ": " + String.join(", ", types));
    }

    private Map<String, Object> component(ReleasePlan.Component c, NotesFormat format) {
        List<Map<String, Object>> features = new ArrayList<>();
        List<Map<String, Object>> fixes = new ArrayList<>();
        List<Map<String, Object>> other = new ArrayList<>();
        List<Map<String, Object>> breaking = new ArrayList<>();
        for (ReleasePlan.Change change : c.changes()) {
            Map<String, Object> entry = change(change, format);
            switch (type(change)) {
                case "feat" -> features.add(entry);
                case "fix" -> fixes.add(entry);
                default -> other.add(entry);
            }
            if (breaking(change)) {
                breaking.add(entry);
            }
        }
        Map<String, Object> model = person(c.repoPerson());
        model.put("name", c.name());
        model.put("versionChange", versionChange(c));
        model.put("breaking", breaking);
        model.put("features", features);
        model.put("fixes", fixes);
        model.put("other", other);
        // Templates are logic-less: a heading shown once above a list needs its own flag.
        model.put("hasBreaking", !breaking.isEmpty());
        model.put("hasFeatures", !features.isEmpty());
        model.put("hasFixes", !fixes.isEmpty());
        model.put("hasOther", !other.isEmpty());
        return model;
    }

    private Map<String, Object> change(ReleasePlan.Change change, NotesFormat format) {
        Matcher m = CONVENTIONAL.matcher(change.subject());
        String description = change.subject();
        String scope = null;
        if (m.matches()) {
            description = m.group(4);
            scope = m.group(2);
        }
        return item("text", linked(description, change.tickets(), format),
                "scope", scope == null || scope.isBlank() ? null : scope,
                "sha", change.sha() == null ? null : change.sha().substring(0, Math.min(7, change.sha().length())),
                "isBreaking", breaking(change));
    }

    /** The plan's type; a hand-written plan may leave it out, then the subject says it. */
    private static String type(ReleasePlan.Change change) {
        if (change.type() != null) {
            return change.type().toLowerCase(Locale.ROOT);
        }
        Matcher m = CONVENTIONAL.matcher(change.subject());
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    private boolean breaking(ReleasePlan.Change change) {
        Matcher m = CONVENTIONAL.matcher(change.subject());
        return change.breaking() || (m.matches() && m.group(3) != null);
    }

    private static String versionChange(ReleasePlan.Component c) {
        return c.lastRelease() == null ? "first release " + c.nextVersion() : c.lastRelease() + " → " + c.nextVersion();
    }

    /**
     * The text with every ticket key (by the configured pattern) linked, then the plan's other tickets for the
     * change, which the meeting may have found in the commit body, in parentheses.
     */
    private Markup linked(String text, List<String> tickets, NotesFormat format) {
        StringBuilder out = new StringBuilder();
        Set<String> seen = new LinkedHashSet<>();
        Matcher m = settings.ticketPattern().matcher(text);
        int at = 0;
        while (m.find()) {
            out.append(format.escape(text.substring(at, m.start())));
            out.append(ticket(m.group(), format));
            seen.add(m.group());
            at = m.end();
        }
        out.append(format.escape(text.substring(at)));
        List<String> more = tickets.stream().filter(t -> !seen.contains(t)).distinct().toList();
        if (!more.isEmpty()) {
            out.append(" (").append(String.join(", ", more.stream().map(t -> ticket(t, format)).toList())).append(')');
        }
        return new Markup(out.toString());
    }

    private String ticket(String key, NotesFormat format) {
        String url = settings.linkFor(key);
        return url == null ? format.escape(key) : format.link(key, url);
    }

    private static Map<String, Object> person(ReleasePlan.Person person) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("personName", person == null ? "nobody found" : person.name() != null ? person.name()
                : person.id() != null ? person.id() : person.email());
        row.put("personId", person == null ? null : person.id());
        row.put("personEmail", person == null ? null : person.email());
        row.put("personUnknown", person != null && !person.known());
        return row;
    }

    /** An ordered map from alternating keys and values; values may be null, which the template shows as empty. */
    private static Map<String, Object> item(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private static Template bundled(NotesFormat format) {
        String name = format.templateResource();
        try (InputStream in = ReleaseNotes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("template missing from the jar: " + name);
            }
            return Template.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path template) {
        try {
            return Files.readString(template);
        } catch (IOException e) {
            throw new BadInputException(template.toString(), 0, "--template", "cannot read: " + e.getMessage());
        }
    }
}
