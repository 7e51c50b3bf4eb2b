package io.deployflow.decision;

import io.deployflow.compose.SetVersionsResult;
import io.deployflow.notify.Message;

import java.util.List;

/**
 * The run's record of a decision (S0 "Errorhandling"): what was decided, by whom, why and when, what failed, and
 * what follows. {@code next} names the pipeline step to go to. Only the fields of the choice made are set:
 * {@code verifyAgain} (retry), {@code reverted} and {@code composeChange} (release-without), {@code retrospective}
 * (do-not-release). {@code notifications} are for the pipeline to send.
 */
public record DecisionRecord(String customer, String choice, Decider decidedBy, String reason, String timestamp,
                             List<FailingComponent> failing, List<String> unattributedRoutes, String next,
                             List<String> verifyAgain, List<Revert> reverted, SetVersionsResult composeChange,
                             String retrospective, List<Message> notifications, List<String> warnings) {

    public record Decider(String id, String name) {
    }

    /** A component taken back to the version production runs. */
    public record Revert(String component, String from, String to) {
    }
}
