package io.deployflow.bluegreen;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One blue/green target as the phase engine ({@code deployflow bluegreen deploy|analyze|shift|promote|cleanup|
 * abort|rollback|status}) sees it: two colours that can run images, a traffic router that splits production
 * traffic between them, and a place IN the target system to keep the rollout's state and lock.
 * <p>
 * Implementations: HAProxy in front of two compose/Portainer stacks ({@code bluegreen.haproxy}), Kubernetes
 * (Service selector, HTTPRoute, ingress-nginx, Istio, replica ratio: {@code bluegreen.kubernetes}), and an
 * in-memory one for the engine's unit tests. The engine holds all rules (order of steps, two-polls readiness,
 * analysis, abort order, verification, idempotency); a target only does and reports, and never decides.
 *
 * <h2>Contract every implementation keeps</h2>
 * <ul>
 *   <li><b>Every CLI phase is a new JVM.</b> A target keeps nothing between calls: all it knows next time comes
 *       from the target system (state, lock, live weights, live replicas).</li>
 *   <li><b>Idempotent operations.</b> {@link #deployColour}, {@link #scaleColour} and {@link #setTraffic} called
 *       twice with the same arguments leave the system as one call did.</li>
 *   <li><b>Errors.</b> A system that is unreachable, answers 5xx/409 or times out is retried by the implementation
 *       with a short backoff; when it still fails, or refuses a command (HAProxy "Permission denied", Kubernetes
 *       403/422), it throws {@link io.deployflow.core.OutsideSystemException} naming the system and the command.
 *       It never throws {@link io.deployflow.core.BadInputException}: configuration problems are found by the
 *       provider's validation, and objects the system lacks by {@link #checkTopology()}.</li>
 *   <li><b>No secrets</b> in exceptions, state, history or {@link #describe()}.</li>
 *   <li><b>Constructing a target touches nothing</b>; the first network call is the first method call.</li>
 * </ul>
 *
 * <h2>Colours</h2>
 * There are always two, {@link Colour#BLUE} and {@link Colour#GREEN}. Which one is active is recorded in the state;
 * when there is no state yet the engine takes the colour {@link #readTraffic()} sends all traffic to.
 * "Images" are keyed by service name (compose) or container name (Kubernetes). {@code blueGreen(image: ...)} and
 * {@code --image IMG} give one image without a name: it arrives under the key {@link #ANY_SERVICE} and means "the
 * colour's only service/container"; when the colour has several, {@link #deployColour} throws an
 * OutsideSystemException naming them, before it changes anything.
 */
public interface RolloutTarget extends AutoCloseable {
    /** The images key for "the only service/container of the colour". */
    String ANY_SERVICE = "*";

    /** One line naming the target for people: "haproxy be_portal via /run/haproxy/admin.sock". No secrets. */
    String describe();

    /** What the router can do; the engine refuses steps other than [100] when it is not weighted. */
    RouterCapabilities capabilities();

    /**
     * Checks that everything the configuration names exists in the live system (backend and its two servers,
     * Services, Deployments, HTTPRoute...). Changes nothing. An empty list means all is there; otherwise the CLI
     * exits 2 naming the config line of each problem's field, before any phase touches anything.
     */
    List<TopologyProblem> checkTopology();

    // ---- state kept in the target ---------------------------------------------------------------------------

    /** The rollout state stored in the target, or empty if deployflow never wrote one there. */
    Optional<RolloutState> readState();

    /**
     * Stores the state in the target, replacing the previous one (use {@link RolloutStateJson} for the text).
     * Must be atomic: a reader sees the old or the new state, never a torn one.
     */
    void writeState(RolloutState state);

    /**
     * Takes the target's rollout lock for {@code candidate.rolloutId()} if it is free, atomically (compare-and-set:
     * Kubernetes resourceVersion, an exclusive file create...). Taking a lock already held by the same rollout id
     * succeeds (phases are re-run after restarts).
     *
     * @return empty when the candidate holds the lock now; otherwise the holder that keeps it (the engine then
     *         exits 2 naming that rollout)
     */
    Optional<LockHolder> acquireLock(LockHolder candidate);

    /** Releases the lock if {@code rolloutId} holds it; does nothing if it is free or held by another rollout. */
    void releaseLock(String rolloutId);

    /** Who holds the lock, if anyone. */
    Optional<LockHolder> readLock();

    // ---- colours --------------------------------------------------------------------------------------------

    /**
     * Makes {@code colour} run {@code images} with {@code replicas} replicas (create or update), and points the
     * preview entry point ({@code previewService}) at it. Returns once the system accepted the change; it does NOT
     * wait for readiness: the engine polls {@link #readiness} for that.
     */
    void deployColour(Colour colour, Map<String, String> images, int replicas);

    /**
     * One snapshot of the colour. A replica counts as ready only when it is ready in the system's own terms
     * (readiness probe, health check) AND runs every image in {@code expectedImages} (empty map: any image).
     * Must not cache: each call looks again, because the engine requires two ready polls in a row.
     * {@link ColourReadiness#images()} is keyed by the real service/container names; an expected entry under
     * {@link #ANY_SERVICE} matches when the colour runs exactly one service/container with that image.
     */
    ColourReadiness readiness(Colour colour, Map<String, String> expectedImages);

    /** Sets the colour's replica count; 0 scales it down (a compose stack is stopped, a Deployment scaled to 0). */
    void scaleColour(Colour colour, int replicas);

    // ---- traffic --------------------------------------------------------------------------------------------

    /**
     * Routes production traffic as {@code split} says, without a reload and without dropping connections.
     *
     * @return the split actually applied; equal to {@code split} for exact routers, the nearest possible one for a
     *         replica-ratio router. The engine then verifies with {@link #readTraffic()}.
     * @throws IllegalArgumentException when the router is not weighted and the split is not 100/0 or 0/100
     */
    TrafficSplit setTraffic(TrafficSplit split);

    /** Reads the live split back from the router itself (not from the state). */
    TrafficSplit readTraffic();

    /**
     * Where the preview reaches {@code colour} only (previewService, or the colour's own address): the smoke
     * routes of the pre-promotion analysis run against it.
     */
    URI previewUrl(Colour colour);

    /** Where users reach production (activeService's entry point). */
    URI activeUrl();

    /**
     * Sends {@code requests} requests through {@link #activeUrl()} and returns the colour that served each, in
     * order. The abort and rollback verification requires every one to be the old colour. A router that cannot
     * send real requests in its environment says so with {@link RouterCapabilities#colourProbe()} false and returns
     * the colour its live routing points at, once per request.
     *
     * @throws io.deployflow.core.OutsideSystemException when a request fails or its colour cannot be told
     */
    List<Colour> probeActive(int requests);

    /** Releases clients and sockets; never changes the system. */
    @Override
    void close();
}
