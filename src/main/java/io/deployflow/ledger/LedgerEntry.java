package io.deployflow.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deployflow.core.Json;
import io.deployflow.core.Sha256;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the ledger: {@code {"seq":…,"time":…,"type":…,"user":…,"build":…,"data":{…},"prev":…,"hash":…}}.
 * <p>
 * {@code hash} is the SHA-256 of the line's own text up to the hash field (closed with {@code }}), and that text
 * includes {@code prev}, the hash of the entry before. So an edited entry no longer matches its hash, and a removed
 * or moved entry breaks the chain at the next one; {@code seq} (1, 2, 3, …) tells which of the two happened. The
 * hash is over the exact text written, not a re-serialisation, so verifying needs no canonical JSON form.
 *
 * @param user  who ran the command: the user who started the build (DEPLOYFLOW_USER), {@code timer}, …
 * @param build the build's URL (BUILD_URL), empty outside Jenkins
 */
public record LedgerEntry(long seq, String time, String type, String user, String build, Map<String, Object> data,
                          String prev, String hash) {
    /** The {@code prev} of the first entry. */
    public static final String GENESIS = "0".repeat(64);
    private static final Pattern HASH_FIELD = Pattern.compile(",\"hash\":\"([0-9a-f]{64})\"}$");

    private static final class Writer {
        static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);
    }

    /** The entry that follows {@code previous} (null for the first), sealed with its hash. */
    static LedgerEntry seal(LedgerEntry previous, String time, String type, String user, String build,
                            Map<String, Object> data) {
        long seq = previous == null ? 1 : previous.seq + 1;
        String prev = previous == null ? GENESIS : previous.hash;
        String body = bodyText(seq, time, type, user, build, data, prev);
        return new LedgerEntry(seq, time, type, user, build, data, prev, Sha256.hex(body));
    }

    /** The line as written to the ledger file, without the newline. */
    public String toLine() {
        String body = bodyText(seq, time, type, user, build, data, prev);
        return body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}";
    }

    private static String bodyText(long seq, String time, String type, String user, String build,
                                   Map<String, Object> data, String prev) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("seq", seq);
        fields.put("time", time);
        fields.put("type", type);
        fields.put("user", user);
        fields.put("build", build);
        fields.put("data", data);
        fields.put("prev", prev);
        return compact(fields);
    }

    /** Any JSON-like value as one line of compact JSON. */
    static String compact(Object value) {
        try {
            return Writer.COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ledger data that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses one line; throws IllegalArgumentException naming what is wrong with it. */
    public static LedgerEntry parse(String line) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (String field : List.of("seq", "time", "type", "data", "prev", "hash")) {
            if (!node.hasNonNull(field)) {
                throw new IllegalArgumentException("no '" + field + "' field");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = Json.mapper().convertValue(node.get("data"), LinkedHashMap.class);
        return new LedgerEntry(node.get("seq").asLong(), node.get("time").asText(), node.get("type").asText(),
                node.path("user").asText(""), node.path("build").asText(""), data, node.get("prev").asText(),
                node.get("hash").asText());
    }

    /**
     * Whether the line's text still hashes to the hash written in it. False for an edited entry (and for one whose
     * hash field itself was changed).
     */
    static boolean hashMatches(String line) {
        Matcher m = HASH_FIELD.matcher(line);
        if (!m.find()) {
            return false;
        }
        return Sha256.hex(line.substring(0, m.start()) + "}").equals(m.group(1));
    }

    /** The entries of a ledger file's text that parse, in file order; tampering is {@link LedgerVerifier}'s job. */
    static List<LedgerEntry> parseAll(String text) {
        List<LedgerEntry> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(parse(line));
                } catch (IllegalArgumentException notAnEntry) {
                    // skipped here; `ledger verify` names it
                }
            }
        }
        return out;
    }

    /** A data field as text, or "" when absent. */
    public String text(String field) {
        Object value = data.get(field);
        return value == null ? "" : value.toString();
    }
}
