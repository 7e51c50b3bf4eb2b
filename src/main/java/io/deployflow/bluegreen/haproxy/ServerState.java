package io.deployflow.bluegreen.haproxy;

/**
 * One server line of {@code show servers state}: {@code be_id be_name srv_id srv_name srv_addr srv_op_state
 * srv_admin_state srv_uweight ...}.
 *
 * @param adminState HAProxy's admin flags; any set flag (maintenance, drain) means no new traffic
 * @param weight     the user weight set through the runtime API or the configuration
 */
public record ServerState(String backend, String name, int opState, int adminState, int weight) {
    static ServerState parse(String line) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 8) {
            throw new IllegalArgumentException("not a server state line: " + line);
        }
        return new ServerState(f[1], f[3], Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]));
    }

    /** The weight new requests see: zero while the server is in maintenance or draining. */
    public int effectiveWeight() {
        return adminState != 0 ? 0 : weight;
    }
}
