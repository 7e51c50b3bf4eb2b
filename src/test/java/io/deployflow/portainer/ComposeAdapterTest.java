package io.deployflow.portainer;

import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComposeAdapterTest {
    private static final String WITH_BUILD = """
            services:
              gateway:   # the FHIR gateway
                build:
                  context: ./gateway
                  dockerfile: Dockerfile
                image: registry.example.org/fhir/fhir-gateway:1.3.0
                ports: ["8080:8080"]
              db:
                build: ./db
                image: postgres:16
            """;

    @Test
    void refusesABuildSectionNamingServiceAndLine() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ComposeAdapter.adapt("docker-compose.yml", WITH_BUILD, "refuse", "refuse"));

        assertEquals("docker-compose.yml", e.file());
        assertEquals(3, e.line());
        assertEquals("services.gateway.build", e.field());
        assertTrue(e.getMessage().contains("Portainer cannot build images"), e.getMessage());
    }

    @Test
    void dropsBuildSectionsAndKeepsEveryOtherByte() {
        ComposeAdapter.Adapted adapted = ComposeAdapter.adapt("docker-compose.yml", WITH_BUILD, "drop", "refuse");

        assertEquals("""
                services:
                  gateway:   # the FHIR gateway
                    image: registry.example.org/fhir/fhir-gateway:1.3.0
                    ports: ["8080:8080"]
                  db:
                    image: postgres:16
                """, adapted.text());
        assertEquals(2, adapted.changes().size());
        assertEquals(List.of(new ComposeAdapter.Service("gateway", "registry.example.org/fhir/fhir-gateway:1.3.0"),
                new ComposeAdapter.Service("db", "postgres:16")), adapted.services());
    }

    @Test
    void cannotDropABuildWithoutAnImage() {
        BadInputException e = assertThrows(BadInputException.class, () -> ComposeAdapter.adapt("c.yml", """
                services:
                  app:
                    build: .
                """, "drop", "refuse"));

        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("no 'image:'"), e.getMessage());
    }

    @Test
    void refusesARelativeBindMountNamingTheItem() {
        BadInputException e = assertThrows(BadInputException.class, () -> ComposeAdapter.adapt("c.yml", """
                services:
                  app:
                    image: app:1
                    volumes:
                      - /srv/certs:/certs:ro
                      - ./data:/var/lib/app
                """, "refuse", "refuse"));

        assertEquals(6, e.line());
        assertEquals("services.app.volumes[1]", e.field());
        assertTrue(e.getMessage().contains("relative bind mount './data'"), e.getMessage());
    }

    @Test
    void turnsRelativeMountsIntoDeclaredNamedVolumes() {
        ComposeAdapter.Adapted adapted = ComposeAdapter.adapt("c.yml", """
                services:
                  app:
                    image: app:1
                    volumes:
                      - "./data:/var/lib/app"
                      - /srv/certs:/certs:ro
                      - type: bind
                        source: ./conf/nginx
                        target: /etc/nginx
                volumes:
                  logs:
                    driver: local
                # end
                """, "refuse", "named-volume");

        assertEquals("""
                services:
                  app:
                    image: app:1
                    volumes:
                      - "data:/var/lib/app"
                      - /srv/certs:/certs:ro
                      - type: volume
                        source: conf_nginx
                        target: /etc/nginx
                volumes:
                  logs:
                    driver: local
                  data: {}
                  conf_nginx: {}
                # end
                """, adapted.text());
        assertEquals(2, adapted.changes().size());
        assertTrue(adapted.changes().get(0).contains("starts empty"));
    }

    @Test
    void addsTopLevelVolumesWhenThereAreNone() {
        ComposeAdapter.Adapted adapted = ComposeAdapter.adapt("c.yml", """
                services:
                  app:
                    image: app:1
                    volumes: [./data:/data]""", "refuse", "named-volume");

        assertEquals("""
                services:
                  app:
                    image: app:1
                    volumes: [data:/data]
                volumes:
                  data: {}
                """, adapted.text());
    }

    @Test
    void addsToAFlowStyleTopLevelVolumes() {
        ComposeAdapter.Adapted adapted = ComposeAdapter.adapt("c.yml", """
                services:
                  app: {image: app:1, volumes: ["./data:/data"]}
                volumes: {}
                """, "refuse", "named-volume");

        assertEquals("""
                services:
                  app: {image: app:1, volumes: ["data:/data"]}
                volumes: {data: {}}
                """, adapted.text());
    }

    @Test
    void aFileWithNothingToAdaptIsSentByteForByte() {
        String text = "services:\n  app:\n    image: app:${TAG}   # set by compose set-versions\n";

        ComposeAdapter.Adapted adapted = ComposeAdapter.adapt("c.yml", text, "refuse", "refuse");

        assertEquals(text, adapted.text());
        assertEquals(List.of(new ComposeAdapter.Service("app", "app:${TAG}")), adapted.services());
    }

    @Test
    void refusesAnEnvFilePortainerCannotRead() {
        BadInputException e = assertThrows(BadInputException.class, () -> ComposeAdapter.adapt("c.yml", """
                services:
                  app:
                    image: app:1
                    env_file:
                      - stack.env
                      - ./app.env
                """, "drop", "named-volume"));

        assertEquals(6, e.line());
        assertEquals("services.app.env_file", e.field());
        assertTrue(e.getMessage().contains("not './app.env'"), e.getMessage());
    }

    @Test
    void acceptsStackEnvAndOptionalEnvFiles() {
        String text = """
                services:
                  app:
                    image: app:1
                    env_file: [stack.env, {path: ./local.env, required: false}]
                """;

        assertEquals(text, ComposeAdapter.adapt("c.yml", text, "refuse", "refuse").text());
    }

    @Test
    void aServiceImageTakesTheStacksVariablesAsComposeDoes() {
        ComposeAdapter.Service service = new ComposeAdapter.Service("app",
                "${REGISTRY:-registry.example.org}/fhir/app:${APP_VERSION}$$");

        assertEquals("registry.example.org/fhir/app:1.3.0$", service.imageWith(Map.of("APP_VERSION", "1.3.0")));
        assertEquals("r.local/fhir/app:2$", service.imageWith(Map.of("APP_VERSION", "2", "REGISTRY", "r.local")));
        assertNull(service.imageWith(Map.of()), "an unknown tag is not guessed");
    }

    @Test
    void malformedYamlIsBadInputWithItsLine() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ComposeAdapter.adapt("c.yml", "services:\n  app:\n    image: [a\n", "refuse", "refuse"));

        assertEquals("c.yml", e.file());
        assertTrue(e.getMessage().contains("malformed YAML"), e.getMessage());
    }

    @Test
    void aFileWithoutServicesIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ComposeAdapter.adapt("c.yml", "version: '3'\n", "refuse", "refuse"));

        assertEquals("services", e.field());
    }
}
