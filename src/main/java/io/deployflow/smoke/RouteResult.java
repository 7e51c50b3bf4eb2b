package io.deployflow.smoke;

/**
 * What one route did.
 *
 * @param status     the HTTP status, or null when no answer came (timeout, connection refused)
 * @param message    why it failed, or null when it passed
 * @param failure    the kind of failure for JUnit's {@code type}: status, body, json, timeout, connection; or null
 * @param repoPerson who to call, set only when the route failed
 */
public record RouteResult(String name, String method, String url, boolean passed, Integer status,
                          long durationMillis, String message, String failure, String component,
                          RepoPerson repoPerson) {

    RouteResult attributedTo(RepoPerson person) {
        return new RouteResult(name, method, url, passed, status, durationMillis, message, failure, component,
                person);
    }
}
