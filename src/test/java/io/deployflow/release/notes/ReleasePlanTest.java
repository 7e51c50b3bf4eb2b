package io.deployflow.release.notes;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReleasePlanTest {
    @TempDir
    Path dir;

    private BadInputException refused(String json) {
        Path file = NotesFixture.write(dir, "plan.json", json);
        BadInputException e = assertThrows(BadInputException.class, () -> ReleasePlan.load(file));
        assertEquals(file.toString(), e.file());
        return e;
    }

    @Test
    void readsThePlanTheMeetingWrites() {
        ReleasePlan plan = ReleasePlan.load(NotesFixture.write(dir, "plan.json", NotesFixture.PLAN));
        assertEquals("2026-11-23", plan.meetingDate().toString());
        assertEquals(4, plan.components().size());
        ReleasePlan.Component gateway = plan.components().get(0);
        assertEquals("2.0.0", gateway.releaseVersion());
        assertEquals(4, gateway.changes().size());
        assertEquals(java.util.List.of("FHIR-12", "OPS-3"), gateway.changes().get(0).tickets());
        assertEquals(false, plan.components().get(2).repoPerson().known());
        assertEquals("dev1", plan.customers().get(0).dcPerson().id());
    }

    @Test
    void malformedJsonNamesTheLine() {
        BadInputException e = refused("{\"meetingDate\":\"2026-11-23\",\n\"components\": [\n,]}");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void missingMeetingDate() {
        BadInputException e = refused("{\"components\":[]}");
        assertEquals("meetingDate", e.field());
    }

    @Test
    void badMeetingDate() {
        BadInputException e = refused("{\"meetingDate\":\"23.11.2026\",\"components\":[]}");
        assertEquals("meetingDate", e.field());
        assertTrue(e.getMessage().contains("YYYY-MM-DD"), e.getMessage());
    }

    @Test
    void missingNextVersionOfAChangedComponentNamesFieldAndItsObjectsLine() {
        BadInputException e = refused("""
                {"meetingDate":"2026-11-23","components":[
                  {"name":"a","hasChanges":false,"lastRelease":"1.0.0"},
                  {"name":"b","hasChanges":true,
                   "lastRelease":"1.0.0"}]}
                """);
        assertEquals("components[1].nextVersion", e.field());
        assertEquals(3, e.line());
    }

    @Test
    void versionThatIsNotSemverNamesItsLine() {
        BadInputException e = refused("""
                {"meetingDate":"2026-11-23","components":[
                  {"name":"a","hasChanges":true,
                   "lastRelease":"1.0",
                   "nextVersion":"1.1.0"}]}
                """);
        assertEquals("components[0].lastRelease", e.field());
        assertEquals(3, e.line());
    }

    @Test
    void hasChangesMustBeABoolean() {
        assertEquals("components[0].hasChanges",
                refused("{\"meetingDate\":\"2026-11-23\",\"components\":[{\"name\":\"a\",\"hasChanges\":\"yes\"}]}")
                        .field());
    }

    @Test
    void changeWithoutSubjectAndNonStringTicket() {
        assertEquals("components[0].changes[1].subject", refused("""
                {"meetingDate":"2026-11-23","components":[{"name":"a","hasChanges":true,"nextVersion":"0.1.0",
                 "changes":[{"subject":"feat: x"},{"sha":"abc"}]}]}
                """).field());
        assertEquals("components[0].changes[0].tickets[0]", refused("""
                {"meetingDate":"2026-11-23","components":[{"name":"a","hasChanges":true,"nextVersion":"0.1.0",
                 "changes":[{"subject":"feat: x","tickets":[12]}]}]}
                """).field());
    }

    @Test
    void componentsMustBeAList() {
        assertEquals("components", refused("{\"meetingDate\":\"2026-11-23\",\"components\":{}}").field());
        assertEquals("", refused("[]").field());
    }
}
