package io.deployflow.git;

import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.pack.PackConfig;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a second, small pack holding only the commits and annotated tags of a fresh mirror, next to the full pack.
 * JGit searches the newest pack first and loads a pack's whole index on first use; with this pack in front, the
 * release meeting (which reads only commits and tags) never loads the index of the big pack of trees and blobs,
 * which was the largest single cost of scanning a warm mirror. It plays the part git's commit-graph file plays for
 * {@code git log}. Objects appear in both packs, which git allows; later fetches add their own small packs.
 */
final class CommitPack {
    private CommitPack() {
    }

    static void write(Repository repo) throws IOException {
        List<RevObject> objects = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setRetainBody(false);
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
                RevObject target = walk.parseAny(ref.getObjectId());
                while (target instanceof RevTag tag) {
                    objects.add(tag);
                    target = walk.parseAny(tag.getObject());
                }
                if (target instanceof RevCommit commit) {
                    walk.markStart(commit);
                }
            }
            for (RevCommit commit : walk) {
                objects.add(commit);
            }
        }
        if (objects.isEmpty()) {
            return;
        }
        Path packDir = repo.getDirectory().toPath().resolve("objects").resolve("pack");
        Files.createDirectories(packDir);
        Path tmpPack = Files.createTempFile(packDir, "commits-", ".pack.tmp");
        Path tmpIdx = Files.createTempFile(packDir, "commits-", ".idx.tmp");
        try (ObjectReader reader = repo.newObjectReader();
             PackWriter writer = new PackWriter(new PackConfig(repo), reader)) {
            writer.preparePack(objects.iterator());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmpPack))) {
                writer.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, out);
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmpIdx))) {
                writer.writeIndex(out);
            }
            String name = "pack-" + writer.computeName().name();
            for (Path file : List.of(tmpPack, tmpIdx)) {
                file.toFile().setReadable(true, false);
                file.toFile().setWritable(false, false);
            }
            // the pack before its index: git and JGit only see a pack once its .idx exists
            Files.move(tmpPack, packDir.resolve(name + ".pack"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpIdx, packDir.resolve(name + ".idx"), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmpPack);
            Files.deleteIfExists(tmpIdx);
        }
    }
}
