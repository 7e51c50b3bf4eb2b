package io.deployflow.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.deployflow.core.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** Holds an answer against a route's expectation; the first unmet part becomes the failure message. */
final class ResponseCheck {
    /** Why a route failed: the JUnit failure type and the message a person reads. */
    record Failure(String type, String message) {
    }

    private ResponseCheck() {
    }

    /** @return null when every expectation holds */
    static Failure check(Expectation expect, int status, byte[] body, Collection<String> secrets) {
        if (!expect.acceptsStatus(status)) {
            return new Failure("status", "expected status " + expect.describeStatuses() + ", got " + status
                    + got(body, secrets));
        }
        String text = new String(body, StandardCharsets.UTF_8);
        for (String part : expect.bodyContains()) {
            if (!text.contains(part)) {
                return new Failure("body", "expected the body to contain \"" + part + "\"" + got(body, secrets));
            }
        }
        if (expect.json().isEmpty()) {
            return null;
        }
        JsonNode document;
        try {
            document = Json.readTree(body);
        } catch (IOException e) {
            document = null;
        }
        if (document == null || document.isMissingNode()) {
            return new Failure("json", "expected a JSON body to check " + expect.json().keySet() + ", but it is"
                    + " not JSON" + got(body, secrets));
        }
        for (Map.Entry<JsonPath, JsonNode> entry : expect.json().entrySet()) {
            JsonNode actual = entry.getKey().evaluate(document);
            if (!sameValue(entry.getValue(), actual)) {
                String shown = actual == null ? "nothing there" : BodyText.mask(BodyText.oneLine(
                        abbreviate(actual.toString())), secrets);
                return new Failure("json", "expected " + entry.getKey() + " = " + entry.getValue() + ", got " + shown
                        + got(body, secrets));
            }
        }
        return null;
    }

    /** Built only for a failure: most routes pass, and their bodies need no decoding. */
    private static String got(byte[] body, Collection<String> secrets) {
        return "; body: " + BodyText.snippet(body, secrets);
    }

    /** JSON value equality, except that 1, 1.0 and 1e0 are the same number. */
    static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (actual == null) {
            return false;
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
