package io.deployflow.promotion;

import io.deployflow.config.Problems;
import io.deployflow.config.Suggest;
import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code promotion} section: the environments a version goes through, in order, each with its criteria, its
 * deployment hours and its freeze windows (the environment table of the release process), and the approval task
 * that is the only way past unmet criteria in an emergency.
 *
 * @param override the approval task whose approval lets one promotion past its unmet criteria; null: none
 * @param file     deployflow.yaml, for messages
 * @param line     the section's line (0 when absent)
 * @param environmentsLine the line of {@code promotion.environments}, where "unknown environment" points
 */
public record PromotionConfig(ZoneId zone, String override, List<Environment> environments, String file,
                              int line, int environmentsLine) {
    static final List<String> KEYS = List.of("timeZone", "override", "environments");
    static final List<String> ENVIRONMENT_KEYS = List.of("name", "requires", "timeZone", "hours", "freeze",
            "production", "target", "routes", "baseUrl");
    static final List<String> HOURS_KEYS = List.of("days", "from", "until");
    static final List<String> FREEZE_KEYS = List.of("from", "until", "reason", "timeZone");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._()-]*");
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])");
    private static final Pattern DAY_RANGE = Pattern.compile("([A-Za-z]{3})\\s*-\\s*([A-Za-z]{3})");

    public PromotionConfig {
        environments = List.copyOf(environments);
    }

    public static PromotionConfig none(String file) {
        return new PromotionConfig(ZoneOffset.UTC, null, List.of(), file, 0, 0);
    }

    /**
     * Reads the section, reporting each problem to {@code problems} and going on with the rest, so one run names
     * every mistake: an environment that cannot be read is left out, a window that cannot be read too.
     */
    public static PromotionConfig from(YamlNode node, Problems problems) {
        node.allowOnly(KEYS);
        ZoneId zone = or(problems.attempt(() -> zone(node, ZoneOffset.UTC)), ZoneOffset.UTC);
        String override = problems.attempt(() -> node.string("override", null));
        List<YamlNode> items = node.requireItems("environments", "list the environments in the order a version"
                + " goes through them");
        List<Environment> environments = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            boolean first = i == 0;
            boolean last = i == items.size() - 1;
            Environment environment = problems.attempt(() -> environment(item, zone, first, last, problems));
            if (environment == null) {
                continue;
            }
            if (!names.add(environment.name().toLowerCase(Locale.ROOT))) {
                problems.add(item.require("name").error("duplicate environment '" + environment.name() + "'"));
                continue;
            }
            if (environment.production() && environments.stream().anyMatch(Environment::production)) {
                problems.add(item.require("production").error("only one environment is production; "
                        + environments.stream().filter(Environment::production).findFirst().orElseThrow().name()
                        + " already is"));
                continue;
            }
            environments.add(environment);
        }
        return new PromotionConfig(zone, override, environments, node.file(), node.line(), items.get(0).line());
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static Environment environment(YamlNode node, ZoneId defaultZone, boolean first, boolean last,
                                           Problems problems) {
        node.allowOnly(ENVIRONMENT_KEYS);
        String name = node.matching("name", null, NAME, "letters, digits, spaces and . _ ( ) -");
        if (name == null) {
            node.require("name");
        }
        ZoneId zone = or(problems.attempt(() -> zone(node, defaultZone)), defaultZone);
        Requirements requires = or(problems.attempt(() -> Requirements.from(node.get("requires"), first)),
                new Requirements(!first, List.of(), false, false, false));
        List<DeploymentHours> hours = new ArrayList<>();
        for (YamlNode item : or(problems.attempt(() -> node.list("hours")), List.<YamlNode>of())) {
            DeploymentHours read = problems.attempt(() -> hours(item, problems));
            if (read != null) {
                hours.add(read);
            }
        }
        List<YamlNode> freezeNodes = new ArrayList<>();
        List<FreezeWindow> freezes = new ArrayList<>();
        for (YamlNode item : or(problems.attempt(() -> node.list("freeze")), List.<YamlNode>of())) {
            FreezeWindow read = problems.attempt(() -> freeze(item, zone, problems));
            if (read != null) {
                freezeNodes.add(item);
                freezes.add(read);
            }
        }
        refuseOverlaps(freezeNodes, freezes, problems);
        boolean production = or(problems.attempt(() -> node.bool("production", false)), false);
        return new Environment(name, zone, requires, hours, freezes, node.string("target", null),
                node.string("routes", null), node.string("baseUrl", null), production || last && !node.has(
                "production"), node.path(), node.line());
    }

    /**
     * Two freeze windows of one environment that overlap are refused: one of them is a mistake (a wrong date, a
     * window copied and not changed), and which reason a refusal should give would be ambiguous. Compared as
     * instants, so windows written in different time zones are compared as they really fall. The later of the two
     * in the file is named, with the line of the one it overlaps.
     */
    private static void refuseOverlaps(List<YamlNode> nodes, List<FreezeWindow> freezes, Problems problems) {
        for (int i = 1; i < freezes.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (freezes.get(i).overlaps(freezes.get(j))) {
                    FreezeWindow other = freezes.get(j);
                    problems.add(nodes.get(i).error("overlaps freeze[" + j + "] on line " + other.line() + " ("
                            + other.describe() + "): " + freezes.get(i).describe() + "; merge them into one window"
                            + " or correct the dates"));
                    break;
                }
            }
        }
    }

    private static DeploymentHours hours(YamlNode node, Problems problems) {
        node.allowOnly(HOURS_KEYS);
        Set<DayOfWeek> days = problems.attempt(() -> days(node.require("days")));
        LocalTime from = problems.attempt(() -> time(node.require("from")));
        LocalTime until = problems.attempt(() -> time(node.require("until")));
        if (days == null || from == null || until == null) {
            return null;
        }
        if (from.equals(until)) {
            throw node.require("until").error("equals 'from' (" + from + "): the window would be empty; for all day"
                    + " leave the hours out");
        }
        return new DeploymentHours(days, from, until);
    }

    private static FreezeWindow freeze(YamlNode node, ZoneId environmentZone, Problems problems) {
        node.allowOnly(FREEZE_KEYS);
        ZoneId zone = problems.attempt(() -> zone(node, environmentZone));
        LocalDateTime from = problems.attempt(() -> dateTime(node.require("from"), false));
        LocalDateTime until = problems.attempt(() -> dateTime(node.require("until"), true));
        if (zone == null || from == null || until == null) {
            return null;
        }
        if (!until.isAfter(from)) {
            throw node.require("until").error("is not after 'from' (" + Times.local(from) + ")");
        }
        return new FreezeWindow(from, until, zone, node.string("reason", ""), node.path(), node.line());
    }

    private static ZoneId zone(YamlNode node, ZoneId fallback) {
        YamlNode value = node.get("timeZone");
        if (value == null) {
            return fallback;
        }
        try {
            return ZoneId.of(value.asString());
        } catch (DateTimeException e) {
            throw value.error("'" + value.asString() + "' is not a time zone; use an IANA name such as"
                    + " Europe/London, America/New_York or UTC");
        }
    }

    /** {@code [Mon, Tue]}, {@code Mon-Fri}, {@code [Mon-Wed, Fri]}. */
    private static Set<DayOfWeek> days(YamlNode node) {
        List<YamlNode> items = node.isScalar() ? List.of(node) : node.items();
        if (items.isEmpty()) {
            throw node.error("is empty; name the days the window opens on, such as [Mon, Tue] or Mon-Fri");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (YamlNode item : items) {
            String text = item.asString().trim();
            Matcher range = DAY_RANGE.matcher(text);
            if (range.matches()) {
                DayOfWeek first = day(item, range.group(1));
                DayOfWeek last = day(item, range.group(2));
                for (DayOfWeek d = first; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == last) {
                        break;
                    }
                }
            } else {
                days.add(day(item, text));
            }
        }
        return days;
    }

    private static DayOfWeek day(YamlNode node, String text) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (Times.day(day).equalsIgnoreCase(text) || day.name().equalsIgnoreCase(text)) {
                return day;
            }
        }
        throw node.error("'" + text + "' is not a day; use Mon, Tue, Wed, Thu, Fri, Sat, Sun or a range such as"
                + " Mon-Fri");
    }

    private static LocalTime time(YamlNode node) {
        String text = node.asString().trim();
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw node.error("'" + text + "' is not a time of day as HH:MM (00:00 to 23:59; a window ending at"
                    + " midnight ends at 00:00)");
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * "2026-12-18 17:00", "2026-12-18T17:00", or a date alone: from its start, or, for {@code until}, to its end
     * (the day is included, as people say "until the 4th").
     */
    private static LocalDateTime dateTime(YamlNode node, boolean until) {
        String text = node.asString().trim();
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return until ? day.plusDays(1).atStartOfDay() : day.atStartOfDay();
            }
            return LocalDateTime.parse(text.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw node.error("'" + text + "' is not a local date and time as YYYY-MM-DD HH:MM (or a date"
                    + " YYYY-MM-DD)");
        }
    }

    /** The environment of this name; exit 2 naming the section, with the nearest name. */
    public Environment environment(String name) {
        for (Environment environment : environments) {
            if (environment.name().equals(name)) {
                return environment;
            }
        }
        throw new BadInputException(file, environmentsLine, "promotion.environments", unknown(name));
    }

    /** Why there is no environment of this name: the nearest one, and those there are. */
    public String unknown(String name) {
        List<String> names = environments.stream().map(Environment::name).toList();
        if (names.isEmpty()) {
            return "no environments are declared, so there is no '" + name + "' to promote to; list them under"
                    + " promotion.environments";
        }
        String nearest = Suggest.nearest(name, names);
        return "unknown environment '" + name + "'" + (nearest == null ? "." : "; did you mean '" + nearest + "'?")
                + " Environments: " + String.join(", ", names);
    }

    /** The environment before this one, if any. */
    public Environment previous(Environment environment) {
        int i = environments.indexOf(environment);
        return i <= 0 ? null : environments.get(i - 1);
    }

    /** The production environment, or null when none is declared. */
    public Environment production() {
        return environments.stream().filter(Environment::production).findFirst().orElse(null);
    }

    /**
     * Every approval task named here exists (in {@code approval.tasks}, or built in); reported on the line that
     * names it.
     */
    public static void checkTasks(YamlNode node, PromotionConfig config, Set<String> tasks, Problems problems) {
        if (node == null || config == null) {
            return;
        }
        if (config.override() != null && !tasks.contains(config.override())) {
            problems.add(unknownTask(node.require("override"), config.override(), tasks));
        }
        List<YamlNode> items = node.list("environments");
        for (int i = 0; i < items.size() && i < config.environments().size(); i++) {
            YamlNode requires = items.get(i).get("requires");
            for (String task : config.environments().get(i).requires().approvals()) {
                if (!tasks.contains(task)) {
                    problems.add(unknownTask(requires.require("approvals"), task, tasks));
                }
            }
        }
    }

    public static BadInputException unknownTask(YamlNode at, String task, Set<String> tasks) {
        String nearest = Suggest.nearest(task, tasks);
        return at.error("unknown approval task '" + task + "'" + (nearest == null ? "." : "; did you mean '" + nearest
                + "'?") + " Declare it under approval.tasks. Tasks: " + String.join(", ", tasks));
    }
}
