package io.deployflow.promotion;

import io.deployflow.config.ConfigLoader;
import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The promotion and hotfix sections: what they mean, and each mistake named by file, line and field. */
class PromotionConfigTest {
    @TempDir
    Path dir;

    Path write(String promotion) throws IOException {
        Path file = dir.resolve("deployflow.yaml");
        Files.writeString(file, PromotionFixture.TEAM + promotion);
        return file;
    }

    String refusal(String promotion) throws IOException {
        Path file = write(promotion);
        return assertThrows(BadInputException.class, () -> ConfigLoader.load(file)).getMessage()
                .replace(file.toString(), "deployflow.yaml");
    }

    /** The line of the first line of {@code promotion} that contains {@code text}. */
    static int line(String promotion, String text) {
        List<String> lines = (PromotionFixture.TEAM + promotion).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text);
    }

    @Test
    void theEnvironmentTableReadsAsWritten() throws IOException {
        PromotionConfig config = ConfigLoader.load(write(PromotionFixture.ENVIRONMENTS)).promotion();
        assertEquals(List.of("Dev", "SIT", "UAT", "Pre-Prod", "Production"),
                config.environments().stream().map(Environment::name).toList());
        Environment uat = config.environment("UAT");
        assertEquals(new Requirements(true, List.of("sit-sign-off"), true, true, true), uat.requires());
        assertEquals("uat-stack", uat.target());
        assertEquals(new Requirements(false, List.of(), false, false, false), config.environment("Dev").requires());
        Environment production = config.production();
        assertEquals("Production", production.name(), "the last environment is production unless one says so");
        assertFalse(uat.production());
        assertEquals(ZoneId.of("Europe/London"), production.zone());
        assertEquals(List.of(new DeploymentHours(java.util.EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
                java.time.LocalTime.of(19, 0), java.time.LocalTime.of(23, 0))), production.hours());
        assertEquals("Christmas change freeze", production.freezes().get(0).reason());
        assertEquals(config.environment("Pre-Prod"), config.previous(production));
    }

    @Test
    void overlappingFreezeWindowsAreRefusedNamingBoth() throws IOException {
        String yaml = """
                promotion:
                  environments:
                    - name: Production
                      timeZone: Europe/London
                      freeze:
                        - {from: "2026-12-18 17:00", until: "2027-01-04 08:00", reason: Christmas}
                        - {from: "2026-12-31", until: "2027-01-01", reason: New year}
                """;
        assertEquals("deployflow.yaml:" + line(yaml, "New year") + ": promotion.environments[0].freeze[1]: overlaps"
                + " freeze[0] on line " + line(yaml, "reason: Christmas") + " (2026-12-18 17:00 – 2027-01-04 08:00"
                + " Europe/London (Christmas)): 2026-12-31 00:00 – 2027-01-02 00:00 Europe/London (New year); merge"
                + " them into one window or correct the dates", refusal(yaml));
    }

    @Test
    void freezeWindowsInDifferentTimeZonesOverlapAsTheyReallyFall() throws IOException {
        // 04:00–06:00 in New York is 09:00–11:00 in London: inside the London window
        String overlapping = """
                promotion:
                  environments:
                    - name: Production
                      timeZone: Europe/London
                      freeze:
                        - {from: "2026-12-24 09:00", until: "2026-12-24 17:00", reason: London go-live}
                        - {from: "2026-12-24 04:00", until: "2026-12-24 06:00", timeZone: America/New_York, reason: NY}
                """;
        assertTrue(refusal(overlapping).startsWith("deployflow.yaml:" + line(overlapping, "reason: NY")
                + ": promotion.environments[0].freeze[1]: overlaps freeze[0]"), refusal(overlapping));
        // 02:00–04:00 in New York is 07:00–09:00 in London: touching, not overlapping
        String touching = overlapping.replace("04:00", "02:00").replace("06:00", "04:00");
        Environment production = ConfigLoader.load(write(touching)).promotion().environment("Production");
        assertEquals(2, production.freezes().size());
        assertEquals(production.freezes().get(1).end(), production.freezes().get(0).start());
    }

    @Test
    void eachMistakeNamesItsLineAndField() throws IOException {
        String yaml = """
                promotion:
                  timeZone: Europe/Londn
                  override: emergency-promotoin
                  environments:
                    - name: Dev
                      requires: {previous: true}
                    - name: UAT
                      requires: {approvals: [uat-signoff]}
                      hours:
                        - {days: Mon-Fry, from: "9:00", until: "17:00"}
                        - {days: [Sat], from: "10:00", until: "10:00"}
                      freeze:
                        - {from: "2026-12-24 18:00", until: "2026-12-24 09:00"}
                    - name: uat
                hotfix:
                  approval: hotfix-prod
                  rcaSignOff: rca-sign-off
                  testEnvironment: Pre-Prod
                  inform: [product-owners]
                """;
        List<String> lines = refusal(yaml).lines().toList();
        assertTrue(lines.size() >= 8, String.join("\n", lines));
        String all = String.join("\n", lines);
        for (String expected : List.of(
                ":" + line(yaml, "Europe/Londn") + ": promotion.timeZone: 'Europe/Londn' is not a time zone",
                ":" + line(yaml, "emergency-promotoin") + ": promotion.override: unknown approval task"
                        + " 'emergency-promotoin'; did you mean 'emergency-promotion'?",
                ":" + line(yaml, "previous: true") + ": promotion.environments[0].requires.previous: the first"
                        + " environment has no environment before it",
                ":" + line(yaml, "Mon-Fry") + ": promotion.environments[1].hours[0].days: 'Fry' is not a day",
                ":" + line(yaml, "\"10:00\", until: \"10:00\"") + ": promotion.environments[1].hours[1].until:"
                        + " equals 'from' (10:00)",
                ":" + line(yaml, "2026-12-24 18:00") + ": promotion.environments[1].freeze[0].until: is not after"
                        + " 'from' (2026-12-24 18:00)",
                ":" + line(yaml, "name: uat") + ": promotion.environments[2].name: duplicate environment 'uat'",
                ":" + line(yaml, "approval: hotfix-prod") + ": hotfix.approval: unknown approval task 'hotfix-prod'."
                        + " Declare it",
                ":" + line(yaml, "product-owners") + ": hotfix.inform: unknown role 'product-owners'; did you mean"
                        + " 'product-owner'?")) {
            assertTrue(all.contains(expected), "expected «" + expected + "» in:\n" + all);
        }
    }

    @Test
    void aTimeOfDayMustBeHoursAndMinutes() throws IOException {
        String yaml = """
                promotion:
                  environments:
                    - name: Production
                      hours: [{days: Mon-Fri, from: "9:00", until: "24:00"}]
                """;
        String message = refusal(yaml);
        assertTrue(message.contains("promotion.environments[0].hours[0].from: '9:00' is not a time of day as"
                + " HH:MM"), message);
        assertTrue(message.contains("promotion.environments[0].hours[0].until: '24:00' is not a time of day"
                + " as HH:MM (00:00 to 23:59; a window ending at midnight ends at 00:00)"), message);
    }

    @Test
    void theHotfixTestEnvironmentMustExist() throws IOException {
        String yaml = PromotionFixture.ENVIRONMENTS.replace("inform: [product-owner]",
                "inform: [product-owner]\n  testEnvironment: PreProd");
        assertTrue(refusal(yaml).startsWith("deployflow.yaml:" + line(yaml, "PreProd") + ": hotfix.testEnvironment:"
                + " unknown environment 'PreProd'; did you mean 'Pre-Prod'?"), refusal(yaml));
    }

    @Test
    void aHotfixSectionNeedsEnvironments() throws IOException {
        String yaml = """
                hotfix:
                  approval: hotfix-production
                  rcaSignOff: rca-sign-off
                """;
        assertTrue(refusal(yaml).contains("hotfix: the hotfix lane deploys through promotion.environments"),
                refusal(yaml));
    }
}
