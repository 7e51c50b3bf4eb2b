package io.deployflow.meeting;

import io.deployflow.core.Json;
import io.deployflow.meeting.MeetingPlan.Change;
import io.deployflow.meeting.MeetingPlan.ComponentPlan;
import io.deployflow.meeting.MeetingPlan.CustomerPlan;
import io.deployflow.meeting.MeetingPlan.Person;
import io.deployflow.meeting.MeetingPlan.Rotation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The meeting writes its plan with the streaming generator; what it writes is byte for byte what the JSON mapper
 * writes for the same plan (every field, nulls, empty lists, escapes, non-ASCII), so the steps and the engine that
 * read plans see no difference, and a record field added without the writer learning it fails here.
 */
class PlanJsonTest {
    @TempDir
    Path dir;

    static MeetingPlan plan() {
        Person known = new Person("dev1", "Dana Dev", "dana@example.org", true);
        Person unknown = Person.unknown("Zoë \"Z\" Outsider", "zoe@elsewhere.example");
        ComponentPlan releasing = new ComponentPlan("fhir-gateway", "https://git.example.org/fhir/gateway.git",
                "registry.example.org/fhir/gateway", "develop", true, true, "1.4.2", "v1.4.2", "1.5.0", "1.5.0",
                "minor", unknown, List.of(
                        new Change("c27f4da0fb6345f00bc6b047e55ea11c405b578f", "feat(api): Patient/$everything \\ "
                                + "tab\there (FHIR-12)", "zoe@elsewhere.example", "Zoë", "feat", true,
                                List.of("FHIR-12", "OPS-3")),
                        new Change("701f1bd1f3c8a2f428acb7175b803330e5815b37", "untyped subject", "dana@example.org",
                                "Dana Dev", null, false, List.of())),
                "0123456789abcdef0123456789abcdef01234567");
        ComponentPlan quiet = new ComponentPlan("terminology", "git@git.example.org:fhir/terminology.git", null,
                "main", false, false, null, null, null, null, null, null, List.of(),
                "89abcdef0123456789abcdef0123456789abcdef");
        return new MeetingPlan("2026-11-23", new Rotation("2026-01-05", 7, 46, List.of("dev1", "dev2")),
                List.of(releasing, quiet), List.of(new CustomerPlan("st-mary", known, "rotation"),
                new CustomerPlan("empty-roster", null, "pin")));
    }

    @Test
    void writesWhatTheMapperWrites() throws Exception {
        Path file = dir.resolve("plan.json");
        PlanJson.write(file, plan());
        assertEquals(Json.mapper().writeValueAsString(plan()), Files.readString(file));
    }

    @Test
    void aDifferentPlanIsNotWrittenTheSame() throws Exception {
        // control: the comparison above can fail; a plan that differs in one nested field gives other bytes
        MeetingPlan plan = plan();
        ComponentPlan first = plan.components().get(0);
        MeetingPlan other = new MeetingPlan(plan.meetingDate(), plan.rotation(), List.of(new ComponentPlan(
                first.name(), first.repo(), first.image(), first.developBranch(), first.hasChanges(),
                first.releaseNeeded(), first.lastRelease(), first.lastReleaseTag(), first.nextVersion(),
                first.releaseVersion(), "major", first.repoPerson(), first.changes(), first.developTip())),
                plan.customers());
        Path file = dir.resolve("other.json");
        PlanJson.write(file, other);
        assertNotEquals(Json.mapper().writeValueAsString(plan), Files.readString(file));
        assertEquals(Json.mapper().writeValueAsString(other), Files.readString(file));
    }
}
