package io.deployflow.compose;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.deployflow.compose.ComposeFixture.read;
import static io.deployflow.compose.ComposeFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionSetterTest {
    @TempDir
    Path dir;

    private VersionSetter setter() {
        DeployflowConfig config = ComposeFixture.config(dir);
        return new VersionSetter(config, ComposeValidator.NONE);
    }

    private static Map<String, String> versions(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    @Test
    void plainAndQuotedTagsChangeAndNothingElseDoes() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                # Acme's stack: keep this comment
                version:   "3.9"
                services:
                  gateway:
                    ports: ["127.0.0.1:8080:8080"]   # ports before image, on purpose
                    image:    "registry.example.org/fhir/fhir-gateway:1.2.0"   # double quoted
                    environment: {LOG: debug,  MODE: "x"}
                  terminology: {image: 'localhost:5000/fhir/terminology:0.9.1', restart: always}
                  portal:
                    image: registry.example.org/fhir/portal:2.0.0-rc.1
                  db:
                    image: postgres:14   # not ours
                """);
        SetVersionsResult result = setter().apply(compose, versions("fhir-gateway", "1.3.0", "terminology", "1.0.0",
                "portal", "2.0.0"));
        assertEquals("""
                # Acme's stack: keep this comment
                version:   "3.9"
                services:
                  gateway:
                    ports: ["127.0.0.1:8080:8080"]   # ports before image, on purpose
                    image:    "registry.example.org/fhir/fhir-gateway:1.3.0"   # double quoted
                    environment: {LOG: debug,  MODE: "x"}
                  terminology: {image: 'localhost:5000/fhir/terminology:1.0.0', restart: always}
                  portal:
                    image: registry.example.org/fhir/portal:2.0.0
                  db:
                    image: postgres:14   # not ours
                """, read(compose));
        assertEquals(java.util.List.of(compose.toString()), result.filesChanged());
        assertEquals("1.2.0", result.services().get(0).from());
        assertEquals("1.3.0", result.services().get(0).to());
        assertEquals("0.9.1", result.services().get(1).from());
        assertEquals("2.0.0-rc.1", result.services().get(2).from());
    }

    @Test
    void registryPortColonIsNotTheTagAndAMissingTagIsAdded() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                services:
                  term-a:
                    image: localhost:5000/fhir/terminology:0.9.1
                  term-b:
                    image: "localhost:5000/fhir/terminology"  # untagged: runs latest
                """);
        SetVersionsResult result = setter().apply(compose, versions("terminology", "1.0.0"));
        assertEquals("""
                services:
                  term-a:
                    image: localhost:5000/fhir/terminology:1.0.0
                  term-b:
                    image: "localhost:5000/fhir/terminology:1.0.0"  # untagged: runs latest
                """, read(compose));
        assertNull(result.services().get(1).from());
        assertTrue(result.services().get(1).changed());
    }

    @Test
    void tagFromDotEnvIsEditedInDotEnvKeepingQuotesAndComments() {
        String composeText = """
                services:
                  gateway:
                    image: registry.example.org/fhir/fhir-gateway:${GATEWAY_VERSION}
                  portal:
                    image: "registry.example.org/fhir/portal:${PORTAL_VERSION:-2.0.0}"
                  terminology:
                    image: localhost:5000/fhir/terminology:$TERMINOLOGY_VERSION
                """;
        Path compose = write(dir.resolve("docker-compose.yml"), composeText);
        Path env = write(dir.resolve(".env"), """
                # versions, managed by deployflow
                GATEWAY_VERSION="1.2.0"   # pinned after FHIR-12
                export PORTAL_VERSION = '2.0.0'
                TERMINOLOGY_VERSION=0.9.1 # inline comment
                GATEWAY_VERSION_OLD=1.1.0
                """);
        SetVersionsResult result = setter().apply(compose, versions("fhir-gateway", "1.3.0", "portal", "2.1.0",
                "terminology", "1.0.0"));
        assertEquals(composeText, read(compose));
        assertEquals("""
                # versions, managed by deployflow
                GATEWAY_VERSION="1.3.0"   # pinned after FHIR-12
                export PORTAL_VERSION = '2.1.0'
                TERMINOLOGY_VERSION=1.0.0 # inline comment
                GATEWAY_VERSION_OLD=1.1.0
                """, read(env));
        assertEquals(java.util.List.of(env.toAbsolutePath().toString()), result.filesChanged());
        assertTrue(result.services().get(0).where().contains("GATEWAY_VERSION in .env"),
                result.services().get(0).where());
    }

    @Test
    void defaultInsideComposeIsEditedWhenDotEnvDoesNotSetTheVariable() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                services:
                  gateway:
                    image: registry.example.org/fhir/fhir-gateway:${GATEWAY_VERSION:-1.2.0}
                  portal:
                    image: registry.example.org/fhir/portal:${PORTAL_VERSION-2.0.0}
                  terminology:
                    image: localhost:5000/fhir/terminology:${TERMINOLOGY_VERSION-0.9.1}
                """);
        // ':-' falls back to the default on an empty value; '-' only when unset, so an empty .env value wins.
        Path env = write(dir.resolve(".env"), "GATEWAY_VERSION=\r\nTERMINOLOGY_VERSION=\r\n");
        setter().apply(compose, versions("fhir-gateway", "1.3.0", "portal", "2.1.0", "terminology", "1.0.0"));
        assertEquals("""
                services:
                  gateway:
                    image: registry.example.org/fhir/fhir-gateway:${GATEWAY_VERSION:-1.3.0}
                  portal:
                    image: registry.example.org/fhir/portal:${PORTAL_VERSION-2.1.0}
                  terminology:
                    image: localhost:5000/fhir/terminology:${TERMINOLOGY_VERSION-0.9.1}
                """, read(compose));
        assertEquals("GATEWAY_VERSION=\r\nTERMINOLOGY_VERSION=1.0.0\r\n", read(env));
    }

    @Test
    void severalServicesOnOneImageAreAllSet() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                services:
                  gateway-a: {image: registry.example.org/fhir/fhir-gateway:1.2.0}
                  gateway-b:
                    image: registry.example.org/fhir/fhir-gateway
                  gateway-c:
                    image: 'registry.example.org/fhir/fhir-gateway:1.2.0'
                """);
        SetVersionsResult result = setter().apply(compose, versions("fhir-gateway", "1.3.0"));
        assertEquals("""
                services:
                  gateway-a: {image: registry.example.org/fhir/fhir-gateway:1.3.0}
                  gateway-b:
                    image: registry.example.org/fhir/fhir-gateway:1.3.0
                  gateway-c:
                    image: 'registry.example.org/fhir/fhir-gateway:1.3.0'
                """, read(compose));
        assertEquals(3, result.services().size());
    }

    @Test
    void anchorsAliasesAndMergeKeysEditTheAnchoredScalarOnce() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                x-gateway: &gateway
                  image: registry.example.org/fhir/fhir-gateway:1.2.0   # the one place
                  restart: always
                x-portal-image: &portal-image "registry.example.org/fhir/portal:2.0.0"
                services:
                  gateway-1: *gateway
                  gateway-2:
                    <<: *gateway
                    ports: ["8081:8080"]
                  gateway-3:
                    <<: [*gateway]
                    environment: {A: b}
                  portal:
                    image: *portal-image
                  portal-admin:
                    image: *portal-image
                """);
        SetVersionsResult result = setter().apply(compose, versions("fhir-gateway", "1.3.0", "portal", "2.1.0"));
        assertEquals("""
                x-gateway: &gateway
                  image: registry.example.org/fhir/fhir-gateway:1.3.0   # the one place
                  restart: always
                x-portal-image: &portal-image "registry.example.org/fhir/portal:2.1.0"
                services:
                  gateway-1: *gateway
                  gateway-2:
                    <<: *gateway
                    ports: ["8081:8080"]
                  gateway-3:
                    <<: [*gateway]
                    environment: {A: b}
                  portal:
                    image: *portal-image
                  portal-admin:
                    image: *portal-image
                """, read(compose));
        assertEquals(5, result.services().size());
    }

    @Test
    void mergedServiceWithItsOwnImageOverridesTheBase() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                x-base: &base {image: registry.example.org/fhir/fhir-gateway:1.2.0, restart: always}
                services:
                  gateway: {<<: *base}
                  portal: {<<: *base, image: registry.example.org/fhir/portal:2.0.0}
                """);
        setter().apply(compose, versions("portal", "2.1.0"));
        assertEquals("""
                x-base: &base {image: registry.example.org/fhir/fhir-gateway:1.2.0, restart: always}
                services:
                  gateway: {<<: *base}
                  portal: {<<: *base, image: registry.example.org/fhir/portal:2.1.0}
                """, read(compose));
    }

    @Test
    void manyMergesOfOneAnchorAreAccepted() {
        StringBuilder text = new StringBuilder("x-common: &common {restart: always}\nservices:\n");
        for (int i = 0; i < 120; i++) {
            text.append("  s").append(i).append(": {<<: *common, image: registry.example.org/fhir/portal:2.0.0}\n");
        }
        Path compose = write(dir.resolve("docker-compose.yml"), text.toString());
        assertEquals(120, setter().apply(compose, versions("portal", "2.1.0")).services().size());
        assertEquals(text.toString().replace("portal:2.0.0", "portal:2.1.0"), read(compose));
    }

    @Test
    void charactersOutsideTheBasicPlaneAndCrlfAndBomStayPut() {
        String before = "\uFEFF# \uD83D\uDE80 launch stack, caf\u00e9 \uD835\uDD38\r\nservices:\r\n"
                + "  gateway:   # \uD83D\uDC33\uD83D\uDC33\r\n"
                + "    labels: {note: \"\uD83D\uDE00 smile\"}\r\n"
                + "    image: registry.example.org/fhir/fhir-gateway:1.2.0\r\n";
        Path compose = write(dir.resolve("docker-compose.yml"), before);
        setter().apply(compose, versions("fhir-gateway", "10.0.0"));
        assertEquals(before.replace("gateway:1.2.0", "gateway:10.0.0"), read(compose));
    }

    @Test
    void secondRunChangesNothing() throws Exception {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                services:
                  gateway:
                    image: registry.example.org/fhir/fhir-gateway:${V:-1.2.0}
                  portal:
                    image: registry.example.org/fhir/portal
                """);
        VersionSetter setter = setter();
        Map<String, String> wanted = versions("fhir-gateway", "1.3.0", "portal", "2.1.0");
        assertTrue(setter.apply(compose, wanted).changed());
        String once = read(compose);
        java.nio.file.attribute.FileTime mtime = java.nio.file.Files.getLastModifiedTime(compose);
        SetVersionsResult second = setter.apply(compose, wanted);
        assertFalse(second.changed());
        assertTrue(second.services().stream().noneMatch(SetVersionsResult.ServiceChange::changed));
        assertEquals(once, read(compose));
        assertEquals(mtime, java.nio.file.Files.getLastModifiedTime(compose));
        assertTrue(once.contains("portal:2.1.0\n"), once);
    }

    @Test
    void currentVersionsReadsComposeDefaultsAndDotEnv() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                services:
                  gateway: {image: "registry.example.org/fhir/fhir-gateway:${G:-1.2.0}"}
                  terminology: {image: "localhost:5000/fhir/terminology:${T}"}
                  portal: {image: registry.example.org/fhir/portal}
                  db: {image: postgres:14}
                """);
        write(dir.resolve(".env"), "T='0.9.1'\n");
        assertEquals(Map.of("fhir-gateway", "1.2.0", "terminology", "0.9.1"), setter().currentVersions(compose));
        assertEquals(java.util.Set.of("fhir-gateway", "terminology", "portal"), setter().componentsIn(compose));
    }

    @Test
    void repositoryWithAVariableIsMatchedThroughDotEnv() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                services:
                  gateway: {image: "${REGISTRY:-registry.example.org}/fhir/fhir-gateway:1.2.0"}
                """);
        setter().apply(compose, versions("fhir-gateway", "1.3.0"));
        assertEquals("""
                services:
                  gateway: {image: "${REGISTRY:-registry.example.org}/fhir/fhir-gateway:1.3.0"}
                """, read(compose));
    }

    // ---- refusals: exit 2 material, and every file keeps its bytes ----

    private void assertRefused(String composeText, String envText, Map<String, String> wanted, String expected) {
        Path compose = write(dir.resolve("docker-compose.yml"), composeText);
        Path env = envText == null ? null : write(dir.resolve(".env"), envText);
        BadInputException e = assertThrows(BadInputException.class, () -> setter().apply(compose, wanted));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertBytes(composeText, compose);
        if (env != null) {
            assertBytes(envText, env);
        }
    }

    /** The file holds exactly these bytes: nothing was written, not even the same text re-encoded. */
    private static void assertBytes(String text, Path file) {
        try {
            assertArrayEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.file.Files.readAllBytes(file), file.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void refusesAnImagePinnedByDigest() {
        assertRefused("""
                services:
                  portal: {image: registry.example.org/fhir/portal:2.0.0}
                  gateway:
                    image: registry.example.org/fhir/fhir-gateway@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                """, null, versions("portal", "2.1.0", "fhir-gateway", "1.3.0"), "pinned by digest");
        assertRefused("""
                services:
                  gateway:
                    image: registry.example.org/fhir/fhir-gateway:1.2.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                """, null, versions("fhir-gateway", "1.3.0"), "docker-compose.yml:3: services.gateway.image:");
    }

    @Test
    void refusesAComponentNoServiceRuns() {
        assertRefused("""
                services:
                  portal: {image: registry.example.org/fhir/portal:2.0.0}
                  gateway: {image: registry.example.org/other/fhir-gateway:1.2.0}
                """, null, versions("portal", "2.1.0", "fhir-gateway", "1.3.0"),
                "no service runs component fhir-gateway");
    }

    @Test
    void refusesVersionsThatAreNotStrictSemver() {
        String text = "services:\n  portal: {image: registry.example.org/fhir/portal:2.0.0}\n";
        for (String bad : new String[] {"2.1", "v2.1.0", "02.1.0", "2.1.0-", "2.1.0+build.5", "2.1.0-01", "latest"}) {
            assertRefused(text, null, versions("portal", bad), "'" + bad + "'");
        }
    }

    @Test
    void refusesAnUnknownComponent() {
        assertRefused("services:\n  portal: {image: registry.example.org/fhir/portal:2.0.0}\n", null,
                versions("portl", "2.1.0"), "did you mean 'portal'");
    }

    @Test
    void refusesATagMixingTextAndVariables() {
        assertRefused("services:\n  portal: {image: \"registry.example.org/fhir/portal:${V}-alpine\"}\n",
                "V=2.0.0\n", versions("portal", "2.1.0"), "mixes text and variables");
    }

    @Test
    void refusesAVariableWithNoValueAnywhere() {
        assertRefused("services:\n  portal: {image: \"registry.example.org/fhir/portal:${PORTAL_VERSION}\"}\n",
                "OTHER=1\n", versions("portal", "2.1.0"), "PORTAL_VERSION}, which has no value");
    }

    @Test
    void refusesAVariableSharedWithAServiceThatIsNotBeingSet() {
        assertRefused("""
                services:
                  portal: {image: "registry.example.org/fhir/portal:${STACK_VERSION}"}
                  gateway: {image: "registry.example.org/fhir/fhir-gateway:${STACK_VERSION}"}
                """, "STACK_VERSION=2.0.0\n", versions("portal", "2.1.0"), "also the tag of service gateway");
    }

    @Test
    void refusesOneVariableAskedForTwoVersions() {
        assertRefused("""
                services:
                  portal: {image: "registry.example.org/fhir/portal:${STACK_VERSION}"}
                  gateway: {image: "registry.example.org/fhir/fhir-gateway:${STACK_VERSION}"}
                """, "STACK_VERSION=2.0.0\n", versions("portal", "2.1.0", "fhir-gateway", "1.3.0"),
                "asked for different versions");
    }

    @Test
    void refusesAnImageWrittenWithEscapes() {
        assertRefused("services:\n  portal: {image: \"registry.example.org/fhir/portal:\\x32.0.0\"}\n", null,
                versions("portal", "2.1.0"), "without escapes");
    }

    @Test
    void refusesMalformedYamlAndAFileWithoutServices() {
        assertRefused("services:\n  portal: {image: [\n", null, versions("portal", "2.1.0"), "malformed YAML");
        assertRefused("volumes: {}\n", null, versions("portal", "2.1.0"), "no 'services:' mapping");
    }

    // ---- edge cases found in public compose files ----

    @Test
    void duplicateKeysAreRefusedNamingBothLinesAsComposeDoes() {
        assertRefused("""
                services:
                  web:
                    image: registry.example.org/fhir/portal:2.0.0
                    image: registry.example.org/fhir/portal:2.0.1
                """, null, versions("portal", "2.1.0"),
                "docker-compose.yml:4: services.web.image: duplicate key 'image', already defined at line 3");
        assertRefused("""
                services:
                  web: {image: registry.example.org/fhir/portal:2.0.0}
                  db: {image: postgres:14}
                  web: {image: registry.example.org/fhir/portal:2.0.1}
                """, null, versions("portal", "2.1.0"),
                "docker-compose.yml:4: services.web: duplicate key 'web', already defined at line 2");
        assertRefused("""
                services:
                  web: {image: registry.example.org/fhir/portal:2.0.0}
                volumes: {}
                services:
                  api: {image: registry.example.org/fhir/fhir-gateway:1.2.0}
                """, null, versions("portal", "2.1.0"),
                "docker-compose.yml:4: services: duplicate key 'services', already defined at line 1");
    }

    @Test
    void oneImageWithDifferentTagsPerServiceIsRefusedNamingTheServices() {
        assertRefused("""
                services:
                  frontend:
                    image: registry.example.org/fhir/portal:frontend-v1.0.0beta-5
                  api:
                    image: registry.example.org/fhir/portal:api-v1.0.0beta-5
                """, null, versions("portal", "1.0.0"), "docker-compose.yml:5: services.api.image: component portal"
                + " runs two versions here: 'frontend-v1.0.0beta-5' (service frontend, line 3) and"
                + " 'api-v1.0.0beta-5' (service api); if these services are different things, list the services"
                + " each component runs as under 'services' in the config");
    }

    @Test
    void componentsThatListTheirServicesShareAnImageAndAreSetApart() {
        String config = ComposeFixture.CONFIG.replace("customers:", """
                  - {name: mealie-frontend, repo: file:///mf, image: hkotel/mealie, services: [frontend]}
                  - {name: mealie-api, repo: file:///ma, image: hkotel/mealie, services: [api, worker]}
                customers:""");
        VersionSetter setter = new VersionSetter(io.deployflow.config.ConfigLoader.load(
                write(dir.resolve("deployflow.yaml"), config)), ComposeValidator.NONE);
        Path compose = write(dir.resolve("docker-compose.yml"), """
                services:
                  frontend:
                    image: hkotel/mealie:frontend-v1.0.0beta-5
                  api:
                    image: hkotel/mealie:api-v1.0.0beta-5
                  worker:
                    image: hkotel/mealie:api-v1.0.0beta-4
                """);
        SetVersionsResult result = setter.apply(compose, versions("mealie-frontend", "1.0.0", "mealie-api", "1.0.1"));
        assertEquals("""
                services:
                  frontend:
                    image: hkotel/mealie:1.0.0
                  api:
                    image: hkotel/mealie:1.0.1
                  worker:
                    image: hkotel/mealie:1.0.1
                """, read(compose));
        assertEquals(java.util.List.of("frontend mealie-frontend", "api mealie-api", "worker mealie-api"),
                result.services().stream().map(c -> c.service() + " " + c.component()).toList());
    }

    @Test
    void anAnchorAlsoUsedAsALabelIsRefusedNamingTheOtherUse() {
        assertRefused("""
                x-img: &img registry.example.org/fhir/portal:2.0.0
                services:
                  web:
                    image: *img
                    labels: {mirror-of: *img}
                """, null, versions("portal", "2.1.0"), "docker-compose.yml:1: services.web.image: the image is an"
                + " anchor that is also used at services.web.labels.mirror-of (line 5); editing its tag would change"
                + " that too");
    }

    @Test
    void anAnchorAlsoUsedInAnEnvironmentListOrThroughAMergeIsRefused() {
        assertRefused("""
                x-img: &img "registry.example.org/fhir/portal:2.0.0"
                x-common: &common
                  labels: {upstream: *img}
                services:
                  web:
                    image: *img
                    environment: [*img]
                  worker:
                    <<: *common
                    image: postgres:14
                """, null, versions("portal", "2.1.0"), "also used at services.web.environment[0] (in the list at"
                + " line 7), services.worker.<<.labels.upstream (line 3)");
    }

    @Test
    void anAnchorUsedOnlyAsImagesOfTheComponentIsEdited() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                x-img: &img registry.example.org/fhir/portal:2.0.0
                x-doc: {note: *img}
                services:
                  web: {image: *img}
                  admin: {image: *img, labels: {tier: admin}}
                """);
        setter().apply(compose, versions("portal", "2.1.0"));
        assertEquals("""
                x-img: &img registry.example.org/fhir/portal:2.1.0
                x-doc: {note: *img}
                services:
                  web: {image: *img}
                  admin: {image: *img, labels: {tier: admin}}
                """, read(compose), "extension fields (x-) are not uses: Compose ignores them");
    }

    @Test
    void aDotEnvWithAByteOrderMarkIsReadAndKeepsItsMark() {
        String composeText = "services:\n  web: {image: \"registry.example.org/fhir/portal:${PORTAL_VERSION}\"}\n";
        Path compose = write(dir.resolve("docker-compose.yml"), composeText);
        Path env = write(dir.resolve(".env"), "\uFEFFPORTAL_VERSION=2.0.0\r\nOTHER=x\r\n");
        assertEquals(Map.of("portal", "2.0.0"), setter().currentVersions(compose));
        setter().apply(compose, versions("portal", "2.1.0"));
        assertEquals("\uFEFFPORTAL_VERSION=2.1.0\r\nOTHER=x\r\n", read(env));
        assertEquals(composeText, read(compose));

        assertRefused(composeText + "  web: {image: postgres:14}\n", "\uFEFFPORTAL_VERSION=2.1.0\n",
                versions("portal", "2.2.0"), "duplicate key 'web'");
    }

    @Test
    void aTagLongerThanTheOciLimitIsRefused() {
        String text = "services:\n  web: {image: registry.example.org/fhir/portal:2.0.0}\n";
        String longest = "2.1.0-" + "a".repeat(122);
        setter().apply(write(dir.resolve("docker-compose.yml"), text), versions("portal", longest));
        assertTrue(read(dir.resolve("docker-compose.yml")).contains(":" + longest + "}"), "128 characters fit");
        assertRefused(text, null, versions("portal", longest + "a"), "is 129 characters long; an image tag holds"
                + " at most 128 (OCI distribution spec)");
    }

    @Test
    void anImageWithEscapesIsRefusedSayingWhatWasFound() {
        assertRefused("services:\n  portal: {image: \"registry.example.org/fhir/portal:\\x32.0.0\"}\n", null,
                versions("portal", "2.1.0"), "docker-compose.yml:2: services.portal.image: write the image on one"
                + " line without escapes or block style, so its tag can be edited in place (found a double-quoted"
                + " value with escapes, which reads as 'registry.example.org/fhir/portal:2.0.0')");
        assertRefused("services:\n  portal:\n    image: >-\n      registry.example.org/fhir/portal:2.0.0\n", null,
                versions("portal", "2.1.0"), "(found a folded block (>), which reads as");
        assertRefused("services:\n  portal: {image: 'registry.example.org/fhir/it''s:2.0.0'}\n", null,
                versions("portal", "2.1.0"), "(found a single-quoted value with an escaped quote ('')");
    }

    // ---- the installed Compose CLI judges the edit, not what the original already had ----

    private VersionSetter judgedByCompose() {
        ComposeValidator compose = ComposeValidator.detect();
        assertTrue(compose.name() != null, "no Compose CLI installed; .ci/install-peers.sh installs docker-compose");
        return new VersionSetter(ComposeFixture.config(dir), compose);
    }

    @Test
    void whatTheOriginalAlreadyHadIsNotBlamedOnTheEdit() {
        Path compose = write(dir.resolve("docker-compose.yml"), """
                name: acme
                services:
                  web:
                    image: registry.example.org/fhir/portal:2.0.0
                    environment: {FEATURE_X: true}
                """);
        VersionSetter setter = judgedByCompose();
        SetVersionsResult result = setter.apply(compose, versions("portal", "2.1.0"));
        assertTrue(read(compose).contains("portal:2.1.0\n"), read(compose));
        assertEquals(ComposeValidator.detect().name(), result.validatedWith());
        assertTrue(result.validatorVersion().matches("[0-9]+\\.[0-9]+\\.[0-9]+.*"), result.validatorVersion());
        assertTrue(result.originalComplaint().contains("FEATURE_X"), result.originalComplaint());
    }

    @Test
    void anEditThatAddsAComplaintIsUndoneNamingTheValidatorAndItsVersion() {
        String composeText = """
                services:
                  web:
                    image: registry.example.org/fhir/portal:${PORTAL_VERSION}
                    ports: ["${PORTAL_VERSION}:80"]
                """;
        Path compose = write(dir.resolve("docker-compose.yml"), composeText);
        Path env = write(dir.resolve(".env"), "PORTAL_VERSION=8080\n");
        VersionSetter setter = judgedByCompose();
        BadInputException e = assertThrows(BadInputException.class,
                () -> setter.apply(compose, versions("portal", "2.1.0")));
        ComposeValidator cli = ComposeValidator.detect();
        assertTrue(e.getMessage().contains(cli.name() + " (version " + cli.version() + ") rejected the edited file,"
                + " so the original was restored: "), e.getMessage());
        assertTrue(e.getMessage().contains("ports"), e.getMessage());
        assertBytes(composeText, compose);
        assertBytes("PORTAL_VERSION=8080\n", env);
    }

    @Test
    void anEditThatAddsAComplaintToAnAlreadyRejectedFileIsUndone() {
        String composeText = """
                name: acme
                services:
                  web:
                    image: registry.example.org/fhir/portal:${PORTAL_VERSION}
                    ports: ["${PORTAL_VERSION}:80"]
                """;
        Path compose = write(dir.resolve("docker-compose.yml"), composeText);
        Path env = write(dir.resolve(".env"), "PORTAL_VERSION=8080\n");
        VersionSetter setter = judgedByCompose();
        BadInputException e = assertThrows(BadInputException.class,
                () -> setter.apply(compose, versions("portal", "2.1.0")));
        assertTrue(e.getMessage().contains("about the original it already said: "), e.getMessage());
        assertBytes(composeText, compose);
        assertBytes("PORTAL_VERSION=8080\n", env);
    }

    @Test
    void onlyLinesTheOriginalDidNotHaveCountAsNewComplaints() {
        assertEquals(java.util.List.of(), VersionSetter.newComplaints("a\n  b\n", "b\na\n\n"));
        assertEquals(java.util.List.of("c"), VersionSetter.newComplaints("a\nb", "a\nc"));
        assertEquals(java.util.List.of("x"), VersionSetter.newComplaints("", "x"));
    }
}
