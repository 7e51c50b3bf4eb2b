package io.deployflow.portainer;

/**
 * Whether a container runs the image a compose file names. Docker lists a container's image as it was given when
 * the container was made, so the two spellings differ in known ways:
 * <ul>
 *   <li>swarm services deployed with image resolution (Portainer's default: {@code docker stack deploy} without
 *   {@code --resolve-image=never}, api/exec/swarm_stack.go, Deploy) run {@code repo:tag@sha256:...} for a file
 *   that says {@code repo:tag};</li>
 *   <li>a file may pin {@code repo:tag@sha256:...} itself; then the digest has to be the one running;</li>
 *   <li>Docker Hub names may be written with or without {@code docker.io/} and {@code library/};</li>
 *   <li>a container whose image was re-tagged since is listed by image id ({@code sha256:...}) and cannot be
 *   compared: readiness alone has to do for it.</li>
 * </ul>
 */
final class RunningImage {
    private RunningImage() {
    }

    static boolean matches(String wanted, String running) {
        if (running.startsWith("sha256:")) {
            return true;
        }
        Reference w = Reference.parse(wanted);
        Reference r = Reference.parse(running);
        if (!w.name.equals(r.name)) {
            return false;
        }
        if (w.digest != null) {
            return w.digest.equals(r.digest) && (w.tag == null || r.tag == null || w.tag.equals(r.tag));
        }
        return w.tag.equals(r.tag == null ? "latest" : r.tag);
    }

    private record Reference(String name, String tag, String digest) {
        static Reference parse(String image) {
            String rest = image.strip();
            String digest = null;
            int at = rest.indexOf('@');
            if (at >= 0) {
                digest = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            String name = rest.replaceFirst("^(docker\\.io|index\\.docker\\.io|registry-1\\.docker\\.io)/", "")
                    .replaceFirst("^library/", "");
            return new Reference(name, tag == null && digest == null ? "latest" : tag, digest);
        }
    }
}
