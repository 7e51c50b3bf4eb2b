package io.deployflow.stack;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What {@code stack down} removed.
 *
 * @param method {@code compose} (Compose ran {@code down} with the stack's file), {@code engine-api} (the file was
 *               gone, so the labelled containers, networks and volumes were removed through the engine), or
 *               {@code nothing} (no such stack: down is idempotent)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackDownResult(String project, String method, List<String> composeCommand, List<String> files,
                              List<String> containers, List<String> volumes, List<String> networks,
                              long durationMs) {
}
