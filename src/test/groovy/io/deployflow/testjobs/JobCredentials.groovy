package io.deployflow.testjobs

import java.security.SecureRandom

/**
 * The Jenkins credentials store an automated run offers its jobs. Values look like the real thing (a GitHub token
 * shape, a Portainer key shape, long random passwords) and are new for every run, so a leak check cannot pass by
 * looking for a marker word, and no fixture can contain them by accident. A peer replaces an entry with the value
 * its server really accepts (e.g. the sshd peer's client key).
 */
class JobCredentials {
    private static final SecureRandom RANDOM = new SecureRandom()

    /** One credential: type is usernamePassword, string (secret text), sshUserPrivateKey or file. */
    static final class Entry {
        final String id
        final String type
        final String username
        /** The password, the secret text, the private key or the file's content. */
        final String secret

        Entry(String id, String type, String username, String secret) {
            this.id = id
            this.type = type
            this.username = username
            this.secret = secret
        }
    }

    private final Map<String, Entry> entries = [:]

    static JobCredentials realistic() {
        JobCredentials store = new JobCredentials()
        store.put(new Entry('git-https', 'usernamePassword', 'deployflow-ci', token('', 28)))
        store.put(new Entry('customer-git', 'usernamePassword', 'release-bot', token('', 28)))
        store.put(new Entry('registry-creds', 'usernamePassword', 'robot-deployflow', token('', 32)))
        store.put(new Entry('github-token', 'string', null, token('ghp_', 36)))
        store.put(new Entry('portainer-api-key', 'string', null, token('ptr_', 43)))
        store.put(new Entry('portainer-login', 'usernamePassword', 'admin', token('', 24)))
        return store
    }

    /** A random token: letters and digits only, so it survives any quoting and no shell mangles it. */
    static String token(String prefix, int length) {
        String alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
        StringBuilder out = new StringBuilder(prefix)
        length.times { out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length()))) }
        return out.toString()
    }

    void put(Entry entry) {
        entries[entry.id] = entry
    }

    Entry get(String id) {
        Entry entry = entries[id]
        if (entry == null) {
            throw new HarnessStop("credentials '${id}' are not in the harness's store (it has ${entries.keySet()}); " +
                    'a peer that needs them must add them')
        }
        return entry
    }

    /**
     * The strings a leak check looks for: each password, token and file; for a private key, each line of its
     * body, so a copy with other line breaks or a partial copy is still found.
     */
    List<String> secrets() {
        return entries.values().collectMany { Entry e ->
            e.type == 'sshUserPrivateKey' ? e.secret.readLines().findAll { !it.startsWith('-----') && it.length() >= 20 }
                    : [e.secret]
        }
    }
}
