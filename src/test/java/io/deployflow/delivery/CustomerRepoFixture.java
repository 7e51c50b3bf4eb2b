package io.deployflow.delivery;

import io.deployflow.testpeers.GitDaemonPeer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.RefSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real customer repository for delivery tests: a bare repository served by {@code git daemon} (push enabled),
 * seeded with main and develop, a README with hand-written text, a compose file and a v1.0.0 tag.
 */
public final class CustomerRepoFixture implements AutoCloseable {
    static final String NAME = "acme/acme-stack.git";
    static final PersonIdent SEEDER = new PersonIdent("Seeder", "seeder@example.org");

    static final String README = """
            # ACME FHIR stack

            Hand-written introduction: this repository holds ACME's example stack. Keep me.

            ## Versions

            <!-- deployflow:versions -->
            | old | table |
            <!-- /deployflow:versions -->

            ## Support

            Hand-written support text, also kept.
            """;

    static final String COMPOSE_DELIVERED = """
            services:
              gateway:
                image: registry.example.org/fhir/fhir-gateway:1.2.0
                ports: ["8080:8080"]
                environment:
                  LOG_LEVEL: ${LOG_LEVEL:-info}
              terminology:
                image: registry.example.org/fhir/terminology:${TERMINOLOGY_VERSION}
              db:
                image: postgres:16
            """;

    static final String ENV_DELIVERED = "TERMINOLOGY_VERSION=2.0.0\nLOG_LEVEL=info\n";

    final Path dir;
    final GitDaemonPeer daemon;
    final Path bare;
    private final Path seed;

    private CustomerRepoFixture(Path dir, GitDaemonPeer daemon) {
        this.dir = dir;
        this.daemon = daemon;
        this.bare = daemon.base().resolve(NAME);
        this.seed = dir.resolve("seed");
    }

    public static CustomerRepoFixture start(Path dir) throws Exception {
        Path base = dir.resolve("gitroot");
        Files.createDirectories(base);
        CustomerRepoFixture fixture = new CustomerRepoFixture(dir, GitDaemonPeer.start(base));
        fixture.seed();
        return fixture;
    }

    public String url() {
        return daemon.url(NAME);
    }

    private void seed() throws Exception {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
        try (Git git = Git.init().setInitialBranch("main").setDirectory(seed.toFile()).call()) {
            Files.writeString(seed.resolve("README.md"), README);
            Files.writeString(seed.resolve("docker-compose.yml"), COMPOSE_DELIVERED);
            Files.writeString(seed.resolve(".env"), ENV_DELIVERED);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Initial example stack").setAuthor(SEEDER).setCommitter(SEEDER).setSign(false)
                    .call();
            git.tag().setName("v1.0.0").setAnnotated(true).setMessage("first delivery").setTagger(SEEDER)
                    .setSigned(false).call();
            git.branchCreate().setName("develop").call();
            git.push().setRemote(bare.toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"),
                    new RefSpec("refs/heads/develop:refs/heads/develop"),
                    new RefSpec("refs/tags/v1.0.0:refs/tags/v1.0.0")).call();
        }
    }

    /** Commits a file change on a branch of the remote (creating the branch from {@code from} if needed). */
    void commitOnRemote(String branch, String from, String path, String content, String message) throws Exception {
        try (Git git = Git.open(seed.toFile())) {
            git.fetch().setRemote(bare.toString()).setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/seed/*"))
                    .call();
            boolean exists = git.getRepository().exactRef("refs/remotes/seed/" + branch) != null;
            git.checkout().setName("work-" + branch).setCreateBranch(true).setForceRefUpdate(true)
                    .setStartPoint("refs/remotes/seed/" + (exists ? branch : from)).setForced(true).call();
            Files.writeString(seed.resolve(path), content);
            git.add().addFilepattern(path).call();
            git.commit().setMessage(message).setAuthor(SEEDER).setCommitter(SEEDER).setSign(false).call();
            git.push().setRemote(bare.toString())
                    .setRefSpecs(new RefSpec("refs/heads/work-" + branch + ":refs/heads/" + branch)).call();
        }
    }

    /**
     * Adds a long history on a side branch, written straight into the bare repository: each commit adds a file of
     * random (incompressible) bytes, so a clone has real work to do.
     */
    public void addHistory(String branch, int commits, int bytesPerCommit) throws IOException {
        java.util.Random random = new java.util.Random(42);
        try (Git git = Git.open(bare.toFile()); ObjectInserter inserter = git.getRepository().newObjectInserter()) {
            ObjectId parent = null;
            for (int i = 0; i < commits; i++) {
                byte[] data = new byte[bytesPerCommit];
                random.nextBytes(data);
                TreeFormatter tree = new TreeFormatter();
                tree.append("data-" + i + ".bin", FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, data));
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(inserter.insert(tree));
                if (parent != null) {
                    commit.setParentId(parent);
                }
                commit.setAuthor(SEEDER);
                commit.setCommitter(SEEDER);
                commit.setMessage("history " + i);
                parent = inserter.insert(commit);
            }
            inserter.flush();
            RefUpdate update = git.getRepository().updateRef(Constants.R_HEADS + branch);
            update.setNewObjectId(parent);
            update.update();
        }
    }

    /** Every ref on the remote with its object id, read from the bare repository itself. */
    public Map<String, String> remoteRefs() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Git git = Git.open(bare.toFile())) {
            for (Ref ref : git.getRepository().getRefDatabase().getRefs()) {
                if (!ref.getName().equals(Constants.HEAD)) {
                    out.put(ref.getName(), ref.getObjectId().name());
                }
            }
        }
        return out;
    }

    /** A new clone over git://, to see what anyone fetching the customer repository sees. */
    Git freshClone(String name) throws Exception {
        return Git.cloneRepository().setURI(url()).setDirectory(dir.resolve(name).toFile()).call();
    }

    /** A pre-receive hook, run by git daemon's receive-pack, that refuses any update of main. */
    void protectMain() throws IOException {
        Path hook = bare.resolve("hooks/pre-receive");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, """
                #!/bin/sh
                while read old new ref; do
                  if [ "$ref" = "refs/heads/main" ]; then
                    echo "main is protected: changes need a reviewed pull request" >&2
                    exit 1
                  fi
                done
                exit 0
                """);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    public void close() {
        daemon.close();
    }
}
