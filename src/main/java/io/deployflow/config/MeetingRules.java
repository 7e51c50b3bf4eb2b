package io.deployflow.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the release meeting picks a dc-person: a rotation counted in meetings since {@code rotationStart}, every
 * {@code cadenceDays}, with pins per customer and absences (see {@code meeting.DcPersonRotation}); and which commits
 * make a release at all ({@link ReleaseRules}).
 */
public record MeetingRules(LocalDate rotationStart, int cadenceDays, Map<String, String> pins,
                           List<Absence> away, ReleaseRules releaseRules) {
    static final List<String> KEYS = List.of("rotationStart", "cadenceDays", "pins", "away", "releaseRules");
    static final LocalDate DEFAULT_START = LocalDate.of(2026, 1, 5);

    /** A person who is away from {@code from} to {@code until}, both days included. */
    public record Absence(String id, LocalDate from, LocalDate until) {
        static final List<String> KEYS = List.of("id", "from", "until");

        public boolean covers(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(until);
        }
    }

    static MeetingRules defaults() {
        return new MeetingRules(DEFAULT_START, 7, Map.of(), List.of(), ReleaseRules.defaults());
    }

    static MeetingRules from(YamlNode node) {
        node.allowOnly(KEYS);
        List<Absence> away = node.each("away", MeetingRules::absence);
        YamlNode rules = node.get("releaseRules");
        return new MeetingRules(date(node, "rotationStart", DEFAULT_START), node.integer("cadenceDays", 7, 1, 366),
                new LinkedHashMap<>(node.stringMap("pins")), away,
                rules == null ? ReleaseRules.defaults() : ReleaseRules.from(rules));
    }

    private static Absence absence(YamlNode item) {
        item.allowOnly(Absence.KEYS);
        String id = item.string("id");
        LocalDate from = date(item, "from", null);
        LocalDate until = date(item, "until", null);
        if (until.isBefore(from)) {
            throw item.require("until").error("is before 'from' (" + from + ")");
        }
        return new Absence(id, from, until);
    }

    private static LocalDate date(YamlNode node, String key, LocalDate fallback) {
        YamlNode value = fallback == null ? node.require(key) : node.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.asString());
        } catch (DateTimeParseException e) {
            throw value.error("must be a date as YYYY-MM-DD, not '" + value.asString() + "'");
        }
    }
}
