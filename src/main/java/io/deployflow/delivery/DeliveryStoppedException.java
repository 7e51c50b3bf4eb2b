package io.deployflow.delivery;

/**
 * A delivery that stopped because its content needs a person, such as a merge conflict: a check failed (exit 1).
 * The remote holds at most the release branch; develop, main and the tag are untouched.
 */
public final class DeliveryStoppedException extends RuntimeException {
    private final transient DeliveryResult result;

    DeliveryStoppedException(String message, DeliveryResult result) {
        super(message);
        this.result = result;
    }

    public DeliveryResult result() {
        return result;
    }
}
