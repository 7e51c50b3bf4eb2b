package io.deployflow.bluegreen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.deployflow.core.OutsideSystemException;

/**
 * The one text form of {@link RolloutState} and {@link LockHolder}, shared by every target so a state written by
 * one deployflow version is read by the next: compact JSON, unknown fields ignored (a newer writer may add some).
 */
public final class RolloutStateJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RolloutStateJson() {
    }

    public static String write(Object stateOrLock) {
        try {
            return MAPPER.writeValueAsString(stateOrLock);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + stateOrLock, e);
        }
    }

    public static RolloutState readState(String json, String where) {
        return read(json, RolloutState.class, where);
    }

    public static LockHolder readLock(String json, String where) {
        return read(json, LockHolder.class, where);
    }

    private static <T> T read(String json, Class<T> type, String where) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            // The state lives in the target where people (or other tools) can edit it; say where it is broken.
            throw new OutsideSystemException(where, "the rollout state stored there is not readable: "
                    + e.getOriginalMessage());
        }
    }
}
