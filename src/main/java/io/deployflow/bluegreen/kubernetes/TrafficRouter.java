package io.deployflow.bluegreen.kubernetes;

import io.deployflow.bluegreen.Colour;

import java.util.Map;

/** Moves traffic between the two colours and reads back where it goes. */
interface TrafficRouter {
    /** Checks that the objects the router needs exist and fit; a {@link TopologyException} if not. */
    void check();

    /** The share of each colour in percent, as the router objects say now (colours with none are left out). */
    Map<Colour, Integer> weights();

    /** Sends {@code percent} of the traffic to {@code colour} and the rest to the other colour. */
    void route(Colour colour, int percent);

    /** The preview Service reaches {@code colour}; refused while the preview Service carries live traffic. */
    void pointPreviewAt(Colour colour);

    /** For messages and status: "HTTPRoute hms-frontend". */
    String describe();
}
