package io.deployflow.ledger;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.LedgerConfig;
import io.deployflow.config.NotifyConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Json;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.core.SecretValues;
import io.deployflow.core.Sha256;
import io.deployflow.git.RepoCache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The team's ledger: an append-only, hash-chained record of every approval answer, decision, deployment, rollback
 * and delivery, one JSON line each (see {@link LedgerEntry}), kept in the git repository of {@code ledger.repo}
 * or, without one, in {@code ledger.dir}. Other records live beside it in the same repository (a rollback point,
 * a root-cause analysis), written with {@link #writeRecord}, which also chains a {@code record} entry naming the
 * file and its SHA-256, so a later change to a record shows in the ledger.
 * <p>
 * Every entry gets the time, the user who started the build ({@code DEPLOYFLOW_USER}, set by the library) and the
 * build's URL. No secret value is ever written: see {@link SecretValues}.
 */
public final class Ledger {
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern RECORD_PATH = Pattern.compile("(?!/)(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._/-]+");

    private final LedgerStore store;
    private final String path;
    private final Map<String, String> env;
    private final SecretValues scrubber;
    private final Clock clock;

    Ledger(LedgerStore store, String path, Map<String, String> env, SecretValues scrubber, Clock clock) {
        this.store = store;
        this.path = path;
        this.env = env;
        this.scrubber = scrubber;
        this.clock = clock;
    }

    /** The ledger of this config, with this process's environment. */
    public static Ledger open(DeployflowConfig config) {
        return open(config, System.getenv(), defaultCacheDir());
    }

    /**
     * @param env      where the user, the build and the secrets to keep out come from
     * @param cacheDir where a git ledger's clone is kept ({@link #defaultCacheDir()} in production)
     */
    public static Ledger open(DeployflowConfig config, Map<String, String> env, Path cacheDir) {
        LedgerConfig settings = config.ledger();
        LedgerStore store = settings.inGit() ? new GitLedgerStore(settings.repo(), settings.branch(), cacheDir, env)
                : new LocalLedgerStore(settings.dir());
        List<String> secretVariables = config.notifications().webhooks().stream().map(NotifyConfig.Webhook::urlEnv).toList();
        return new Ledger(store, settings.path(), env, new SecretValues(env, config.secrets(), secretVariables),
                Clock.systemUTC());
    }

    /** Next to the repository cache: {@code ~/.cache/deployflow/ledger}. */
    public static Path defaultCacheDir() {
        return RepoCache.defaultDir().resolveSibling("ledger");
    }

    /** Where the ledger is, for messages. */
    public String where() {
        return store.describe() + ": " + path;
    }

    /**
     * Appends one entry and returns it sealed. {@code data} is any JSON-like map (records and lists are turned into
     * JSON); secret values in it are masked ({@link SecretValues}). Throws {@link OutsideSystemException} when the ledger repository could
     * not be reached or kept refusing the push (the entry is then not written).
     */
    public LedgerEntry append(String type, Map<String, ?> data) {
        return appendComputed(type, entries -> data);
    }

    /**
     * Appends one entry whose data is computed from the entries already there, as they are at the moment of
     * writing: when another writer got there first, {@code dataFor} is called again with theirs included. This is
     * how an approval counts against every earlier answer of its gate, however many agents answer at once.
     */
    public LedgerEntry appendComputed(String type, Function<List<LedgerEntry>, Map<String, ?>> dataFor) {
        requireType(type);
        Path spool = store.spoolFile();
        return store.update(new LedgerStore.Change<>() {
            @Override
            public LedgerStore.Outcome<LedgerEntry> apply(Function<String, String> current) {
                Chain chain = new Chain(current.apply(path), spool);
                LedgerEntry entry = chain.add(unsealed(type, dataFor.apply(List.copyOf(chain.entries))));
                return new LedgerStore.Outcome<>(Map.of(path, chain.text()), message(entry), entry);
            }

            @Override
            public void committed() {
                clearWaiting(spool);
            }
        });
    }

    /**
     * For commands that record what they already did (a deploy, a delivery): appends the entry, and when the
     * ledger repository cannot be reached, keeps it on this machine to be written first by the next append here,
     * instead of failing a command whose work is done. Never throws; says on stderr what happened.
     */
    public void keep(String type, Map<String, ?> data) {
        try {
            LedgerEntry entry = append(type, data);
            Progress.line("ledger: " + type + " recorded as entry " + entry.seq() + " in " + where());
        } catch (OutsideSystemException | BadInputException e) {
            Path spool = store.spoolFile();
            if (spool == null || e instanceof BadInputException) {
                Progress.line("warning: the ledger could not record this " + type + ": " + e.getMessage());
                return;
            }
            try {
                String line = LedgerEntry.compact(unsealed(type, data).asMap());
                store.underLock(() -> appendLine(spool, line));
                Progress.line("warning: the ledger at " + where() + " could not be reached (" + e.getMessage()
                        + "); this " + type + " waits in " + spool + " and is written with the next ledger entry"
                        + " from this machine");
            } catch (RuntimeException spoolFailed) {
                Progress.line("warning: the ledger could not record this " + type + ": " + e.getMessage()
                        + "; keeping it locally failed too: " + spoolFailed.getMessage());
            }
        }
    }

    /**
     * The named fields of a command's result (a map, a record or a result object), those that are set, for a
     * ledger entry: commands record what matters for the history, not their whole --json.
     */
    public static Map<String, Object> fields(Object result, String... names) {
        @SuppressWarnings("unchecked")
        Map<String, Object> all = Json.mapper().convertValue(result, LinkedHashMap.class);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : names) {
            if (all.get(name) != null) {
                out.put(name, all.get(name));
            }
        }
        return out;
    }

    /**
     * Writes a record file beside the ledger (a path relative to the ledger repository, such as
     * {@code portainer/acme/rollback.json}) and chains a {@code record} entry with its SHA-256, in one change.
     * Returns that entry. Secret values in the content are masked like the ledger's.
     */
    public LedgerEntry writeRecord(String recordPath, String content, String summary) {
        requireRecordPath(recordPath);
        String text = scrubber.text(content);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", recordPath);
        data.put("sha256", Sha256.hex(text));
        data.put("summary", summary == null ? "" : summary);
        Path spool = store.spoolFile();
        return store.update(new LedgerStore.Change<>() {
            @Override
            public LedgerStore.Outcome<LedgerEntry> apply(Function<String, String> current) {
                Chain chain = new Chain(current.apply(path), spool);
                LedgerEntry entry = chain.add(unsealed("record", data));
                Map<String, String> files = new LinkedHashMap<>();
                files.put(recordPath, text);
                files.put(path, chain.text());
                return new LedgerStore.Outcome<>(files, message(entry) + " " + recordPath, entry);
            }

            @Override
            public void committed() {
                clearWaiting(spool);
            }
        });
    }

    /** A record file's current content, if it exists. */
    public Optional<String> readRecord(String recordPath) {
        requireRecordPath(recordPath);
        return Optional.ofNullable(store.read(recordPath));
    }

    /** Every entry, oldest first (lines that are not entries are left out; {@link #verify()} names them). */
    public List<LedgerEntry> entries() {
        return LedgerEntry.parseAll(store.read(path));
    }

    /** Checks the chain, and in a git ledger that no commit ever changed what an earlier one wrote. */
    public LedgerVerifier.Report verify() {
        return LedgerVerifier.verify(path, store.read(path), store.history(path));
    }

    private void requireType(String type) {
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("ledger entry type must be lowercase letters, digits, '-': " + type);
        }
    }

    private void requireRecordPath(String recordPath) {
        if (!RECORD_PATH.matcher(recordPath).matches() || recordPath.equals(path)) {
            throw new BadInputException(null, 0, "record path", "'" + recordPath + "' is not a relative path inside"
                    + " the ledger repository (no '..', not the ledger file " + path + ")");
        }
    }

    private Unsealed unsealed(String type, Map<String, ?> data) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = data == null ? new LinkedHashMap<>()
                : Json.mapper().convertValue(data, LinkedHashMap.class);
        String user = env.getOrDefault("DEPLOYFLOW_USER", "");
        if (user.isBlank()) {
            user = env.getOrDefault("USER", "");
        }
        return new Unsealed(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)),
                type, scrubber.text(user), scrubber.text(env.getOrDefault("BUILD_URL", "")), scrubber.map(json));
    }

    private static String message(LedgerEntry entry) {
        return "ledger #" + entry.seq() + ": " + entry.type() + (entry.user().isEmpty() ? "" : " (" + entry.user()
                + ")");
    }

    /** The ledger text as read, with the entries waiting on this machine and the new ones chained after it. */
    private static final class Chain {
        final List<LedgerEntry> entries;
        private final String before;
        private final StringBuilder added = new StringBuilder();
        private LedgerEntry last;

        Chain(String text, Path spool) {
            entries = LedgerEntry.parseAll(text);
            last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
            before = text == null ? "" : text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
            for (Unsealed waiting : waiting(spool)) {
                add(waiting);
            }
        }

        LedgerEntry add(Unsealed entry) {
            last = LedgerEntry.seal(last, entry.time, entry.type, entry.user, entry.build, entry.data);
            entries.add(last);
            added.append(last.toLine()).append('\n');
            return last;
        }

        String text() {
            return before + added;
        }
    }

    /** An entry kept on this machine while the ledger repository was unreachable: no seq, prev or hash yet. */
    private record Unsealed(String time, String type, String user, String build, Map<String, Object> data) {
        Map<String, Object> asMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("time", time);
            out.put("type", type);
            out.put("user", user);
            out.put("build", build);
            out.put("data", data);
            return out;
        }
    }

    private static List<Unsealed> waiting(Path spool) {
        List<Unsealed> out = new ArrayList<>();
        if (spool == null || !Files.isRegularFile(spool)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(spool, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                var node = Json.mapper().readTree(line);
                @SuppressWarnings("unchecked")
                Map<String, Object> data = Json.mapper().convertValue(node.get("data"), LinkedHashMap.class);
                out.add(new Unsealed(node.path("time").asText(), node.path("type").asText(),
                        node.path("user").asText(), node.path("build").asText(), data));
            }
        } catch (IOException e) {
            throw new OutsideSystemException("ledger", "cannot read the entries waiting in " + spool + ": " + e, e);
        }
        return out;
    }

    private static void clearWaiting(Path spool) {
        try {
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
        } catch (IOException e) {
            throw new OutsideSystemException("ledger", "written, but cannot clear " + spool + ": " + e, e);
        }
    }

    private static void appendLine(Path spool, String line) {
        try {
            Files.createDirectories(spool.getParent());
            Files.writeString(spool, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new OutsideSystemException("ledger", "cannot write " + spool + ": " + e, e);
        }
    }
}
