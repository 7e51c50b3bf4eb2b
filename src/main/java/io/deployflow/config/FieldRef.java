package io.deployflow.config;

import io.deployflow.core.BadInputException;

/**
 * Where a value of {@code deployflow.yaml} was written: file, line and dotted field path. Kept beside values that
 * are only found wrong later, against an outside system (an endpoint Portainer does not have, a stack name that is
 * taken), so that error can still point at the line to fix.
 */
public record FieldRef(String file, int line, String field) {

    /** The value under {@code key}, or where it would go (the parent's line) when it was left out. */
    static FieldRef of(YamlNode parent, String key) {
        YamlNode value = parent.get(key);
        if (value != null) {
            return new FieldRef(value.file(), value.line(), value.path());
        }
        return new FieldRef(parent.file(), parent.line(), parent.path().isEmpty() ? key : parent.path() + "." + key);
    }

    static FieldRef of(YamlNode node) {
        return new FieldRef(node.file(), node.line(), node.path());
    }

    public BadInputException error(String message) {
        return new BadInputException(file, line, field, message);
    }
}
