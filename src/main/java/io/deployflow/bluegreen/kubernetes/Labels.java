package io.deployflow.bluegreen.kubernetes;

/** The label and annotations deployflow puts on cluster objects. */
final class Labels {
    /** On each colour's Deployment, its selector and its pods; the Services select a colour with it. */
    static final String COLOUR = "deployflow.io/colour";
    /** The rollout state, a JSON document, on the active Service. */
    static final String ROLLOUT = "deployflow.io/rollout";
    /** Who holds the target, a JSON document, on the active Service; written only with a resourceVersion. */
    static final String LOCK = "deployflow.io/lock";

    private Labels() {
    }

    /** A JSON-pointer segment for a key with '/' in it (RFC 6901). */
    static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
