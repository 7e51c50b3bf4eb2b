package io.deployflow.bluegreen;

/**
 * The deployment-history entry of a rollout, with the fields release teams already write by hand after a
 * rollback (id, date, version, colour, status, reason): every phase's JSON result carries it, so the pipeline can
 * file it in the deployment history.
 *
 * @param status in-progress, promoted, completed, aborted or rolled-back
 * @param reason why it was aborted or rolled back, else empty
 */
public record DeploymentRecord(String id, String date, String version, String colour, String status,
                               String reason) {
    public static DeploymentRecord of(Rollout rollout) {
        String status = switch (rollout.phase()) {
            case PROMOTED -> "promoted";
            case COMPLETED -> "completed";
            case ABORTED -> "aborted";
            case ROLLED_BACK -> "rolled-back";
            default -> "in-progress";
        };
        return new DeploymentRecord(rollout.id(), rollout.finishedAt() != null ? rollout.finishedAt()
                : rollout.startedAt(), rollout.version() == null ? "" : rollout.version(), rollout.to().label(),
                status, rollout.reason() == null ? "" : rollout.reason());
    }
}
