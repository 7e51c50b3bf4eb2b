package io.deployflow.delivery;

import io.deployflow.compose.EnvFile;
import io.deployflow.compose.StackImages;
import io.deployflow.compose.TestedImages;
import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Progress;
import io.deployflow.release.notes.NotesFormat;
import io.deployflow.release.notes.ReleaseNotes;
import io.deployflow.release.notes.ReleasePlan;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * S0 "Delivery": puts the tested compose file (and .env) into the customer repository on a release branch,
 * updates the README's generated sections, merges the branch into develop and develop into main, tags main and,
 * on GitHub, publishes a release so subscribed customers are notified.
 *
 * <p>Order matters for leaving the remote sane: every input is validated first (exit 2, nothing touched); the
 * release branch is pushed on its own (so a person can resolve a conflict on it); both merges are made locally,
 * and only when both succeed are develop, main and the tag pushed, atomically where the remote allows. Nothing is
 * force-pushed. A second delivery of the same content finds nothing to change and tags nothing new.
 */
public final class Deliverer {
    private final DeliveryRequest request;
    private final DeliveryResult result = new DeliveryResult();

    public Deliverer(DeliveryRequest request) {
        this.request = request;
    }

    /** What happened so far; complete after {@link #deliver()} returns, partial after it throws. */
    public DeliveryResult result() {
        return result;
    }

    public DeliveryResult deliver() {
        DeployflowConfig config = request.config();
        Customer customer = config.customer(request.customer());
        int index = config.customers().indexOf(customer);
        result.customer = customer.name();
        result.repository = CustomerClone.redact(customer.repo());
        String composePath = repoPath(customer.composeFile(), "customers[" + index + "].composeFile");
        String envPath = siblingPath(composePath, ".env");

        DeliveryPlan plan = DeliveryPlan.read(request.plan(), customer.name());
        TestedImages tested = TestedImages.fromPlan(config, request.plan());
        if (request.tested() != null) {
            tested = tested.and(TestedImages.fromRecord(request.tested()));
        }
        // The notes that go out (tag message, GitHub release) come from the plan as delivered, so a component held
        // back after the tests is not announced as released, and the notes say why it was held back.
        String notes = new ReleaseNotes(config).render(ReleasePlan.load(request.plan()), NotesFormat.MARKDOWN,
                request.notesTemplate());
        result.notes = notes;
        String composeText = DeliveryFiles.readText(request.composeFile(), "compose file");
        EnvFile envFile = request.envFile() == null ? null
                : EnvFile.read(request.envFile(), EnvFile.Mode.STRICT);
        ComposeSummary.parse(request.composeFile().toString(), composeText,
                envFile == null ? Map.of() : envFile.values());
        Optional<GitHubReleases.Target> github = GitHubReleases.target(customer.repo(), request.env());
        String token = github.map(t -> GitHubReleases.token(t, request.env())).orElse(null);

        Path cache = request.cacheDir();
        boolean temporary = cache == null;
        try {
            if (temporary) {
                cache = Files.createTempDirectory("deployflow-deliver");
            }
            Path dir = cache.resolve("delivery").resolve(customer.name() + "-"
                    + Integer.toHexString(customer.repo().hashCode()));
            try (CustomerClone clone = CustomerClone.open(dir, customer.repo(), request.env())) {
                Content content = new Content(clone, new CustomerReadme(config, plan, customer.secrets()),
                        composePath, envPath, request.composeFile(), composeText.getBytes(StandardCharsets.UTF_8),
                        envFile);
                new Run(config, customer, index, plan, tested, notes, clone, content, github, token).run();
            } catch (CustomerClone.PushRejected rejected) {
                result.status = "rejected";
                result.message = rejected.getMessage();
                throw rejected;
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("git failed in the working clone: " + e.getMessage(), e);
        } finally {
            if (temporary && cache != null) {
                deleteQuietly(cache);
            }
        }
    }

    /** The delivery proper, against an open clone whose remote refs were just fetched. */
    private final class Run {
        private final DeployflowConfig config;
        private final Customer customer;
        private final int index;
        private final DeliveryPlan plan;
        private final TestedImages tested;
        private final String notes;
        private final CustomerClone clone;
        private final Content content;
        private final Optional<GitHubReleases.Target> github;
        private final String token;
        private final PersonIdent author;
        private final PersonIdent committer;

        Run(DeployflowConfig config, Customer customer, int index, DeliveryPlan plan, TestedImages tested,
            String notes, CustomerClone clone, Content content, Optional<GitHubReleases.Target> github,
            String token) {
            this.config = config;
            this.customer = customer;
            this.index = index;
            this.plan = plan;
            this.tested = tested;
            this.notes = notes;
            this.clone = clone;
            this.content = content;
            this.github = github;
            this.token = token;
            this.author = new PersonIdent(plan.dcPerson().name(), plan.dcPerson().email());
            this.committer = committer(request.env());
        }

        void run() throws IOException, GitAPIException {
            String develop = customer.developBranch();
            String main = customer.mainBranch();
            ObjectId developTip = requireBranch(develop, "developBranch");
            ObjectId mainTip = requireBranch(main, "mainBranch");

            clone.switchTo(develop, developTip);
            List<String> changedOnDevelop = content.apply();
            // What customers would run is the compose file with the .env that goes with it (the tested one, or
            // the repository's when none is delivered); nothing has been committed or pushed yet.
            tested.require(content.images(), "deliver " + customer.name());
            Optional<String> deliveredTag = releaseTagAt(mainTip);
            if (changedOnDevelop.isEmpty() && clone.isAncestor(developTip, mainTip) && deliveredTag.isPresent()) {
                alreadyDelivered(deliveredTag.get(), mainTip);
                return;
            }

            CustomerVersion version = CustomerVersion.next(CustomerVersion.latest(clone.tagNames()),
                    deliveredImages(mainTip), content.summary().tagsByRepository());
            String branch = "release/" + version;
            result.version = version.toString();
            result.branch = branch;
            Progress.line(customer.name() + ": delivering " + version + " on " + branch);

            ObjectId existingBranch = clone.remoteBranch(branch);
            clone.switchTo(branch, existingBranch != null ? existingBranch : developTip);
            List<String> changed = content.apply();
            result.filesChanged.addAll(changed);
            if (!changed.isEmpty()) {
                String message = releaseMessage(version, changed);
                RevCommit commit = clone.commit(message, author, committer);
                result.commits.add(new DeliveryResult.Commit(commit.name(), branch, "release", message));
                Progress.line("committed " + String.join(", ", changed) + " on " + branch);
                clone.push(List.of(Constants.R_HEADS + branch));
                result.pushed.add(branch);
            }
            ObjectId releaseTip = clone.head();

            ObjectId newDevelop = merge(branch, releaseTip, develop, developTip,
                    "Merge " + branch + " into " + develop, false);
            ObjectId newMain = merge(develop, newDevelop, main, mainTip,
                    "Merge " + develop + " into " + main + " for " + customer.name() + " " + version, true);

            // The version is above every tag in the repository, so this tag is new.
            String tagName = version.tagName();
            clone.annotatedTag(tagName, newMain, tagMessage(version), author);
            result.tag = new DeliveryResult.Tag(tagName, newMain.name(), true);
            Progress.line("tagged " + main + " " + newMain.abbreviate(8).name() + " as " + tagName);

            List<String> refs = new ArrayList<>();
            if (!newDevelop.equals(developTip)) {
                refs.add(Constants.R_HEADS + develop);
            }
            if (!newMain.equals(mainTip)) {
                refs.add(Constants.R_HEADS + main);
            }
            refs.add(Constants.R_TAGS + tagName);
            clone.push(refs);
            refs.forEach(r -> result.pushed.add(org.eclipse.jgit.lib.Repository.shortenRefName(r)));
            result.status = "delivered";
            result.message = customer.name() + " " + version + " delivered: " + branch + " merged into " + develop
                    + " and " + main + ", tagged " + tagName;
            publishRelease(tagName, version.toString());
            Progress.line(result.message);
        }

        private void alreadyDelivered(String tagName, ObjectId mainTip) {
            result.status = "unchanged";
            result.version = tagName.substring(CustomerVersion.TAG_PREFIX.length());
            result.tag = new DeliveryResult.Tag(tagName, mainTip.name(), false);
            result.message = customer.name() + ": nothing to change; this content is already delivered as "
                    + tagName + " on " + customer.mainBranch();
            Progress.line(result.message);
            publishRelease(tagName, result.version);
        }

        /**
         * Merges {@code from} into {@code into} locally. The release branch always gets a merge commit into
         * develop, so develop's first-parent history shows one entry per delivery; main fast-forwards to develop
         * when it can, so the tag sits on the very commit develop has, and gets a merge commit only when main
         * has commits of its own (a hotfix).
         */
        private ObjectId merge(String from, ObjectId fromTip, String into, ObjectId intoTip, String message,
                               boolean fastForwardAllowed) throws IOException, GitAPIException {
            if (clone.isAncestor(fromTip, intoTip)) {
                result.merges.add(new DeliveryResult.Merge(from, into, "already-merged", intoTip.name()));
                return intoTip;
            }
            if (fastForwardAllowed && clone.isAncestor(intoTip, fromTip)) {
                clone.switchTo(into, fromTip);
                result.merges.add(new DeliveryResult.Merge(from, into, "fast-forward", fromTip.name()));
                Progress.line("fast-forwarded " + into + " to " + from);
                return fromTip;
            }
            clone.switchTo(into, intoTip);
            try {
                RevCommit merge = clone.mergeNoFastForward(from, fromTip, message, author, committer);
                result.merges.add(new DeliveryResult.Merge(from, into, "merge", merge.name()));
                result.commits.add(new DeliveryResult.Commit(merge.name(), into, "merge", message));
                Progress.line("merged " + from + " into " + into + " (not pushed yet)");
                return merge.getId();
            } catch (CustomerClone.MergeConflict conflict) {
                String pushedNote = result.pushed.isEmpty() ? "Nothing was pushed."
                        : "Only " + String.join(", ", result.pushed) + " was pushed; "
                        + customer.developBranch() + ", " + customer.mainBranch() + " and the tag were not.";
                stop("merging " + from + " into " + into + " conflicts in " + String.join(", ", conflict.files())
                        + ". " + pushedNote + " Resolve it by merging " + into + " into " + from
                        + " in the customer repository, then run deliver again", "conflict");
                return null;
            }
        }

        private void stop(String message, String status) {
            result.status = status;
            result.message = customer.name() + ": " + message;
            throw new DeliveryStoppedException(result.message, result);
        }

        private void publishRelease(String tagName, String version) {
            if (github.isEmpty()) {
                return;
            }
            GitHubReleases.Outcome outcome = GitHubReleases.publish(github.get(), token, tagName,
                    customer.name() + " " + version, notes);
            result.release = new DeliveryResult.Release(outcome.url(), outcome.action());
        }

        private ObjectId requireBranch(String branch, String field) throws IOException {
            ObjectId tip = clone.remoteBranch(branch);
            if (tip == null) {
                throw new BadInputException(config.file().toString(), 0, "customers[" + index + "]." + field,
                        "the customer repository " + clone.shownUrl() + " has no branch '" + branch + "'");
            }
            return tip;
        }

        private Optional<String> releaseTagAt(ObjectId commit) throws IOException {
            return clone.tagsAt(commit).stream().filter(t -> t.startsWith(CustomerVersion.TAG_PREFIX)
                    && CustomerVersion.parse(t.substring(CustomerVersion.TAG_PREFIX.length())).isPresent())
                    .max(Comparator.comparing(t -> CustomerVersion.latest(List.of(t)).orElseThrow(),
                            Comparator.comparingInt(CustomerVersion::major)
                                    .thenComparingInt(CustomerVersion::minor)
                                    .thenComparingInt(CustomerVersion::patch)));
        }

        /** Image to tag of the stack customers have now; unreadable counts as empty (a feature-level change). */
        private Map<String, String> deliveredImages(ObjectId mainTip) throws IOException {
            String compose = clone.fileAt(mainTip, content.composePath());
            if (compose == null) {
                return Map.of();
            }
            String env = clone.fileAt(mainTip, content.envPath());
            try {
                return ComposeSummary.parse(customer.mainBranch() + ":" + content.composePath(), compose,
                        env == null ? Map.of()
                                : EnvFile.parse(Path.of(content.envPath()), env, EnvFile.Mode.STRICT).values())
                        .tagsByRepository();
            } catch (BadInputException unreadable) {
                Progress.line("cannot read the delivered compose file (" + unreadable.getMessage()
                        + "); counting this delivery as a minor version");
                return Map.of();
            }
        }

        private String releaseMessage(CustomerVersion version, List<String> changed) {
            return "Deliver " + customer.name() + " " + version + "\n\n"
                    + "Versions: " + versionList() + "\n"
                    + "Release meeting " + plan.meetingDate() + "; dc-person " + plan.dcPerson().name() + " <"
                    + plan.dcPerson().email() + ">.\n"
                    + "Changed: " + String.join(", ", changed) + "\n";
        }

        private String tagMessage(CustomerVersion version) {
            return customer.name() + " " + version + " (release meeting " + plan.meetingDate() + ")\n\n"
                    + "Versions: " + versionList() + "\n\n" + notes.strip() + "\n";
        }

        private String versionList() {
            Map<String, String> versions = content.readme().componentVersions(content.summary());
            return versions.isEmpty() ? "(no team components in the stack)" : versions.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    /** The files a delivery writes into a checked-out branch of the customer repository. */
    private static final class Content {
        private final CustomerClone clone;
        private final CustomerReadme readme;
        private final String composePath;
        private final String envPath;
        private final Path composeSource;
        private final byte[] compose;
        private final EnvFile envFile;
        private ComposeSummary summary;
        private StackImages images;

        Content(CustomerClone clone, CustomerReadme readme, String composePath, String envPath, Path composeSource,
                byte[] compose, EnvFile envFile) {
            this.clone = clone;
            this.readme = readme;
            this.composePath = composePath;
            this.envPath = envPath;
            this.composeSource = composeSource;
            this.compose = compose;
            this.envFile = envFile;
        }

        String composePath() {
            return composePath;
        }

        String envPath() {
            return envPath;
        }

        CustomerReadme readme() {
            return readme;
        }

        ComposeSummary summary() {
            return summary;
        }

        /** The images the delivered files resolve to, as of the last {@link #apply()}. */
        StackImages images() {
            return images;
        }

        /** Writes compose, .env and README into the work tree and stages them; returns the paths that changed. */
        List<String> apply() throws IOException, GitAPIException {
            Path work = clone.workTree();
            List<String> paths = new ArrayList<>();
            write(work, composePath, compose);
            paths.add(composePath);
            Map<String, String> envValues = Map.of();
            boolean hasEnv = false;
            String variablesFrom = "no .env: neither given nor in the customer repository";
            if (envFile != null) {
                write(work, envPath, envFile.bytes());
                paths.add(envPath);
                envValues = envFile.values();
                hasEnv = true;
                variablesFrom = envFile.file().toString();
            } else if (Files.isRegularFile(work.resolve(envPath))) {
                envValues = EnvFile.read(work.resolve(envPath), EnvFile.Mode.STRICT).values();
                hasEnv = true;
                variablesFrom = envPath + " kept from the customer repository (no .env was given)";
            }
            String composeText = new String(compose, StandardCharsets.UTF_8);
            summary = ComposeSummary.parse(composePath, composeText, envValues);
            images = StackImages.of(composeSource, composeText, envValues::get, variablesFrom);
            String readmePath = readmePath(work);
            Path readmeFile = work.resolve(readmePath);
            String before = Files.isRegularFile(readmeFile) ? Files.readString(readmeFile) : "";
            String after = readme.update(readmePath, before, summary, composePath, hasEnv ? envPath : null);
            if (!after.equals(before)) {
                Files.writeString(readmeFile, after);
            }
            paths.add(readmePath);
            return clone.stage(paths);
        }

        /** The README at the repository root, whatever its case (S0 calls it Readme.md); README.md if none. */
        private static String readmePath(Path work) throws IOException {
            try (Stream<Path> files = Files.list(work)) {
                return files.map(p -> p.getFileName().toString())
                        .filter(n -> n.equalsIgnoreCase("README.md")).sorted().findFirst().orElse("README.md");
            }
        }

        private static void write(Path work, String path, byte[] bytes) throws IOException {
            Path file = work.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        }
    }

    /** A path inside the repository: relative, no "..", forward slashes, as git names it. */
    private String repoPath(String path, String field) {
        String normalized = Path.of(path).normalize().toString().replace('\\', '/');
        if (Path.of(path).isAbsolute() || normalized.startsWith("..") || normalized.isEmpty()
                || normalized.startsWith(".git/") || normalized.equals(".git")) {
            throw new BadInputException(request.config().file().toString(), 0, field, "'" + path
                    + "' must be a path inside the customer repository, such as docker-compose.yml");
        }
        return normalized;
    }

    private static String siblingPath(String path, String name) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? name : path.substring(0, slash + 1) + name;
    }

    /**
     * Commits are authored by the dc-person (S0: they deliver) and committed by the automation, named by git's own
     * GIT_COMMITTER_NAME / GIT_COMMITTER_EMAIL (Jenkins' git plugin sets these) or "deployflow".
     */
    private static PersonIdent committer(Map<String, String> env) {
        String name = env.getOrDefault("GIT_COMMITTER_NAME", "");
        String email = env.getOrDefault("GIT_COMMITTER_EMAIL", "");
        return new PersonIdent(name.isBlank() ? "deployflow" : name,
                email.isBlank() ? "deployflow@localhost" : email);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Progress.line("could not remove the temporary clone " + dir + ": " + e.getMessage());
        }
    }
}
