package io.deployflow.cli;

import com.sun.net.httpserver.HttpServer;
import io.deployflow.core.AuditLog;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the class-data sharing archive that the launcher ({@code bin/deployflow --build-archive})
 * makes once at install time: the JVM records every class this run loads and later starts map them from the
 * archive instead of reading, verifying and linking them from the jar. It runs the commands pipelines run most
 * (the meeting on a demo repository, cold and warm, validate, release notes, smoke against a loopback server) on
 * throw-away files, prints nothing, writes no audit entry, and exits non-zero if any of them fails.
 */
public final class ArchiveTraining {
    private ArchiveTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("deployflow-archive-");
        PrintStream out = System.out;
        PrintStream err = System.err;
        String failed = null;
        try {
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            System.setOut(quiet);
            System.setErr(quiet);
            failed = train(dir);
        } finally {
            System.setOut(out);
            System.setErr(err);
            delete(dir);
        }
        if (failed != null) {
            System.err.println("deployflow archive training: '" + failed + "' failed; the archive is incomplete");
            System.exit(70);
        }
    }

    /** @return the first command that did not exit 0, or null */
    private static String train(Path dir) throws IOException {
        Path demo = dir.resolve("demo");
        Path config = demo.resolve("deployflow.yaml");
        Path plan = dir.resolve("plan.json");
        List<List<String>> commands = List.of(
                List.of("--help"),
                List.of("demo", "--dir", demo.toString(), "--date", "2026-11-23"),
                List.of("release-meeting", "--config", config.toString(), "--cache", demo.resolve("cache").toString(),
                        "--date", "2026-11-23", "--json", plan.toString()),
                List.of("validate", "--config", config.toString()),
                List.of("release-notes", "--config", config.toString(), "--plan", plan.toString(), "--out",
                        dir.resolve("notes.md").toString()));
        for (List<String> command : commands) {
            if (Main.run(command.toArray(String[]::new), false) != 0) {
                return String.join(" ", command);
            }
        }
        if (smoke(dir) != 0) {
            return "smoke";
        }
        new AuditLog(dir.resolve("audit.jsonl")).record("training", List.of(), 0);
        return null;
    }

    private static int smoke(Path dir) throws IOException {
        // answers on a kept-alive connection would otherwise wait for Nagle and delayed ACKs (~40 ms each)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(body);
            }
        });
        server.start();
        try {
            StringBuilder routes = new StringBuilder("baseUrl: http://127.0.0.1:" + server.getAddress().getPort()
                    + "\nreadyPath: /health\nroutes:\n");
            for (int i = 0; i < 20; i++) {
                routes.append("  - {name: read-").append(i).append(", path: /fhir/Patient/p1?n=").append(i)
                        .append(", expect: {status: 200, json: {\"$.resourceType\": Patient}}}\n");
            }
            Path file = dir.resolve("routes.yaml");
            Files.writeString(file, routes);
            return Main.run(new String[] {"smoke", "--routes", file.toString(), "--junit",
                    dir.resolve("smoke.xml").toString(), "--json", dir.resolve("smoke.json").toString()}, false);
        } finally {
            server.stop(0);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
