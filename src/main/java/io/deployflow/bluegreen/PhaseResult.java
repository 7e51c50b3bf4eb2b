package io.deployflow.bluegreen;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * What one {@code bluegreen <phase>} call did, as written by {@code --json}.
 *
 * @param phase       the command: deploy, analyze, shift, promote, cleanup, abort, rollback, status
 * @param outcome     ok, no-op (already done), aborted (automatically, see reason), failed, rolled-back
 * @param exitCode    the CLI's exit code for this outcome
 * @param message     one human line
 * @param traffic     the router's split read back at the end
 * @param analysis    the analysis this call ran, if any
 * @param smoke       the preview smoke report (analyze), if any
 * @param verification the abort/rollback verification lines, if any
 * @param deployment  the deployment-history entry of the rollout
 * @param state       the state as stored in the target at the end
 * @param lock        the lock holder at the end, if any
 * @param readiness   status only: a look at each colour
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PhaseResult(String phase, String target, String outcome, int exitCode, String message,
                          TrafficSplit traffic, AnalysisRecord analysis, Map<String, Object> smoke,
                          List<String> verification, DeploymentRecord deployment, RolloutState state,
                          LockHolder lock, List<ColourReadiness> readiness) {
}
