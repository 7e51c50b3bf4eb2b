package io.deployflow.testjobs

import io.deployflow.portainer.PortainerFakePeer
import io.deployflow.testpeers.PodmanPeer
import io.deployflow.testpeers.RegistryPeer

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/**
 * The real peers an automated run starts for a job's {@code // needs:}, and what each hands the job. A job reads
 * a peer's address from a parameter it declares, whose default is what a person's agent has (127.0.0.1:5000 for
 * the registry), or from the agent's environment, as a person's agent would set it (DOCKER_HOST):
 * <ul>
 *   <li>{@code registry}: Debian's docker-registry on a free port behind htpasswd basic auth with the
 *       credentials {@code registry-creds} (username/password) → parameter {@code REGISTRY} (host:port). A job
 *       pushes and reads with those credentials (an open registry of a person's agent simply ignores them);</li>
 *   <li>{@code docker}: podman's Docker-compatible service (+ docker-compose and podman on the agent) →
 *       environment {@code DOCKER_HOST}, {@code CONTAINERS_CONF}, {@code CONTAINERS_REGISTRIES_CONF}; with
 *       {@code registry} too, the engine pulls from that registry over plain http;</li>
 *   <li>{@code portainer-fake}: Portainer has no runnable build here, so the stateful Portainer fake of the
 *       portainer tests ({@link PortainerFakePeer}: one environment named {@code local}, no stacks) → parameter
 *       {@code PORTAINER_URL}; the credentials {@code portainer-api-key} hold the one key it accepts.</li>
 * </ul>
 * Besides, every parameter whose name ends in {@code _PORT} gets a port that is free now, so jobs that start
 * their own servers can run beside other builds. A need not listed here cannot be met by this harness.
 */
final class JobPeers implements AutoCloseable {
    static final Map<String, String> OFFERS = [
            registry: 'parameter REGISTRY = host:port of a docker-registry that wants the credentials registry-creds',
            docker  : 'environment DOCKER_HOST (+ CONTAINERS_CONF, CONTAINERS_REGISTRIES_CONF) of podman\'s ' +
                    'Docker-compatible service; podman and docker-compose on PATH',
            'portainer-fake': 'parameter PORTAINER_URL of a Portainer fake (environment "local", no stacks) that ' +
                    'accepts the credentials portainer-api-key',
    ].asImmutable()

    final Map<String, String> params = [:]
    final Map<String, String> env = [:]
    private final List<AutoCloseable> started = []

    private JobPeers() {
    }

    static List<String> unmet(List<String> needs) {
        return needs.findAll { !OFFERS.containsKey(it) }
    }

    /** Starts every need (all of them must be met: see {@link #unmet}); a peer that cannot start fails loudly. */
    static JobPeers start(List<String> needs, Path dir, JobCredentials credentials) {
        JobPeers peers = new JobPeers()
        try {
            RegistryPeer registry = null
            if ('registry' in needs) {
                registry = RegistryPeer.start(dir.resolve('registry'), htpasswdAuth(dir.resolve('registry'),
                        credentials.get('registry-creds')))
                peers.started.add(registry)
                peers.params.REGISTRY = registry.hostPort()
            }
            if ('portainer-fake' in needs) {
                PortainerFakePeer portainer = PortainerFakePeer.start()
                peers.started.add(portainer)
                peers.params.PORTAINER_URL = portainer.url()
                credentials.put(new JobCredentials.Entry('portainer-api-key', 'string', null, portainer.apiKey()))
            }
            if ('docker' in needs) {
                PodmanPeer podman = PodmanPeer.shared()
                if (registry != null) {
                    podman.trustInsecureRegistry(registry.hostPort())
                }
                peers.env.putAll(podman.environment())
            }
            return peers
        } catch (Throwable t) {
            peers.close()
            throw t
        }
    }

    /** The registry's auth: section for one user, hashed with bcrypt by htpasswd (apache2-utils). */
    private static String htpasswdAuth(Path dir, JobCredentials.Entry user) {
        Files.createDirectories(dir)
        Process p = new ProcessBuilder('htpasswd', '-niB', user.username).redirectErrorStream(false).start()
        p.outputStream.withCloseable { it.write((user.secret + '\n').getBytes(StandardCharsets.UTF_8)) }
        String line = new String(p.inputStream.readAllBytes(), StandardCharsets.UTF_8).trim()
        if (p.waitFor() != 0 || !line.startsWith(user.username + ':')) {
            throw new IllegalStateException('htpasswd (apache2-utils, .ci/install-peers.sh) failed: ' +
                    new String(p.errorStream.readAllBytes(), StandardCharsets.UTF_8))
        }
        Path file = dir.resolve('htpasswd')
        Files.writeString(file, line + '\n')
        return "  htpasswd:\n    realm: deployflow-test-jobs\n    path: ${file}\n"
    }

    @Override
    void close() {
        started.reverse().each { it.close() }
    }
}
