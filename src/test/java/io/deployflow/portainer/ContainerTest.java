package io.deployflow.portainer;

import io.deployflow.core.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerTest {
    @Test
    void readsHealthFromTheStatusTextOfOlderEngines() throws Exception {
        Container c = Container.from(Json.mapper().readTree("""
                {"Names":["/acme-gateway-1"],"Image":"gw:1","State":"running","Status":"Up 3 minutes (unhealthy)",
                 "Labels":{"com.docker.compose.project":"acme","com.docker.compose.service":"gateway"}}"""));

        assertEquals("gateway", c.service());
        assertTrue(c.unhealthy());
        assertFalse(c.ready());
    }

    @Test
    void namesASwarmTaskByItsServiceWithinTheStack() throws Exception {
        Container c = Container.from(Json.mapper().readTree("""
                {"Names":["/acme_gateway.1.xyz"],"Image":"gw:1","State":"running","Status":"Up 3 minutes",
                 "Health":{"Status":"healthy"},
                 "Labels":{"com.docker.stack.namespace":"acme","com.docker.swarm.service.name":"acme_gateway"}}"""));

        assertEquals("gateway", c.service());
        assertTrue(c.ready());
    }

    @Test
    void aOneShotContainerThatExitedCleanlyIsDone() throws Exception {
        Container ok = Container.from(Json.mapper().readTree(
                "{\"Names\":[\"/m\"],\"Image\":\"m:1\",\"State\":\"exited\",\"Status\":\"Exited (0) 5 seconds ago\"}"));
        Container crashed = Container.from(Json.mapper().readTree(
                "{\"Names\":[\"/m\"],\"Image\":\"m:1\",\"State\":\"exited\",\"Status\":\"Exited (1) 5 seconds ago\"}"));

        assertTrue(ok.ready());
        assertFalse(crashed.ready());
    }
}
