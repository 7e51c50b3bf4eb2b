package io.deployflow.stack;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What {@code stack up} found, as written by {@code --json}.
 *
 * @param problem   why the stack is not healthy; null when it is
 * @param preview   true for a feature preview stack ({@code --keep}): it stays up for review
 * @param removeWith the command that removes the stack again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackUpResult(String project, String file, List<String> composeCommand, String dockerHost,
                            boolean healthy, String problem, boolean preview, String removeWith, long durationMs,
                            List<ContainerStatus> containers) {
}
