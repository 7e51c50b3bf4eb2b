package io.deployflow.smoke;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a route's answer must look like.
 *
 * @param statuses     accepted status codes; empty means any 2xx
 * @param bodyContains texts the body must contain, each of them
 * @param json         simple JSONPath to the JSON value expected there
 */
public record Expectation(Set<Integer> statuses, List<String> bodyContains, Map<JsonPath, JsonNode> json) {

    public boolean acceptsStatus(int status) {
        return statuses.isEmpty() ? status >= 200 && status < 300 : statuses.contains(status);
    }

    /** How the accepted statuses read in a failure message: {@code 201}, {@code 200 or 204}, {@code 2xx}. */
    public String describeStatuses() {
        if (statuses.isEmpty()) {
            return "2xx";
        }
        return String.join(" or ", statuses.stream().sorted().map(String::valueOf).toList());
    }
}
