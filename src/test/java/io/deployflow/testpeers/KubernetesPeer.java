package io.deployflow.testpeers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * fabric8's Kubernetes mock server in CRUD mode (it stores and returns objects as an API server does, honours
 * resourceVersion conflicts and JSON/JSON-merge patches, refuses strategic-merge with 415), wrapped so a test can
 * see every request the code sent (for the RBAC check) and make chosen requests fail the way a real API server
 * fails (a 5xx answer), for the fault tests.
 */
public final class KubernetesPeer implements AutoCloseable {
    /** One request as the API server saw it. */
    public record Request(String method, String path, String contentType, String body) {
        @Override
        public String toString() {
            return method + " " + path + (contentType == null ? "" : " (" + contentType + ")");
        }
    }

    private final KubernetesMockServer server;
    private final Faulty dispatcher;

    private KubernetesPeer(KubernetesMockServer server, Faulty dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    public static KubernetesPeer start() {
        Faulty dispatcher = new Faulty(new KubernetesCrudDispatcher());
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init();
        return new KubernetesPeer(server, dispatcher);
    }

    /** A new client, as a new CLI process would make; fast retries so fault tests do not wait long. */
    public KubernetesClient client() {
        return server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(2)
                .withRequestRetryBackoffInterval(20).endConfig());
    }

    /** A kubeconfig file pointing at this server, for the CLI in this or another JVM. */
    public Path writeKubeconfig(Path dir) {
        String url = "http://" + server.getHostName() + ":" + server.getPort();
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                users:
                - name: tester
                  user: {token: not-a-secret}
                contexts:
                - name: mock
                  context: {cluster: mock, user: tester, namespace: default}
                current-context: mock
                """.formatted(url);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every request since the start (or the last {@link #clearRequests()}), in order. */
    public List<Request> requests() {
        return new ArrayList<>(dispatcher.requests);
    }

    public void clearRequests() {
        dispatcher.requests.clear();
    }

    /**
     * The next {@code times} requests that match answer {@code code} with a Status body, as an API server under
     * trouble does (the client retries 5xx, so a fault that should outlast the retries needs enough times).
     */
    public void fail(Predicate<Request> which, int times, int code) {
        dispatcher.faults.add(new Fault(which, new AtomicInteger(times), code));
    }

    /**
     * Runs {@code action} just before the next request that matches reaches the store: "someone else wrote in
     * between our read and our write", deterministically.
     */
    public void beforeNext(Predicate<Request> which, Runnable action) {
        dispatcher.hooks.add(new Hook(which, action, new AtomicInteger(1)));
    }

    /** A write straight into the store, as another client's request would be, from inside a hook. */
    public void writeDirect(String method, String path, String contentType, String body) {
        Headers headers = new Headers.Builder().add("Content-Type", contentType).build();
        MockResponse response = dispatcher.crud.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(method),
                path, headers, new Buffer().writeUtf8(body)));
        if (response.code() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.code() + ": "
                    + response.getBody().readUtf8());
        }
    }

    /** The number of requests a fault answered with its error so far. */
    public int faultsServed() {
        return dispatcher.served.get();
    }

    @Override
    public void close() {
        server.destroy();
    }

    private record Fault(Predicate<Request> which, AtomicInteger remaining, int code) {
    }

    private record Hook(Predicate<Request> which, Runnable action, AtomicInteger remaining) {
    }

    private static final class Faulty extends Dispatcher {
        private final KubernetesCrudDispatcher crud;
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final List<Fault> faults = new CopyOnWriteArrayList<>();
        private final List<Hook> hooks = new CopyOnWriteArrayList<>();
        private final AtomicInteger served = new AtomicInteger();

        Faulty(KubernetesCrudDispatcher crud) {
            this.crud = crud;
        }

        @Override
        public MockResponse dispatch(RecordedRequest recorded) {
            // getBytes, not getUtf8Body: reading the body would consume it before the CRUD dispatcher sees it
            byte[] body = recorded.getBody() == null ? new byte[0] : recorded.getBody().getBytes();
            Request request = new Request(recorded.getMethod(), recorded.getPath(),
                    recorded.getHeader("Content-Type"), new String(body, StandardCharsets.UTF_8));
            requests.add(request);
            for (Hook hook : hooks) {
                if (hook.which().test(request) && hook.remaining().getAndDecrement() > 0) {
                    hook.action().run();
                }
            }
            for (Fault fault : faults) {
                if (fault.which().test(request) && fault.remaining().getAndDecrement() > 0) {
                    served.incrementAndGet();
                    return new MockResponse().setResponseCode(fault.code()).setBody("{\"kind\":\"Status\","
                            + "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"injected by the test\","
                            + "\"code\":" + fault.code() + "}");
                }
            }
            return crud.dispatch(recorded);
        }

        @Override
        public void shutdown() {
            crud.shutdown();
        }
    }
}
