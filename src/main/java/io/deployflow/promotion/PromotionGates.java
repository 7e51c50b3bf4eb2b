package io.deployflow.promotion;

/**
 * The names approval gates of a release go by, so that an approval given in one build (the product owner's UAT
 * sign-off, days later) is found by the promotion in another: the gate names the service and version.
 */
public final class PromotionGates {
    private PromotionGates() {
    }

    /** {@code fhir-gateway@1.3.0}: what {@code approvalGate(task: 'uat-sign-off', gate: …)} is asked under. */
    public static String release(String service, String version) {
        return service + "@" + version;
    }

    /** The emergency override's gate for one promotion: {@code override fhir-gateway@1.3.0 to Production}. */
    public static String override(PromotionRequest request) {
        return "override " + release(request.service(), request.version()) + " to " + request.environment()
                + (request.customer() == null ? "" : " for " + request.customer());
    }
}
