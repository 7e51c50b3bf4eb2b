package io.deployflow.meeting;

import io.deployflow.config.ConfigLoader;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.meeting.MeetingPlan.CustomerPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DcPersonRotationTest {
    private static final LocalDate START = LocalDate.of(2026, 1, 5);
    @TempDir
    Path dir;

    private DeployflowConfig config(int people, int customers, String meetingExtra) throws IOException {
        StringBuilder yaml = new StringBuilder("team:\n");
        for (int i = 1; i <= people; i++) {
            yaml.append("  - {id: dev").append(i).append(", emails: [dev").append(i).append("@example.org]}\n");
        }
        yaml.append("customers:\n");
        for (int i = 1; i <= customers; i++) {
            yaml.append("  - {name: c").append(i).append(", repo: 'https://git.example.org/c").append(i)
                    .append(".git'}\n");
        }
        yaml.append("meeting:\n  rotationStart: ").append(START).append("\n  cadenceDays: 7\n").append(meetingExtra);
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }

    private static Map<String, String> byCustomer(List<CustomerPlan> plans) {
        Map<String, String> out = new HashMap<>();
        plans.forEach(p -> out.put(p.name(), p.dcPerson().id()));
        return out;
    }

    @Test
    void everyoneTakesEveryCustomerOnceOverOneFullRound() throws IOException {
        DcPersonRotation rotation = new DcPersonRotation(config(4, 2, ""));
        Map<String, Set<String>> peoplePerCustomer = new HashMap<>();
        Map<String, Integer> load = new HashMap<>();
        for (int meeting = 0; meeting < 4; meeting++) {
            List<CustomerPlan> plans = rotation.assign(START.plusWeeks(meeting));
            assertEquals(2, plans.size());
            assertNotEquals(plans.get(0).dcPerson().id(), plans.get(1).dcPerson().id(),
                    "two customers, enough people: not the same person twice in one meeting");
            for (CustomerPlan p : plans) {
                assertEquals("rotation", p.rule());
                peoplePerCustomer.computeIfAbsent(p.name(), k -> new HashSet<>()).add(p.dcPerson().id());
                load.merge(p.dcPerson().id(), 1, Integer::sum);
            }
        }
        assertEquals(Set.of("dev1", "dev2", "dev3", "dev4"), peoplePerCustomer.get("c1"));
        assertEquals(Set.of("dev1", "dev2", "dev3", "dev4"), peoplePerCustomer.get("c2"));
        assertEquals(Map.of("dev1", 2, "dev2", 2, "dev3", 2, "dev4", 2), load);
    }

    @Test
    void sameDateSameAnswerAndAnyDayOfTheWeekCountsAsThatMeeting() throws IOException {
        DcPersonRotation rotation = new DcPersonRotation(config(3, 2, ""));
        LocalDate monday = START.plusWeeks(10);
        assertEquals(rotation.assign(monday), rotation.assign(monday));
        assertEquals(10, rotation.meetingIndex(monday));
        assertEquals(10, rotation.meetingIndex(monday.plusDays(6)));
        assertEquals(11, rotation.meetingIndex(monday.plusDays(7)));
        assertEquals(-1, rotation.meetingIndex(START.minusDays(1)), "before the start counts backwards");
        assertEquals(byCustomer(rotation.assign(monday)), byCustomer(rotation.assign(monday.plusDays(3))));
        // meeting 10, 3 people: customer 0 gets (10+0) mod 3 = 1 -> dev2, customer 1 gets (10+1) mod 3 = 2 -> dev3
        assertEquals(Map.of("c1", "dev2", "c2", "dev3"), byCustomer(rotation.assign(monday)));
    }

    @Test
    void pinnedCustomerKeepsItsPersonAndOthersRotate() throws IOException {
        DcPersonRotation rotation = new DcPersonRotation(config(3, 3, "  pins: {c2: dev3}\n"));
        for (int meeting = 0; meeting < 6; meeting++) {
            List<CustomerPlan> plans = rotation.assign(START.plusWeeks(meeting));
            assertEquals("dev3", plans.get(1).dcPerson().id());
            assertEquals("pin", plans.get(1).rule());
            assertEquals("rotation", plans.get(0).rule());
            assertEquals(List.of("dev1", "dev2", "dev3").get(meeting % 3), plans.get(0).dcPerson().id());
            assertEquals(List.of("dev1", "dev2", "dev3").get((meeting + 1) % 3), plans.get(2).dcPerson().id());
        }
    }

    @Test
    void peopleAwayAreSkippedAndAPinnedPersonAwayFallsBackToTheRotation() throws IOException {
        DcPersonRotation rotation = new DcPersonRotation(config(3, 2,
                "  pins: {c1: dev1}\n  away:\n    - {id: dev1, from: 2026-03-01, until: 2026-03-14}\n"
                        + "    - {id: dev2, from: 2026-03-09, until: 2026-03-09}\n"));
        LocalDate meeting = LocalDate.of(2026, 3, 9);
        List<CustomerPlan> plans = rotation.assign(meeting);
        assertEquals(List.of("dev3"), rotation.available(meeting).stream().map(m -> m.id()).toList());
        assertEquals("dev3", plans.get(0).dcPerson().id());
        assertEquals("rotation (pin away)", plans.get(0).rule());
        assertEquals("dev3", plans.get(1).dcPerson().id());
        LocalDate back = LocalDate.of(2026, 3, 16);
        assertEquals("dev1", rotation.assign(back).get(0).dcPerson().id());
        assertEquals("pin", rotation.assign(back).get(0).rule());
        for (int week = 0; week < 8; week++) {
            LocalDate d = LocalDate.of(2026, 2, 23).plusWeeks(week);
            rotation.assign(d).forEach(p -> assertTrue(rotation.available(d).stream()
                    .anyMatch(m -> m.id().equals(p.dcPerson().id())), "nobody away is chosen on " + d));
        }
    }

    @Test
    void everyoneAwayIsBadInputNamingTheField() throws IOException {
        DcPersonRotation rotation = new DcPersonRotation(config(1, 1,
                "  away:\n    - {id: dev1, from: 2026-03-01, until: 2026-03-14}\n"));
        BadInputException e = assertThrows(BadInputException.class, () -> rotation.assign(LocalDate.of(2026, 3, 2)));
        assertEquals("meeting.away", e.field());
    }
}
