package io.deployflow.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for secret values wherever a run could have put them: texts (console, descriptions, recorded calls) and
 * every file under some directories, read as bytes, plus every object of every git repository found there
 * (git compresses its objects, so a secret committed to a fixture repository is invisible to a plain byte scan).
 * File names are checked too. A finding names the place and the secret only by its first characters.
 */
public final class LeakScan {
    /** Shorter values would match by chance; a test that binds one must choose a real-looking value instead. */
    public static final int MIN_SECRET_LENGTH = 8;

    private final List<String> secrets;

    public LeakScan(Collection<String> secrets) {
        this.secrets = new ArrayList<>();
        for (String secret : secrets) {
            if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("a leak check needs secrets of at least " + MIN_SECRET_LENGTH
                        + " characters, got '" + secret + "'");
            }
            this.secrets.add(secret);
        }
    }

    /** @param texts where → text */
    public List<String> inTexts(Map<String, String> texts) {
        List<String> found = new ArrayList<>();
        texts.forEach((where, text) -> find(text, where, found));
        return found;
    }

    /** Every file under each root (missing roots are fine), and every object of the git repositories among them. */
    public List<String> inFiles(Path... roots) {
        List<String> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.toList()) {
                    find(p.toString(), "the file name " + p, found);
                    if (Files.isRegularFile(p)) {
                        // ISO-8859-1 maps every byte to one char: binary files are scanned too
                        find(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1), p.toString(), found);
                    } else if (Files.isDirectory(p) && isGitDir(p)) {
                        find(gitObjects(p), "the git objects of " + p, found);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private void find(String text, String where, List<String> found) {
        for (String secret : secrets) {
            if (text != null && text.contains(secret)) {
                found.add("secret '" + secret.substring(0, 4) + "…' in " + where);
            }
        }
    }

    private static boolean isGitDir(Path dir) {
        return Files.isDirectory(dir.resolve("objects")) && Files.isRegularFile(dir.resolve("HEAD"))
                && Files.isDirectory(dir.resolve("refs"));
    }

    /** Every object's content, loose or packed, reachable or not, as git itself reads them. */
    private static String gitObjects(Path gitDir) {
        try {
            Process git = new ProcessBuilder("git", "--git-dir=" + gitDir, "cat-file", "--batch-all-objects",
                    "--batch").redirectErrorStream(true).start();
            git.getOutputStream().close();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (git.waitFor() != 0) {
                throw new IllegalStateException("git cat-file failed in " + gitDir + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
