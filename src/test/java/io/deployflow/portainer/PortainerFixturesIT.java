package io.deployflow.portainer;

import com.sun.net.httpserver.HttpServer;
import io.deployflow.testsupport.VarsFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * portainerDeploy's step fixtures are what the jar writes when it deploys acme's tested stack (fhir-gateway 1.2.0 →
 * 1.3.0 through the .env beside the file, as the plan.json fixture says) to the Portainer fake, with the smoke
 * routes run against a small FHIR-like service: deployed (portainer-deployed.json); the new version fails a route
 * and the stack goes back (portainer-rolledback.json); the new version migrated the database so the old one fails
 * too, and the rollback does not verify (portainer-unverified.json); the stack is not in Portainer
 * (portainer-refused.json, exit 2).
 */
class PortainerFixturesIT {
    static final String SHOWN_PORTAINER = "https://portainer.example.org";
    static final String SHOWN_APP = "https://fhir.acme.example";
    static final String RUNNING = """
            services:
              fhir-gateway:
                image: 127.0.0.1:5000/fhir/fhir-gateway:${FHIR_GATEWAY_VERSION}
              terminology:
                image: 127.0.0.1:5000/fhir/terminology:0.4.0
            """;
    static final List<EnvVar> RUNNING_ENV = List.of(new EnvVar("DB_PASSWORD", "s3cr3t-db-value"),
            new EnvVar("LOG_LEVEL", "debug"), new EnvVar("FHIR_GATEWAY_VERSION", "1.2.0"));

    /** How the deployed service answers POST /fhir/Patient. */
    enum App { GOOD, NEW_VERSION_FAILS, BROKEN_ONCE_NEW_VERSION_RAN }

    @TempDir
    Path dir;
    FakePortainer portainer;
    FakePortainer.FakeStack stack;
    HttpServer app;
    volatile boolean newVersionRan;

    @AfterEach
    void stop() {
        if (portainer != null) {
            portainer.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    /** A fresh Portainer with acme's stack running 1.2.0 (or none), the service, and the step's inputs. */
    Path scenario(String name, App behaviour, boolean stackExists) throws Exception {
        stop();
        newVersionRan = false;
        portainer = new FakePortainer();
        portainer.deployPolls = 0;
        portainer.endpoints.put(3, "acme-prod");
        if (stackExists) {
            stack = portainer.addStack(12, "acme-team-fhir-stack", 3, RUNNING, RUNNING_ENV);
        }
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            boolean newVersion = stack != null && FakePortainer.services(stack.runningFile).containsKey("fhir-gateway")
                    && stack.runningEnv.contains(new EnvVar("FHIR_GATEWAY_VERSION", "1.3.0"));
            newVersionRan |= newVersion;
            boolean failing = exchange.getRequestURI().getPath().equals("/fhir/Patient")
                    && (behaviour == App.NEW_VERSION_FAILS && newVersion
                    || behaviour == App.BROKEN_ONCE_NEW_VERSION_RAN && newVersionRan);
            exchange.sendResponseHeaders(failing ? 500 : exchange.getRequestMethod().equals("POST") ? 201 : 200, -1);
            exchange.close();
        });
        app.start();

        Path work = dir.resolve(name);
        Files.createDirectories(work.resolve("customers/acme/smoke"));
        Files.writeString(work.resolve("deployflow.yaml"), """
                team: [{id: dev1, name: Developer One, emails: [dev1@example.org]}]
                components:
                  - {name: fhir-gateway, repo: 'https://git.example.org/fhir/fhir-gateway', image: 127.0.0.1:5000/fhir/fhir-gateway}
                  - {name: terminology, repo: 'https://git.example.org/fhir/terminology', image: 127.0.0.1:5000/fhir/terminology}
                  - {name: auth, repo: 'https://git.example.org/fhir/auth', image: 127.0.0.1:5000/fhir/auth}
                customers:
                  - name: acme
                    repo: https://git.example.org/customers/acme-stack.git
                    portainer:
                      url: %s
                      endpoint: acme-prod
                      stack: acme-team-fhir-stack
                      env: {LOG_LEVEL: info}
                      deployedUrl: http://127.0.0.1:%d
                      waitSeconds: 30
                """.formatted(portainer.url(), app.getAddress().getPort()));
        Files.writeString(work.resolve("customers/acme/docker-compose.yml"), RUNNING.replace("0.4.0", "0.4.1"));
        Files.writeString(work.resolve("customers/acme/.env"), "FHIR_GATEWAY_VERSION=1.3.0\n");
        Files.writeString(work.resolve("customers/acme/smoke/patient.json"), "{\"resourceType\":\"Patient\"}");
        Files.writeString(work.resolve("customers/acme/smoke/routes.yaml"), """
                routes:
                  - {name: metadata, path: /fhir/metadata, expect: {status: 200}}
                  - {name: patient-create, method: POST, path: /fhir/Patient, file: patient.json,
                     expect: {status: 201}, component: fhir-gateway}
                """);
        Files.copy(VarsFixtures.DIR.resolve("plan.json"), work.resolve("plan.json"));
        return work;
    }

    /** The call portainerDeploy makes, with the key only in the environment. */
    VarsFixtures.Run deploy(Path work) {
        return VarsFixtures.jar(work, Map.of("PORTAINER_API_KEY", FakePortainer.API_KEY), List.of("portainer",
                "deploy", "--config", "deployflow.yaml", "--customer", "acme", "--file",
                "customers/acme/docker-compose.yml", "--plan", "plan.json", "--routes",
                "customers/acme/smoke/routes.yaml", "--json", "deployflow-out/acme/portainer-deploy.json"));
    }

    static Path result(Path work) {
        return work.resolve("deployflow-out/acme/portainer-deploy.json");
    }

    Map<String, String> shown(Path work) {
        return Map.of(portainer.url(), SHOWN_PORTAINER, "http://127.0.0.1:" + app.getAddress().getPort(), SHOWN_APP,
                work.toString(), "/work");
    }

    @Test
    void portainerFixturesAreWhatTheJarWrites() throws Exception {
        Path work = scenario("deployed", App.GOOD, true);
        VarsFixtures.Run run = deploy(work);
        assertEquals(0, run.exitCode(), run.output());
        VarsFixtures.check("portainer-deployed.json", result(work), shown(work));

        work = scenario("rolledback", App.NEW_VERSION_FAILS, true);
        run = deploy(work);
        assertEquals(1, run.exitCode(), run.output());
        assertEquals(RUNNING, stack.file, "the stack is back on its file");
        VarsFixtures.check("portainer-rolledback.json", result(work), shown(work));

        work = scenario("unverified", App.BROKEN_ONCE_NEW_VERSION_RAN, true);
        run = deploy(work);
        assertEquals(1, run.exitCode(), run.output());
        VarsFixtures.check("portainer-unverified.json", result(work), shown(work));

        work = scenario("refused", App.GOOD, false);
        run = deploy(work);
        assertEquals(2, run.exitCode(), run.output());
        VarsFixtures.check("portainer-refused.json", result(work), shown(work));
    }
}
