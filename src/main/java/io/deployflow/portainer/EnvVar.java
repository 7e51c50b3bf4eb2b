package io.deployflow.portainer;

/** One of a stack's variables, as Portainer stores it: {@code {"name": ..., "value": ...}}. */
public record EnvVar(String name, String value) {
}
