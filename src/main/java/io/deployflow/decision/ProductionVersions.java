package io.deployflow.decision;

import io.deployflow.compose.VersionSetter;
import io.deployflow.config.Customer;
import io.deployflow.core.BadInputException;
import io.deployflow.git.RepoCache;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The versions a customer runs in production, which "release everything but the component" goes back to. The
 * customer repository's main branch holds what was last delivered (S0 "Delivery" merges into main and releases
 * from it), so that is the source; a compose file given by hand can stand in for it.
 */
public interface ProductionVersions {
    /** Component name to its production version. */
    Map<String, String> of(Customer customer);

    /** A compose file (and the .env beside it) that is known to be what production runs. */
    static ProductionVersions fromFile(Path composeFile, VersionSetter setter) {
        return customer -> setter.currentVersions(composeFile);
    }

    /** The compose file and .env at the tip of the customer repository's main branch, through the repo cache. */
    static ProductionVersions fromRepository(RepoCache cache, VersionSetter setter) {
        return customer -> {
            Path tmp = null;
            try (Repository repo = cache.open(customer.repo())) {
                ObjectId tip = repo.resolve("refs/heads/" + customer.mainBranch());
                if (tip == null) {
                    throw new BadInputException(null, 0, "customers." + customer.name() + ".mainBranch", "branch '"
                            + customer.mainBranch() + "' does not exist in " + RepoCache.redact(customer.repo()));
                }
                RevCommit commit;
                try (RevWalk walk = new RevWalk(repo)) {
                    commit = walk.parseCommit(tip);
                }
                String composePath = customer.composeFile().replace('\\', '/').replaceFirst("^\\./", "");
                int slash = composePath.lastIndexOf('/');
                String envPath = (slash < 0 ? "" : composePath.substring(0, slash + 1)) + ".env";
                tmp = Files.createTempDirectory("deployflow-production");
                Path compose = tmp.resolve("docker-compose.yml");
                if (!copy(repo, commit, composePath, compose)) {
                    throw new BadInputException(null, 0, "customers." + customer.name() + ".composeFile", "'"
                            + composePath + "' is not on " + customer.mainBranch() + " of "
                            + RepoCache.redact(customer.repo()) + " (commit " + commit.getName() + ")");
                }
                copy(repo, commit, envPath, tmp.resolve(".env"));
                return setter.currentVersions(compose);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RepoCache.redact(customer.repo()), e);
            } finally {
                deleteQuietly(tmp);
            }
        };
    }

    private static boolean copy(Repository repo, RevCommit commit, String path, Path target) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
            if (walk == null) {
                return false;
            }
            Files.write(target, repo.open(walk.getObjectId(0)).getBytes());
            return true;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover temp directory is harmless; the decision itself must not fail over it
        }
    }
}
