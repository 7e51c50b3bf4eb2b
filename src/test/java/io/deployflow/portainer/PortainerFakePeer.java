package io.deployflow.portainer;

/**
 * The Portainer stand-in ({@link FakePortainer}, newest generation) as a peer a test job can use: Portainer has no
 * runnable build here, so the test-job harness starts this for {@code // needs: portainer-fake}. It has one
 * environment (endpoint), named {@value #ENDPOINT} as a fresh Portainer's first one is, and no stacks: a job's
 * config sets {@code createIfMissing: true}, or deploys twice. It accepts one API key, {@link #apiKey()}.
 */
public final class PortainerFakePeer implements AutoCloseable {
    public static final String ENDPOINT = "local";

    private final FakePortainer portainer;

    private PortainerFakePeer(FakePortainer portainer) {
        this.portainer = portainer;
    }

    public static PortainerFakePeer start() {
        FakePortainer portainer = new FakePortainer();
        portainer.endpoints.put(1, ENDPOINT);
        return new PortainerFakePeer(portainer);
    }

    public String url() {
        return portainer.url();
    }

    /** The only key the fake accepts in {@code X-API-Key}. */
    public String apiKey() {
        return FakePortainer.API_KEY;
    }

    /** The file the named stack was last deployed with, or null when there is no such stack. */
    public String stackFile(String name) {
        return portainer.stacks.values().stream().filter(s -> s.name.equals(name)).map(s -> s.file).findFirst()
                .orElse(null);
    }

    @Override
    public void close() {
        portainer.close();
    }
}
