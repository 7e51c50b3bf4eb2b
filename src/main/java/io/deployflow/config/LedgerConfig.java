package io.deployflow.config;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code ledger} section: where the team's record of approvals, decisions, deployments, rollbacks and
 * deliveries lives. With {@code repo}, a git repository the CLI commits to and pushes; without it, the directory
 * {@code dir} on this machine.
 *
 * @param repo   the git repository (any git URL or path), or null for a local ledger
 * @param branch the branch the ledger is committed to
 * @param path   the ledger file inside the repository (or inside {@code dir}); records live beside it
 * @param dir    the local ledger directory, used when there is no repo; relative paths are relative to the config
 */
public record LedgerConfig(String repo, String branch, String path, Path dir) {
    static final List<String> KEYS = List.of("repo", "branch", "path", "dir");
    public static final String DEFAULT_PATH = "ledger.jsonl";
    private static final Pattern RELATIVE = Pattern.compile("(?!/)(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._/-]+");
    private static final Pattern BRANCH = Pattern.compile("(?!-)(?!.*\\.\\.)[A-Za-z0-9._/-]+");

    static LedgerConfig defaults(Path configFile) {
        return new LedgerConfig(null, "main", DEFAULT_PATH, localDir(configFile, ".deployflow/ledger"));
    }

    static LedgerConfig from(YamlNode node, Path configFile) {
        node.allowOnly(KEYS);
        String repo = node.string("repo", null);
        return new LedgerConfig(repo == null ? null : resolve(repo, configFile),
                node.matching("branch", "main", BRANCH, "a branch name"),
                node.matching("path", DEFAULT_PATH, RELATIVE, "a relative path inside the repository, without .."),
                localDir(configFile, node.string("dir", ".deployflow/ledger")));
    }

    /**
     * A repository as written: a URL, an scp-like {@code user@host:path}, or a path relative to the config file.
     * The same rule as the repository cache's, kept here so that reading a config loads no git classes.
     */
    private static String resolve(String repo, Path configFile) {
        if (repo.contains("://") || repo.matches("[^/]+@[^/:]+:.*") || Path.of(repo).isAbsolute()) {
            return repo;
        }
        return configFile.toAbsolutePath().getParent().resolve(repo).normalize().toString();
    }

    private static Path localDir(Path configFile, String dir) {
        Path base = configFile.toAbsolutePath().getParent();
        return base.resolve(dir).normalize();
    }

    public boolean inGit() {
        return repo != null;
    }
}
