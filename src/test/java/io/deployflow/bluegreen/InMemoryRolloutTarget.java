package io.deployflow.bluegreen;

import io.deployflow.core.OutsideSystemException;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A target held in memory for the phase engine's unit tests. It behaves like a real one as far as the engine can
 * tell: colours become ready only after {@link #pollsUntilReady} looks, traffic is what was last set, and faults
 * can be switched on (a colour that never gets ready, a router that refuses commands). Every command is logged in
 * {@link #commands()} so tests can assert the ORDER of what the engine did (traffic back before scale-down).
 */
public final class InMemoryRolloutTarget implements RolloutTarget {
    private final boolean weighted;
    private String stateJson;
    private LockHolder lock;
    private TrafficSplit traffic;
    private final Map<Colour, Map<String, String>> images = new EnumMap<>(Colour.class);
    private final Map<Colour, Integer> replicas = new EnumMap<>(Colour.class);
    private final Map<Colour, Integer> looksSinceDeploy = new EnumMap<>(Colour.class);
    private final List<String> commands = new ArrayList<>();
    private final Map<Colour, Boolean> neverReady = new HashMap<>();
    private Predicate<String> refuse = command -> false;
    private List<TopologyProblem> topology = List.of();
    /** How many readiness looks a freshly deployed colour needs before it reports ready. */
    public int pollsUntilReady = 1;

    public InMemoryRolloutTarget(Colour live, Map<String, String> liveImages, boolean weighted) {
        this.weighted = weighted;
        this.traffic = TrafficSplit.allOn(live);
        images.put(live, Map.copyOf(liveImages));
        replicas.put(live, 2);
        replicas.put(live.other(), 0);
        looksSinceDeploy.put(live, 100);
    }

    /** Commands whose text matches are refused as a router would ("set-traffic blue 50 / green 50"...). */
    public InMemoryRolloutTarget refuse(Predicate<String> which) {
        this.refuse = which;
        return this;
    }

    public InMemoryRolloutTarget neverReady(Colour colour) {
        neverReady.put(colour, true);
        return this;
    }

    public InMemoryRolloutTarget missing(List<TopologyProblem> problems) {
        this.topology = problems;
        return this;
    }

    public List<String> commands() {
        return commands;
    }

    public int replicas(Colour colour) {
        return replicas.getOrDefault(colour, 0);
    }

    public Map<String, String> images(Colour colour) {
        return images.getOrDefault(colour, Map.of());
    }

    public String storedStateJson() {
        return stateJson;
    }

    private void command(String text) {
        if (refuse.test(text)) {
            commands.add("REFUSED " + text);
            throw new OutsideSystemException("in-memory router", "refused '" + text + "': Permission denied");
        }
        commands.add(text);
    }

    @Override
    public String describe() {
        return "in-memory target";
    }

    @Override
    public RouterCapabilities capabilities() {
        return new RouterCapabilities(weighted, true, weighted ? "weighted, in memory" : "switch only, in memory");
    }

    @Override
    public List<TopologyProblem> checkTopology() {
        return topology;
    }

    @Override
    public Optional<RolloutState> readState() {
        return stateJson == null ? Optional.empty() : Optional.of(RolloutStateJson.readState(stateJson, "memory"));
    }

    @Override
    public void writeState(RolloutState state) {
        stateJson = RolloutStateJson.write(state);
    }

    @Override
    public synchronized Optional<LockHolder> acquireLock(LockHolder candidate) {
        if (lock != null && !lock.rolloutId().equals(candidate.rolloutId())) {
            return Optional.of(lock);
        }
        lock = candidate;
        commands.add("lock " + candidate.rolloutId());
        return Optional.empty();
    }

    @Override
    public synchronized void releaseLock(String rolloutId) {
        if (lock != null && lock.rolloutId().equals(rolloutId)) {
            lock = null;
            commands.add("unlock " + rolloutId);
        }
    }

    @Override
    public Optional<LockHolder> readLock() {
        return Optional.ofNullable(lock);
    }

    @Override
    public void deployColour(Colour colour, Map<String, String> wanted, int count) {
        command("deploy " + colour + " " + new java.util.TreeMap<>(wanted) + " x" + count);
        if (!wanted.equals(images.get(colour)) || replicas(colour) != count) {
            looksSinceDeploy.put(colour, 0);
        }
        images.put(colour, Map.copyOf(wanted));
        replicas.put(colour, count);
    }

    @Override
    public ColourReadiness readiness(Colour colour, Map<String, String> expected) {
        int desired = replicas(colour);
        int looks = looksSinceDeploy.merge(colour, 1, Integer::sum);
        Map<String, String> running = images.getOrDefault(colour, Map.of());
        List<String> problems = new ArrayList<>();
        expected.forEach((service, image) -> {
            String actual = ANY_SERVICE.equals(service) && running.size() == 1
                    ? running.values().iterator().next() : running.get(service);
            if (!image.equals(actual)) {
                problems.add(service + ": runs " + actual + ", expected " + image);
            }
        });
        boolean up = !neverReady.getOrDefault(colour, false) && looks > pollsUntilReady;
        if (!up && desired > 0) {
            problems.add(colour + ": health check failing");
        }
        int ready = up && problems.isEmpty() ? desired : 0;
        return new ColourReadiness(colour, desired, ready, desired == 0 ? Map.of() : running, problems);
    }

    @Override
    public void scaleColour(Colour colour, int count) {
        command("scale " + colour + " " + count);
        if (count > replicas(colour)) {
            looksSinceDeploy.put(colour, 0);
        }
        replicas.put(colour, count);
    }

    @Override
    public TrafficSplit setTraffic(TrafficSplit split) {
        if (!weighted && split.blue() != 0 && split.green() != 0) {
            throw new IllegalArgumentException("switch-only router cannot split " + split);
        }
        command("set-traffic " + split);
        traffic = split;
        return split;
    }

    @Override
    public TrafficSplit readTraffic() {
        return traffic;
    }

    @Override
    public URI previewUrl(Colour colour) {
        return URI.create("http://preview-" + colour + ".invalid/");
    }

    @Override
    public URI activeUrl() {
        return URI.create("http://active.invalid/");
    }

    @Override
    public List<Colour> probeActive(int requests) {
        List<Colour> served = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            // Deterministic split: request i lands on green when i falls in green's share of every 100.
            served.add(i % 100 < traffic.green() ? Colour.GREEN : Colour.BLUE);
        }
        return served;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
