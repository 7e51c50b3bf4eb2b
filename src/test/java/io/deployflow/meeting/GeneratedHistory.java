package io.deployflow.meeting;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A bare repository whose history a test makes at will and at random: commits with chosen parents and times (equal
 * times, and a clock that goes backwards, as on machines with a wrong clock), feature branches merged with and
 * without merge commits, release and pre-release tags (annotated and lightweight), a develop that is force-pushed,
 * tags deleted. Written with JGit's object inserter, so any shape git allows can be made.
 */
final class GeneratedHistory implements AutoCloseable {
    private static final String[] AUTHORS = {"dev1@example.org", "dev2@example.org", "dev3@example.org",
            "outsider@elsewhere.example"};
    private static final String[] KINDS = {"feat(api): add", "fix: repair", "chore: tidy", "docs: explain",
            "refactor: move", "feat!: drop", "perf: speed up"};

    private final Repository repo;
    private final Random random;
    private long clock = 1_780_000_000L;
    private int counter;

    GeneratedHistory(Path dir, long seed) {
        try {
            repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            repo.create(true);
            RefUpdate head = repo.updateRef(Constants.HEAD);
            head.link(Constants.R_HEADS + "develop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        random = new Random(seed);
    }

    Repository repository() {
        return repo;
    }

    ObjectId developTip() {
        return resolve(Constants.R_HEADS + "develop");
    }

    /** One commit; its time is usually a little after the last one, sometimes the same, sometimes earlier. */
    ObjectId commit(List<ObjectId> parents, String message) {
        int roll = random.nextInt(10);
        clock += roll < 6 ? 60 : roll < 8 ? 0 : -3600;
        String email = AUTHORS[random.nextInt(AUTHORS.length)];
        PersonIdent who = new PersonIdent(email.substring(0, email.indexOf('@')), email, clock * 1000, 0);
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            TreeFormatter tree = new TreeFormatter();
            tree.append("file" + (counter++), org.eclipse.jgit.lib.FileMode.REGULAR_FILE,
                    inserter.insert(Constants.OBJ_BLOB, ("content " + counter).getBytes(StandardCharsets.UTF_8)));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(tree));
            commit.setParentIds(parents);
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String message() {
        String kind = KINDS[random.nextInt(KINDS.length)];
        int n = counter;
        String subject = kind + " thing " + n + (random.nextBoolean() ? " (FHIR-" + n + ")" : "");
        return switch (random.nextInt(4)) {
            case 0 -> subject + "\n\nBody of " + n + ", see OPS-" + n + ".\n";
            case 1 -> subject + "\n\nBREAKING CHANGE: the old thing " + n + " is gone\n";
            default -> subject + "\n";
        };
    }

    /**
     * Grows develop by about {@code n} commits: plain commits, and feature branches of a few commits that are
     * merged with a merge commit, or fast-forwarded.
     */
    ObjectId grow(int n) {
        ObjectId tip = developTip();
        for (int i = 0; i < n; ) {
            if (tip != null && random.nextInt(4) == 0) {
                ObjectId side = tip;
                int length = 1 + random.nextInt(4);
                for (int k = 0; k < length; k++) {
                    side = commit(List.of(side), message());
                }
                if (random.nextInt(3) > 0) {
                    // develop moved on meanwhile, then the web UI merges the feature branch
                    tip = commit(List.of(tip), message());
                    tip = commit(List.of(tip, side), "Merge branch 'feature/" + counter + "' into develop\n");
                    i += length + 2;
                } else {
                    tip = side;
                    i += length;
                }
            } else {
                tip = commit(tip == null ? List.of() : List.of(tip), message());
                i++;
            }
        }
        setDevelop(tip);
        return tip;
    }

    /** Moves develop anywhere, as {@code git push --force} does. */
    void setDevelop(ObjectId id) {
        setRef(Constants.R_HEADS + "develop", id);
    }

    /** A commit {@code back} first-parent steps below develop's tip. */
    ObjectId firstParentAncestor(int back) {
        try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
            org.eclipse.jgit.revwalk.RevCommit c = walk.parseCommit(developTip());
            for (int i = 0; i < back && c.getParentCount() > 0; i++) {
                c = walk.parseCommit(c.getParent(0));
            }
            return c.copy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tag on a commit, annotated (as release tooling makes them) or lightweight. */
    void tag(String name, ObjectId commit, boolean annotated) {
        ObjectId target = commit;
        if (annotated) {
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                TagBuilder tag = new TagBuilder();
                tag.setObjectId(commit, Constants.OBJ_COMMIT);
                tag.setTag(name);
                tag.setTagger(new PersonIdent("release", "release@example.org", clock * 1000, 0));
                tag.setMessage("release " + name + "\n");
                target = inserter.insert(tag);
                inserter.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        setRef(Constants.R_TAGS + name, target);
    }

    void deleteTag(String name) {
        try {
            RefUpdate update = repo.updateRef(Constants.R_TAGS + name);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.delete();
            if (result != RefUpdate.Result.FORCED) {
                throw new IllegalStateException("cannot delete tag " + name + ": " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> tags() {
        try {
            List<String> out = new ArrayList<>();
            repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)
                    .forEach(r -> out.add(r.getName().substring(Constants.R_TAGS.length())));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Random random() {
        return random;
    }

    private ObjectId resolve(String ref) {
        try {
            return repo.resolve(ref);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void setRef(String name, ObjectId id) {
        try {
            RefUpdate update = repo.updateRef(name);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.update();
            if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.REJECTED
                    || result == RefUpdate.Result.IO_FAILURE) {
                throw new IllegalStateException("cannot set " + name + ": " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        repo.close();
    }
}
