package io.deployflow.bluegreen.kubernetes;

/**
 * The object that splits traffic between the active and the preview Service: what part goes to the preview one.
 * Which colour each Service reaches is their selectors' business ({@link ServiceSelectors}).
 */
interface BackendWeights {
    /** Throws {@link TopologyException} when the object is missing or does not send to both Services. */
    void check();

    /** The preview Service's share in percent, read back from the object. */
    int preview();

    void setPreview(int percent);

    /** The object, for messages: "HTTPRoute hms-frontend". */
    String describe();
}
