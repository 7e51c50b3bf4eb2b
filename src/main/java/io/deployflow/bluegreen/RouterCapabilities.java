package io.deployflow.bluegreen;

/**
 * What a traffic router can do, checked against the configured steps before a rollout starts.
 *
 * @param weighted   true when traffic can be split by percentage; false for an all-or-nothing switch (Service
 *                   selector), which only allows steps {@code [100]}
 * @param colourProbe true when {@link RolloutTarget#probeActive(int)} sends real requests and reports the colour that
 *                   answered each; false when it can only report which colour the live routing config points at
 * @param note       one line for docs and status, e.g. "weights through the HAProxy runtime API, no reload"
 */
public record RouterCapabilities(boolean weighted, boolean colourProbe, String note) {
}
