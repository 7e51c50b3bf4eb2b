package io.deployflow.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny HTTP images for stack and smoke tests, built from the busybox-static binary with {@code podman import} (no
 * image hub is reachable) and pushed to a {@link RegistryPeer}, so Compose pulls them as it would a real release.
 *
 * <p>Every image runs busybox {@code httpd} on port 80 (document root /www) and logs each request to stderr. It
 * carries no HEALTHCHECK (images from {@code podman import} are OCI images, which have none): use
 * {@link #HEALTHCHECK} in the compose file, or {@link #service}. The routes, a small FHIR-like sample:
 * <pre>
 *   GET  /health                 200 {"status":"UP","version":"1.0.0"}
 *   GET  /version                200 1.0.0
 *   GET  /fhir/metadata          200 {"resourceType":"CapabilityStatement",...}
 *   GET  /fhir/Patient/example   200 {"resourceType":"Patient","id":"example",...}
 *   POST /cgi-bin/fhir/Patient   201 with the posted resource when its body has "resourceType":"Patient",
 *                                 400 OperationOutcome otherwise (any type name works: /cgi-bin/fhir/Observation)
 * </pre>
 * The three images:
 * <ul>
 *   <li>{@code good}: all routes as above;</li>
 *   <li>{@code broken}: healthy, but {@code GET /fhir/Patient/example} answers 404;</li>
 *   <li>{@code sick}: serves no /health, so its health check never passes; it logs
 *       {@code fhir-gateway: cannot reach database db:5432 (connection refused), retrying} every second.</li>
 * </ul>
 * Each is tagged locally {@code localhost/deployflow-test/<name>:<version>} and pushed as
 * {@code 127.0.0.1:PORT/deployflow-test/<name>:<version>}; the registry is made trusted by the podman peer
 * ({@link PodmanPeer#trustInsecureRegistry}). All images stop at once on SIGTERM, so {@code down} is quick.
 *
 * <pre>{@code
 *   PodmanPeer podman = PodmanPeer.shared();
 *   TestImages images = TestImages.build(podman, registry);          // version 1.0.0
 *   String composeYaml = "services:\n" + TestImages.service("web", images.good(), 18080);
 * }</pre>
 *
 * @param registry the registry's {@code host:port}
 */
public record TestImages(String registry, String version) {
    public static final String DEFAULT_VERSION = "1.0.0";
    public static final List<String> NAMES = List.of("good", "broken", "sick");
    /** The compose {@code healthcheck:} value for these images (1s interval, 3 retries: quick on 2 cores). */
    public static final String HEALTHCHECK = "{test: [\"CMD\", \"/bin/wget\", \"-q\", \"-O\", \"/dev/null\", "
            + "\"http://127.0.0.1/health\"], interval: 1s, timeout: 3s, retries: 3}";

    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"example\",\"active\":true,"
            + "\"name\":[{\"family\":\"Chalmers\",\"given\":[\"Peter\",\"James\"]}],\"gender\":\"male\","
            + "\"birthDate\":\"1974-12-25\"}";
    private static final String METADATA = "{\"resourceType\":\"CapabilityStatement\",\"status\":\"active\","
            + "\"fhirVersion\":\"4.0.1\",\"format\":[\"json\"],\"rest\":[{\"mode\":\"server\",\"resource\":"
            + "[{\"type\":\"Patient\",\"interaction\":[{\"code\":\"read\"},{\"code\":\"create\"}]}]}]}";

    /** Builds good, broken and sick at {@link #DEFAULT_VERSION} and pushes them to {@code registry}. */
    public static TestImages build(PodmanPeer podman, RegistryPeer registry) {
        return build(podman, registry, DEFAULT_VERSION);
    }

    /** Builds the three images at {@code version} (it shows in /health and /version) and pushes them. */
    public static TestImages build(PodmanPeer podman, RegistryPeer registry, String version) {
        TestImages images = new TestImages(registry.hostPort(), version);
        podman.trustInsecureRegistry(registry.hostPort());
        try {
            Path work = Files.createTempDirectory("deployflow-images");
            for (String name : NAMES) {
                Path tar = rootfs(work.resolve(name), name, version);
                // every import makes a new image; drop the one this tag held so repeated runs leave nothing behind
                removeIfPresent(podman, images.local(name));
                String imageId = podman.podman("import", "-q", "--change", "CMD=[\"/start.sh\"]", "--change",
                        "EXPOSE=80", tar.toString(), images.local(name)).strip();
                // pushed by id: another test JVM may re-tag the shared local name meanwhile
                podman.podman("push", "-q", "--tls-verify=false", imageId, images.reference(name));
                // a copy of the registry reference left by an earlier run on the same port would stop Compose
                // from pulling; the tests must get what was just pushed
                removeIfPresent(podman, images.reference(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build test images", e);
        }
        return images;
    }

    /**
     * Removes the copies the engine pulled from the registry (call it after the stacks are down, e.g. in
     * {@code @AfterAll}); the local tags stay for the next build to replace. Images still in use are kept.
     */
    public void removePulled(PodmanPeer podman) {
        NAMES.forEach(name -> removeIfPresent(podman, reference(name)));
    }

    /** {@code 127.0.0.1:PORT/deployflow-test/good:VERSION}: answers every route correctly. */
    public String good() {
        return reference("good");
    }

    /** Healthy, but {@code GET /fhir/Patient/example} answers 404. */
    public String broken() {
        return reference("broken");
    }

    /** Never becomes healthy, and logs why. */
    public String sick() {
        return reference("sick");
    }

    /** {@code 127.0.0.1:PORT/deployflow-test/<name>}, without a tag (what a component's image field holds). */
    public String repository(String name) {
        return registry + "/deployflow-test/" + name;
    }

    /** The pushed image reference, {@code 127.0.0.1:PORT/deployflow-test/<name>:<version>}. */
    public String reference(String name) {
        return repository(name) + ":" + version;
    }

    /** The local tag, {@code localhost/deployflow-test/<name>:<version>}. */
    public String local(String name) {
        return "localhost/deployflow-test/" + name + ":" + version;
    }

    /**
     * A compose service block (indented for {@code services:}) running {@code image} with its health check and port
     * 80 published on {@code 127.0.0.1:hostPort}.
     */
    public static String service(String serviceName, String image, int hostPort) {
        return "  " + serviceName + ":\n"
                + "    image: " + image + "\n"
                + "    ports: [\"127.0.0.1:" + hostPort + ":80\"]\n"
                + "    healthcheck: " + HEALTHCHECK + "\n";
    }

    private static Path rootfs(Path root, String name, String version) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path busybox = Path.of("/bin/busybox");
        requireStatic(busybox);
        Files.copy(busybox, bin.resolve("busybox"));
        for (String applet : List.of("sh", "httpd", "cat", "echo", "sleep", "wget", "head", "grep", "kill", "printf")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path www = Files.createDirectories(root.resolve("www"));
        Files.createDirectories(root.resolve("tmp"));
        if (!name.equals("sick")) {
            Files.writeString(www.resolve("health"), "{\"status\":\"UP\",\"version\":\"" + version + "\"}\n");
        }
        Files.writeString(www.resolve("version"), version + "\n");
        Path fhir = Files.createDirectories(www.resolve("fhir"));
        Files.writeString(fhir.resolve("metadata"), METADATA + "\n");
        Path patient = Files.createDirectories(fhir.resolve("Patient"));
        if (!name.equals("broken")) {
            Files.writeString(patient.resolve("example"), PATIENT + "\n");
        }
        executable(Files.createDirectories(www.resolve("cgi-bin")).resolve("fhir"), createScript());
        executable(root.resolve("start.sh"), startScript(name, version));
        Path tar = root.resolveSibling(name + ".tar");
        run(List.of("tar", "--owner=0", "--group=0", "-C", root.toString(), "-cf", tar.toString(), "."));
        return tar;
    }

    /** POST /cgi-bin/fhir/TYPE: a FHIR-like create that answers 201 with the resource it received. */
    private static String createScript() {
        return String.join("\n",
                "#!/bin/sh",
                "type=${PATH_INFO#/}",
                "body=$(head -c \"${CONTENT_LENGTH:-0}\")",
                "if [ \"$REQUEST_METHOD\" != POST ]; then",
                "  printf 'Status: 405 Method Not Allowed\\r\\nContent-Type: text/plain\\r\\n\\r\\nPOST only\\n'",
                "  exit 0",
                "fi",
                "if printf '%s' \"$body\" | grep -q \"\\\"resourceType\\\" *: *\\\"$type\\\"\"; then",
                "  printf 'Status: 201 Created\\r\\nContent-Type: application/fhir+json\\r\\nLocation: /fhir/%s/1\\r\\n"
                        + "\\r\\n%s\\n' \"$type\" \"$body\"",
                "else",
                "  printf 'Status: 400 Bad Request\\r\\nContent-Type: application/fhir+json\\r\\n\\r\\n"
                        + "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                        + "\"code\":\"invalid\",\"diagnostics\":\"body is not a %s\"}]}\\n' \"$type\"",
                "fi",
                "");
    }

    /**
     * PID 1 gets no default signal handling, so httpd alone would ignore SIGTERM and every {@code down} would wait
     * out the stop timeout; the script traps TERM and stops at once.
     */
    private static String startScript(String name, String version) {
        String sickLoop = name.equals("sick")
                ? "while true; do echo 'fhir-gateway: cannot reach database db:5432 (connection refused), "
                + "retrying' >&2; sleep 1 & wait $!; done &\nloop=$!\n"
                : "loop=\n";
        return "#!/bin/sh\n"
                + "trap 'kill $pid $loop 2>/dev/null; exit 0' TERM INT\n"
                + "echo \"deployflow-test/" + name + " " + version + " listening on :80\" >&2\n"
                + sickLoop
                + "httpd -f -v -p 80 -h /www & pid=$!\n"
                + "wait $pid\n";
    }

    /** A dynamically linked busybox would not run in a rootfs without its libc; busybox-static provides it. */
    private static void requireStatic(Path busybox) throws IOException {
        if (!Files.isRegularFile(busybox)) {
            throw new IllegalStateException(busybox + " is missing: install busybox-static (.ci/install-peers.sh)");
        }
        byte[] bytes = Files.readAllBytes(busybox);
        if (new String(bytes, StandardCharsets.ISO_8859_1).contains("/lib64/ld-linux")) {
            throw new IllegalStateException(busybox + " is dynamically linked: install busybox-static");
        }
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void removeIfPresent(PodmanPeer podman, String reference) {
        try {
            podman.podman("rmi", reference);
        } catch (IllegalStateException notPresent) {
            // nothing to remove
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
