package io.deployflow.promotion;

import java.util.List;
import java.util.Map;

/**
 * Whether a promotion may go ahead, criterion by criterion.
 *
 * @param allMet        every criterion passed, was waived, or was overridden
 * @param unmet         the names of the criteria that failed (before any override)
 * @param override      the approved emergency override that let unmet criteria past ([task:, gate:, approvedBy:]),
 *                      or null
 * @param overrideTask  the approval task an emergency override is asked under; null when the team has none
 * @param overrideGate  the gate name to ask it under for this promotion
 * @param nextWindow    when deployments are next allowed (the hours reopen or the freeze ends), or null
 * @param environment   the environment's settings for the deploy block: name, target, routes, baseUrl, timeZone,
 *                      production, and what goes there: service, version, customer, image (the component's image
 *                      with the version as tag, when the service is a component with an image)
 * @param approvalsToAsk the approval criteria that failed because nobody has answered yet, as [task:, gate:]: what
 *                      a pipeline can ask at an approvalGate before trying again (a rejected one is not listed)
 */
public record Verdict(PromotionRequest request, String lane, String at, List<Criterion> criteria, List<String> unmet,
                      boolean allMet, Map<String, Object> override, String overrideTask, String overrideGate,
                      String nextWindow, Map<String, Object> environment, List<Map<String, String>> approvalsToAsk) {
    public Verdict {
        criteria = List.copyOf(criteria);
        unmet = List.copyOf(unmet);
        approvalsToAsk = List.copyOf(approvalsToAsk);
    }
}
