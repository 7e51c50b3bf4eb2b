package io.deployflow.bluegreen.haproxy;

import io.deployflow.bluegreen.Colour;
import io.deployflow.bluegreen.ColourReadiness;
import io.deployflow.bluegreen.LockHolder;
import io.deployflow.bluegreen.RolloutState;
import io.deployflow.bluegreen.RolloutTarget;
import io.deployflow.bluegreen.RouterCapabilities;
import io.deployflow.bluegreen.TopologyProblem;
import io.deployflow.bluegreen.TrafficSplit;
import io.deployflow.bluegreen.colours.ColourRuntime;
import io.deployflow.core.AtomicFile;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HAProxy in front of two colours (compose or Portainer stacks): one backend ({@code activeService}) with one
 * server per colour. Weights change through the runtime API over the admin socket ({@code set server be/srv
 * weight N}), so there is no reload and no connection is dropped; after every change the servers' state is written
 * to HAProxy's {@code server-state-file}, so a reload at any later time keeps the weights. The rollout state and
 * lock are files next to HAProxy's configuration ({@link StateFiles}).
 * <p>
 * Weights are percentages (HAProxy accepts 0..256). Lowering a server to 0 that HAProxy refuses falls back to
 * {@code set server ... state maint}, which also stops new requests; raising a server puts it back to
 * {@code state ready} first.
 */
public final class HaproxyTarget implements RolloutTarget {
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
    private final String targetName;
    private final String activeBackend;
    private final String previewBackend;
    private final HaproxySettings settings;
    private final HaproxySocket socket;
    private final StateFiles files;
    private final ColourRuntime colours;
    private final HttpClient http;

    public HaproxyTarget(String targetName, String activeBackend, String previewBackend, HaproxySettings settings,
                         ColourRuntime colours) {
        this.targetName = targetName;
        this.activeBackend = activeBackend;
        this.previewBackend = previewBackend;
        this.settings = settings;
        this.socket = new HaproxySocket(settings.socket(), settings.timeout());
        this.files = new StateFiles(settings.stateDir(), targetName);
        this.colours = colours;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public StateFiles stateFiles() {
        return files;
    }

    @Override
    public String describe() {
        return "haproxy backend " + activeBackend + " via " + settings.socket() + ", colours as "
                + colours.describe();
    }

    @Override
    public RouterCapabilities capabilities() {
        return new RouterCapabilities(true, true, "weights through the HAProxy runtime API, no reload");
    }

    @Override
    public List<TopologyProblem> checkTopology() {
        List<TopologyProblem> problems = new ArrayList<>();
        if (!Files.exists(settings.socket())) {
            problems.add(new TopologyProblem("router.socket", "no HAProxy admin socket at " + settings.socket()
                    + " (stats socket ... level admin in HAProxy's global section)"));
            return problems;
        }
        checkBackend(activeBackend, "activeService", problems);
        if (previewBackend != null) {
            checkBackend(previewBackend, "previewService", problems);
        }
        problems.addAll(colours.checkTopology());
        return problems;
    }

    private void checkBackend(String backend, String field, List<TopologyProblem> problems) {
        List<ServerState> servers = socket.serversState(backend);
        if (servers.isEmpty()) {
            problems.add(new TopologyProblem(field, "HAProxy has no backend '" + backend + "'"));
            return;
        }
        for (Colour colour : Colour.values()) {
            String name = settings.servers().get(colour);
            if (servers.stream().noneMatch(s -> s.name().equals(name))) {
                problems.add(new TopologyProblem("router.servers." + colour.label(), "HAProxy backend '" + backend
                        + "' has no server '" + name + "' (it has " + servers.stream().map(ServerState::name)
                        .toList() + ")"));
            }
        }
    }

    // ---- state and lock ---------------------------------------------------------------------------------------

    @Override
    public Optional<RolloutState> readState() {
        return files.readState();
    }

    @Override
    public void writeState(RolloutState state) {
        files.writeState(state);
    }

    @Override
    public Optional<LockHolder> acquireLock(LockHolder candidate) {
        return files.acquire(candidate);
    }

    @Override
    public void releaseLock(String rolloutId) {
        files.release(rolloutId);
    }

    @Override
    public Optional<LockHolder> readLock() {
        return files.readLock();
    }

    // ---- colours ----------------------------------------------------------------------------------------------

    @Override
    public void deployColour(Colour colour, Map<String, String> images, int replicas) {
        colours.deploy(colour, images, replicas);
        if (previewBackend != null) {
            applyWeights(previewBackend, TrafficSplit.allOn(colour));
        }
    }

    @Override
    public ColourReadiness readiness(Colour colour, Map<String, String> expectedImages) {
        return colours.readiness(colour, expectedImages);
    }

    /** Scaling a colour to zero first waits until HAProxy has no request in flight on it, so none is cut off. */
    @Override
    public void scaleColour(Colour colour, int replicas) {
        if (replicas == 0) {
            awaitDrained(colour);
        }
        colours.scale(colour, replicas);
    }

    private void awaitDrained(Colour colour) {
        String server = settings.servers().get(colour);
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (true) {
            int inFlight = currentSessions(server);
            if (inFlight == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                Progress.line(targetName + ": " + server + " still has " + inFlight + " request(s) in flight after "
                        + DRAIN_LIMIT.toSeconds() + " s; scaling down anyway");
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@code scur} of the server's row in {@code show stat} (CSV: pxname, svname, qcur, qmax, scur, ...). */
    private int currentSessions(String server) {
        for (String line : socket.execute("show stat").split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 4 && f[0].equals(activeBackend) && f[1].equals(server)) {
                return f[4].isEmpty() ? 0 : Integer.parseInt(f[4]);
            }
        }
        return 0;
    }

    // ---- traffic ----------------------------------------------------------------------------------------------

    @Override
    public TrafficSplit setTraffic(TrafficSplit split) {
        applyWeights(activeBackend, split);
        return split;
    }

    /**
     * Raises the colour that gains first and lowers the other second, so there is never a moment where both
     * servers have weight 0 (HAProxy would answer 503).
     */
    private void applyWeights(String backend, TrafficSplit split) {
        Map<String, ServerState> current = servers(backend);
        Colour gaining = split.blue() >= split.green() ? Colour.BLUE : Colour.GREEN;
        for (Colour colour : List.of(gaining, gaining.other())) {
            String server = settings.servers().get(colour);
            int weight = split.weightOf(colour);
            ServerState now = current.get(server);
            if (now != null && now.effectiveWeight() == weight && (weight == 0 || now.adminState() == 0)) {
                continue;
            }
            String address = backend + "/" + server;
            if (weight > 0) {
                if (now == null || now.adminState() != 0) {
                    socket.command("set server " + address + " state ready");
                }
                socket.command("set server " + address + " weight " + weight);
            } else {
                try {
                    socket.command("set server " + address + " weight 0");
                } catch (OutsideSystemException refused) {
                    Progress.line(targetName + ": " + refused.getMessage() + "; taking " + address
                            + " out with 'state maint' instead");
                    socket.command("set server " + address + " state maint");
                }
            }
        }
        saveServerState();
    }

    @Override
    public TrafficSplit readTraffic() {
        Map<String, ServerState> current = servers(activeBackend);
        int blue = effective(current, Colour.BLUE);
        int green = effective(current, Colour.GREEN);
        if (blue + green == 0) {
            throw new OutsideSystemException("HAProxy " + settings.socket(), "backend " + activeBackend
                    + " sends traffic to neither colour (both servers at weight 0 or in maintenance)");
        }
        int bluePercent = Math.round(100f * blue / (blue + green));
        return new TrafficSplit(bluePercent, 100 - bluePercent);
    }

    private int effective(Map<String, ServerState> current, Colour colour) {
        ServerState server = current.get(settings.servers().get(colour));
        if (server == null) {
            throw new OutsideSystemException("HAProxy " + settings.socket(), "backend " + activeBackend
                    + " has no server '" + settings.servers().get(colour) + "'");
        }
        return server.effectiveWeight();
    }

    private Map<String, ServerState> servers(String backend) {
        List<ServerState> list = socket.serversState(backend);
        if (list.isEmpty()) {
            throw new OutsideSystemException("HAProxy " + settings.socket(), "no backend '" + backend + "'");
        }
        Map<String, ServerState> byName = new java.util.HashMap<>();
        list.forEach(s -> byName.put(s.name(), s));
        return byName;
    }

    /**
     * Writes {@code show servers state} to HAProxy's server-state-file, atomically, so a reload started at any time
     * (a config change, a certificate renewal) loads the weights the rollout set rather than the file's.
     */
    private void saveServerState() {
        Path file = settings.serverStateFile();
        if (file == null) {
            return;
        }
        String dump = socket.execute("show servers state");
        try {
            AtomicFile.writeString(file, dump);
        } catch (IOException e) {
            throw new OutsideSystemException(file.toString(), "cannot write HAProxy's server state: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public URI previewUrl(Colour colour) {
        return settings.previewUrl() != null ? settings.previewUrl() : settings.colours().url().get(colour);
    }

    @Override
    public URI activeUrl() {
        return settings.activeUrl();
    }

    @Override
    public List<Colour> probeActive(int requests) {
        List<Colour> served = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpRequest request = HttpRequest.newBuilder(settings.activeUrl()).timeout(Duration.ofSeconds(5)).GET()
                    .build();
            HttpResponse<Void> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new OutsideSystemException(settings.activeUrl().toString(), "request failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutsideSystemException(settings.activeUrl().toString(), "interrupted", e);
            }
            String server = response.headers().firstValue(settings.colourHeader()).orElse(null);
            if (server == null) {
                throw new OutsideSystemException(settings.activeUrl().toString(), "HTTP " + response.statusCode()
                        + " without a " + settings.colourHeader() + " header, so the colour that answered is"
                        + " unknown; add 'http-response set-header " + settings.colourHeader()
                        + " %[srv_name]' to backend " + activeBackend);
            }
            Colour colour = settings.colourOfServer(server);
            if (colour == null) {
                throw new OutsideSystemException(settings.activeUrl().toString(), "answered by server '" + server
                        + "', which is neither colour " + settings.servers().values());
            }
            served.add(colour);
        }
        return served;
    }

    @Override
    public void close() {
        // one socket connection per command; nothing stays open
    }
}
