package io.deployflow.decision;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.compose.SetVersionsResult;
import io.deployflow.notify.Message;

import java.util.List;

/**
 * The run's record of a decision (S0 "Errorhandling"): what was decided, by whom, why and when, what failed, and
 * what follows. {@code customer} is null for a decision about the release as a whole. {@code next} names the
 * pipeline step to go to. Only the fields of the choice made are set: {@code verifyAgain} (retry), {@code reverted}
 * and {@code composeChange} (release-without), {@code retrospective} (do-not-release). {@code notifications} are
 * for the pipeline to send. {@code planAfter} is the plan as it goes on from here (when a plan was given): held-back
 * components at the version they stay at, with the decision beside them, so that the notes that go out say so.
 * {@code buildResult} is what the decision means for the build (SUCCESS, UNSTABLE, FAILURE) and {@code summary}
 * the line for the build's description.
 */
public record DecisionRecord(String customer, String choice, Decider decidedBy, String reason, String timestamp,
                             List<FailingComponent> failing, List<String> unattributedRoutes, String next,
                             List<String> verifyAgain, List<Revert> reverted, SetVersionsResult composeChange,
                             String retrospective, List<Message> notifications, List<String> warnings,
                             String buildResult, String summary, JsonNode planAfter) {

    public record Decider(String id, String name) {
    }

    /** A component taken back to the version production runs (or, for the release as a whole, its last release). */
    public record Revert(String component, String from, String to) {
    }
}
