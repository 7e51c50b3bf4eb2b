package io.deployflow.promotion;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** How times and days are written in promotion messages: as people read them, in the environment's zone. */
final class Times {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ROOT);

    private Times() {
    }

    static String local(LocalDateTime time) {
        return LOCAL.format(time);
    }

    /** "Sat 2026-11-21 14:00 Europe/London". */
    static String zoned(ZonedDateTime time) {
        return ZONED.format(time) + " " + time.getZone().getId();
    }

    static String day(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ROOT);
    }

    /** Consecutive days as ranges: "Mon–Thu", "Mon, Wed, Fri", "Sat–Sun". */
    static String days(Set<DayOfWeek> days) {
        List<String> parts = new ArrayList<>();
        List<DayOfWeek> sorted = new ArrayList<>(new TreeSet<>(days));
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1).getValue() == sorted.get(j).getValue() + 1) {
                j++;
            }
            parts.add(j - i >= 2 ? day(sorted.get(i)) + "–" + day(sorted.get(j))
                    : j == i ? day(sorted.get(i)) : day(sorted.get(i)) + ", " + day(sorted.get(j)));
            i = j + 1;
        }
        return String.join(", ", parts);
    }
}
