package io.deployflow.smoke;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One route to call and check.
 *
 * @param body      the one sample file sent as the request body, or null for none
 * @param headers   header values as written; {@code ${VAR}} placeholders are resolved only when the route runs
 * @param component the component to blame when it fails, or null
 * @param timeout   this route's own time limit, or null for the run's default
 * @param line      where the route starts in the routes file, for errors found at run time
 */
public record Route(String name, String method, String path, Path body, Map<String, String> headers,
                    Expectation expect, String component, Duration timeout, int line) {
}
