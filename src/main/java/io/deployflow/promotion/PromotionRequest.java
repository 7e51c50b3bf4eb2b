package io.deployflow.promotion;

/**
 * A promotion asked for: a version of a service to an environment, for one customer or for all.
 *
 * @param customer     null when the environment is shared by every customer
 * @param build        the build that promotes (BUILD_URL; "local" outside Jenkins): the override is per build
 * @param issue        the severity-1 issue a hotfix fixes; null for a planned release
 * @param overrideGate the emergency override's gate, once approved; null for none
 */
public record PromotionRequest(String service, String version, String environment, String customer, String build,
                               String issue, String overrideGate) {

    public PromotionRequest {
        customer = customer == null || customer.isBlank() ? null : customer;
        build = build == null || build.isBlank() ? "local" : build;
        issue = issue == null || issue.isBlank() ? null : issue;
        overrideGate = overrideGate == null || overrideGate.isBlank() ? null : overrideGate;
    }

    public boolean hotfix() {
        return issue != null;
    }

    public String lane() {
        return hotfix() ? "hotfix" : "planned";
    }

    /** "fhir-gateway 1.3.0 → UAT (acme)". */
    public String describe() {
        return service + " " + version + " → " + environment + (customer == null ? "" : " (" + customer + ")");
    }

    /**
     * The gate names an approval of this version may have been given under: {@code <service>@<version>} for the
     * release, or {@code <service>@<version>/<customer>} for one customer's.
     */
    public java.util.List<String> releaseGates() {
        String release = PromotionGates.release(service, version);
        return customer == null ? java.util.List.of(release) : java.util.List.of(release, release + "/" + customer);
    }

    public PromotionRequest withOverride(String gate) {
        return new PromotionRequest(service, version, environment, customer, build, issue, gate);
    }
}
