package io.deployflow.bluegreen;

import java.util.List;
import java.util.Map;

/**
 * One look at a colour: how many replicas it should have, how many are ready AND run the expected images, which
 * images it runs, and what is wrong. A single snapshot proves little (a crash-looping container can look ready for
 * a moment); the phase engine asks twice in a row, some seconds apart, before it believes a colour is ready.
 *
 * @param desiredReplicas replicas the colour should have (0 when it is scaled down or does not exist)
 * @param readyReplicas   replicas that are ready and run every expected image
 * @param images          what the colour runs now, per service/container name (empty when nothing runs)
 * @param problems        one human line per thing that is not right ("web: image acme/web:1.2 running, 1.3
 *                        expected", "pod portal-green-7f9c-x2: CrashLoopBackOff"); empty when ready
 */
public record ColourReadiness(Colour colour, int desiredReplicas, int readyReplicas, Map<String, String> images,
                              List<String> problems) {
    public ColourReadiness {
        images = Map.copyOf(images);
        problems = List.copyOf(problems);
    }

    /** Ready means: it should run, every replica it should have is ready with the expected images, no problem. */
    public boolean ready() {
        return desiredReplicas > 0 && readyReplicas == desiredReplicas && problems.isEmpty();
    }

    public String summary() {
        return colour + ": " + readyReplicas + "/" + desiredReplicas + " ready"
                + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")");
    }
}
