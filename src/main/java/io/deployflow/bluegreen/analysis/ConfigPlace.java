package io.deployflow.bluegreen.analysis;

import io.deployflow.config.YamlNode;
import io.deployflow.core.BadInputException;

/** Where a setting was written (file, line, dotted field), kept so a problem found later still names its line. */
public record ConfigPlace(String file, int line, String field) {
    public static ConfigPlace of(YamlNode node) {
        return new ConfigPlace(node.file(), node.line(), node.path());
    }

    public BadInputException error(String message) {
        return new BadInputException(file, line, field, message);
    }
}
