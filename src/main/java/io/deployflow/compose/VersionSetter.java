package io.deployflow.compose;

import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sets component versions in a customer's compose stack (S0 "docker preparation": the dc-person updates the
 * version numbers). The files are documentation people wrote by hand, so only the characters of each tag change:
 * the tag in {@code image:}, the default of a {@code ${VAR:-default}}, or the variable's value in the {@code .env}
 * beside the compose file when that is where Compose takes it from (S3). Everything is checked before any file
 * is written; the installed Compose CLI judges the original and then the result, and a complaint the original did
 * not have restores the original bytes.
 *
 * <p>An image with no tag at all gets one ({@code :VERSION} appended): an untagged image runs whatever
 * {@code latest} is, and pinning it is exactly what the dc-person is asked to do.
 */
public final class VersionSetter {
    private final DeployflowConfig config;
    private final ComposeValidator validator;

    public VersionSetter(DeployflowConfig config) {
        this(config, ComposeValidator.detect());
    }

    public VersionSetter(DeployflowConfig config, ComposeValidator validator) {
        this.config = config;
        this.validator = validator;
    }

    /** Component name to the version its services run now, from the compose file or its .env. */
    public Map<String, String> currentVersions(Path composeFile) {
        Map<String, String> versions = new TreeMap<>();
        Map<String, ServiceTag> firstSeen = new LinkedHashMap<>();
        for (ServiceTag tag : Stack.load(composeFile, config).tags) {
            if (tag.component == null || tag.location == null || tag.missingTag()) {
                continue;
            }
            ServiceTag first = firstSeen.putIfAbsent(tag.component, tag);
            if (first != null && !first.location.text().equals(tag.location.text())) {
                throw new BadInputException(composeFile.toString(), tag.image.line(),
                        "services." + tag.image.service() + ".image", "component " + tag.component
                        + " runs two versions: " + first.location.text() + " (service " + first.image.service()
                        + ") and " + tag.location.text());
            }
            versions.put(tag.component, tag.location.text());
        }
        return versions;
    }

    /** The components that have at least one service in the compose file. */
    public Set<String> componentsIn(Path composeFile) {
        Set<String> names = new LinkedHashSet<>();
        Stack.load(composeFile, config).tags.forEach(t -> {
            if (t.component != null) {
                names.add(t.component);
            }
        });
        return names;
    }

    /**
     * Sets each component's services to its version. Refuses (BadInputException, nothing written) an unknown
     * component, a version that is not strict semver or longer than an image tag may be, a component no service
     * runs, a key written twice, an image pinned by digest, a tag whose text is not a literal or a single variable,
     * a component whose services run different tags (unless it lists its services), an anchored image also used
     * other than as an image, and a tag place shared with a service that is not being set to the same version.
     */
    public SetVersionsResult apply(Path composeFile, Map<String, String> componentVersions) {
        for (Map.Entry<String, String> e : componentVersions.entrySet()) {
            config.component(e.getKey());
            if (!StrictSemVer.isValid(e.getValue())) {
                throw new BadInputException(null, 0, e.getKey(), StrictSemVer.explain(e.getValue()));
            }
        }
        Stack stack = Stack.load(composeFile, config);
        Map<String, Edit> edits = new LinkedHashMap<>();
        List<SetVersionsResult.ServiceChange> changes = new ArrayList<>();
        for (Map.Entry<String, String> wanted : componentVersions.entrySet()) {
            String component = wanted.getKey();
            String version = wanted.getValue();
            List<ServiceTag> tags = stack.tags.stream().filter(t -> component.equals(t.component)).toList();
            if (tags.isEmpty()) {
                Component c = config.component(component);
                throw new BadInputException(composeFile.toString(), 0, "services", "no service runs component "
                        + component + " (image " + c.image() + "); images here: " + stack.imageList());
            }
            for (ServiceTag tag : tags) {
                if (tag.problem != null) {
                    throw tag.problem;
                }
            }
            refuseDifferentTags(composeFile, config.component(component), tags);
            for (ServiceTag tag : tags) {
                Edit edit = edits.computeIfAbsent(tag.location.key(), k -> new Edit(tag.location, version));
                if (!edit.version.equals(version)) {
                    throw new BadInputException(tag.location.file().toString(), tag.location.line(), null,
                            tag.location.description() + " is the tag of two components asked for different"
                                    + " versions (" + edit.version + " and " + version + ")");
                }
                changes.add(new SetVersionsResult.ServiceChange(tag.image.service(), component, tag.repository,
                        tag.missingTag() ? null : tag.location.text(), version, tag.location.where(),
                        tag.missingTag() || !version.equals(tag.location.text())));
            }
        }
        for (ServiceTag other : stack.tags) {
            Edit edit = other.location == null ? null : edits.get(other.location.key());
            if (edit != null && !edit.version.equals(componentVersions.get(other.component))) {
                throw new BadInputException(other.location.file().toString(), other.location.line(), null,
                        other.location.description() + " is also the tag of service " + other.image.service()
                                + " (" + other.repository + "), which is not being set to " + edit.version
                                + "; give that service its own variable");
            }
        }
        Map<Path, String> rewritten = stack.rewrite(edits.values());
        Judgement judged = Judgement.NOT_ASKED;
        if (rewritten.isEmpty() || validator.name() == null) {
            FileSet.write(rewritten);
        } else {
            judged = writeJudged(composeFile, rewritten);
        }
        if (judged.originalComplaint != null) {
            Progress.line(validator.describe() + " already complains about the original file; the edit adds no"
                    + " complaint, so it stands. The complaint: "
                    + String.join(" / ", judged.originalComplaint.lines().map(String::strip)
                            .filter(l -> !l.isEmpty()).toList()));
        }
        for (SetVersionsResult.ServiceChange change : changes) {
            Progress.line(change.service() + ": " + change.component() + " "
                    + (change.from() == null ? "(untagged)" : change.from()) + " -> " + change.to()
                    + (change.changed() ? "" : " (already)") + " at " + change.where());
        }
        return new SetVersionsResult(composeFile.toString(), rewritten.keySet().stream().map(Path::toString)
                .toList(), changes, List.of(), judged.validatedWith, judged.version, judged.originalComplaint);
    }

    /**
     * A component's services must all run one tag, unless the component lists the services it runs as: one image
     * repository with {@code frontend-1.0} on one service and {@code api-1.0} on another is two things, and setting
     * both to one version would break one of them. An untagged service is not a different tag: it gets pinned.
     */
    private static void refuseDifferentTags(Path composeFile, Component component, List<ServiceTag> tags) {
        if (!component.services().isEmpty()) {
            return;
        }
        ServiceTag first = null;
        for (ServiceTag tag : tags) {
            if (tag.missingTag()) {
                continue;
            }
            if (first == null) {
                first = tag;
            } else if (!first.location.text().equals(tag.location.text())) {
                throw new BadInputException(composeFile.toString(), tag.image.line(),
                        "services." + tag.image.service() + ".image", "component " + component.name()
                        + " runs two versions here: '" + first.location.text() + "' (service "
                        + first.image.service() + ", line " + first.image.line() + ") and '" + tag.location.text()
                        + "' (service " + tag.image.service() + "); if these services are different things, list"
                        + " the services each component runs as under 'services' in the config");
            }
        }
    }

    /**
     * Asks the Compose CLI about the original, writes the edit and asks again; the edit is undone only when the CLI
     * says something about it that it did not say about the original. docker-compose v1, which Debian ships, rejects
     * many files Compose v2 runs (top-level name:, boolean environment values), and that is not the edit's fault.
     */
    private Judgement writeJudged(Path composeFile, Map<Path, String> rewritten) {
        Optional<String> before = validator.problem(composeFile);
        FileSet files = FileSet.write(rewritten);
        List<String> added;
        try {
            added = newComplaints(before.orElse(""), validator.problem(composeFile).orElse(""));
        } catch (RuntimeException e) {
            files.restore();
            throw e;
        }
        if (!added.isEmpty()) {
            files.restore();
            throw new BadInputException(composeFile.toString(), 0, null, validator.describe() + " rejected the"
                    + " edited file, so the original was restored: " + String.join("\n", added)
                    + before.map(b -> "\n(about the original it already said: " + b + ")").orElse(""));
        }
        return new Judgement(validator.name(), validator.version(), before.orElse(null));
    }

    /** Lines of the complaint about the edit that the complaint about the original does not have. */
    static List<String> newComplaints(String original, String edited) {
        Set<String> known = new LinkedHashSet<>(original.lines().map(String::strip).toList());
        return edited.lines().map(String::strip).filter(l -> !l.isEmpty() && !known.contains(l)).toList();
    }

    /** Who validated the edit, and what it already said about the original (null when nothing). */
    private record Judgement(String validatedWith, String version, String originalComplaint) {
        static final Judgement NOT_ASKED = new Judgement(null, null, null);
    }

    /** One place to rewrite, and the version that goes there. */
    private record Edit(TextSpan span, String version) {
        boolean needed() {
            return span.isMissingTag() || !span.text().equals(version);
        }

        String replacement() {
            return span.isMissingTag() ? ":" + version : version;
        }
    }

    /** A service's image as matched against the components, and where its tag's text is (or why it can't be edited). */
    private record ServiceTag(ComposeFile.ServiceImage image, String repository, String component, TextSpan location,
                              BadInputException problem) {
        boolean missingTag() {
            return location != null && location.isMissingTag();
        }
    }

    /** The compose file and its .env as read, with every service's tag located. */
    private static final class Stack {
        final ComposeFile compose;
        final EnvFile env;
        final List<ServiceTag> tags = new ArrayList<>();

        private Stack(ComposeFile compose, EnvFile env) {
            this.compose = compose;
            this.env = env;
        }

        static Stack load(Path composeFile, DeployflowConfig config) {
            if (!Files.isRegularFile(composeFile)) {
                throw new BadInputException(composeFile.toString(), 0, null, "compose file not found");
            }
            ComposeFile compose = ComposeFile.parse(composeFile, read(composeFile));
            Path envPath = composeFile.toAbsolutePath().resolveSibling(".env");
            EnvFile env = Files.isRegularFile(envPath) ? EnvFile.read(envPath, EnvFile.Mode.LENIENT) : null;
            Stack stack = new Stack(compose, env);
            for (ComposeFile.ServiceImage image : compose.images()) {
                stack.tags.add(stack.locate(image, config));
            }
            return stack;
        }

        private static String read(Path file) {
            try {
                return ComposeFile.decode(file, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new BadInputException(file.toString(), 0, null, "cannot read: " + e.getMessage());
            }
        }

        private ServiceTag locate(ComposeFile.ServiceImage image, DeployflowConfig config) {
            ImageReference ref = ImageReference.parse(image.value());
            String repository = ref.resolvedRepository(env);
            String component = repository == null ? null
                    : config.componentForImage(repository, image.service()).map(Component::name).orElse(null);
            String field = "services." + image.service() + ".image";
            Path file = compose.file();
            if (ref.digest() != null) {
                return problem(image, repository, component, field, "'" + image.value() + "' is pinned by digest;"
                        + " deployflow will not replace a digest with a tag. Pin it by tag, or update the digest by"
                        + " hand");
            }
            int base = image.valueStart();
            if (!ref.hasTag()) {
                int at = base + ref.tagEnd();
                return inComposeFile(image, repository, component, field,
                        TextSpan.missingTag(file, at, image.line()));
            }
            String tagText = image.value().substring(ref.tagStart(), ref.tagEnd());
            ImageReference.TagExpression tag = ImageReference.tagExpression(tagText);
            if (tag == null) {
                return problem(image, repository, component, field, "tag '" + tagText + "' mixes text and"
                        + " variables; deployflow edits a literal tag or a single ${VAR}, ${VAR:-default} or"
                        + " ${VAR-default}");
            }
            if (tag.isLiteral()) {
                return inComposeFile(image, repository, component, field, new TextSpan(file, base + ref.tagStart(),
                        base + ref.tagEnd(), image.line(), tagText, "tag"));
            }
            EnvFile.Entry entry = env == null ? null : env.get(tag.name());
            if (tag.usesEnv(entry)) {
                if (entry.value().contains("$") || !entry.value().equals(env.text().substring(entry.start(),
                        entry.end()))) {
                    return problem(image, repository, component, field, tag.name() + " in " + env.file()
                            + " refers to another variable ('" + entry.value() + "'); set it to a version");
                }
                return new ServiceTag(image, repository, component, new TextSpan(env.file(), entry.start(),
                        entry.end(), entry.line(), entry.value(), tag.name() + " in .env"), null);
            }
            if (tag.hasDefault()) {
                if (tag.defaultText().contains("$")) {
                    return problem(image, repository, component, field, "the default of ${" + tag.name()
                            + "} is itself a variable; set a version there or in .env");
                }
                int start = base + ref.tagStart() + tag.defaultOffset();
                return inComposeFile(image, repository, component, field, new TextSpan(file, start,
                        start + tag.defaultText().length(), image.line(), tag.defaultText(),
                        "default of ${" + tag.name() + "}"));
            }
            return problem(image, repository, component, field, "the tag comes from ${" + tag.name() + "}, which"
                    + " has no value in " + compose.file().toAbsolutePath().resolveSibling(".env")
                    + " and no default; set it there (deployflow edits files, not the shell's environment)");
        }

        /**
         * An edit of the image's own text (its tag or the default in it) is refused when an anchor shares that text
         * with something other than an image, such as a label: the edit would silently change that too.
         */
        private ServiceTag inComposeFile(ComposeFile.ServiceImage image, String repository, String component,
                                         String field, TextSpan span) {
            if (!image.otherUses().isEmpty()) {
                return problem(image, repository, component, field, "the image is an anchor that is also used at "
                        + String.join(", ", image.otherUses()) + "; editing its tag would change "
                        + (image.otherUses().size() == 1 ? "that" : "those") + " too. Give the image its own value,"
                        + " or use the anchor only as the image of this component's services");
            }
            return new ServiceTag(image, repository, component, span, null);
        }

        private ServiceTag problem(ComposeFile.ServiceImage image, String repository, String component, String field,
                                   String message) {
            return new ServiceTag(image, repository, component, null,
                    new BadInputException(compose.file().toString(), image.line(), field, message));
        }

        String imageList() {
            return String.join(", ", compose.images().stream().map(i -> i.service() + "=" + i.value()).toList());
        }

        /** The new text of each file that has at least one needed edit, edits applied from the end backwards. */
        Map<Path, String> rewrite(java.util.Collection<Edit> edits) {
            Map<Path, String> out = new LinkedHashMap<>();
            Map<Path, List<Edit>> byFile = new LinkedHashMap<>();
            for (Edit edit : edits) {
                if (edit.needed()) {
                    byFile.computeIfAbsent(edit.span().file(), f -> new ArrayList<>()).add(edit);
                }
            }
            byFile.forEach((file, fileEdits) -> {
                StringBuilder text = new StringBuilder(file.equals(compose.file()) ? compose.text() : env.text());
                fileEdits.stream().sorted(Comparator.comparingInt((Edit e) -> e.span().start()).reversed())
                        .forEach(e -> text.replace(e.span().start(), e.span().end(), e.replacement()));
                out.put(file, text.toString());
            });
            return out;
        }
    }

    /** Files replaced atomically (temp file, then rename), with their original bytes kept to restore. */
    private static final class FileSet {
        private final Map<Path, byte[]> originals = new LinkedHashMap<>();

        static FileSet write(Map<Path, String> texts) {
            FileSet set = new FileSet();
            try {
                for (Path file : texts.keySet()) {
                    set.originals.put(file, Files.readAllBytes(file));
                }
                for (Map.Entry<Path, String> e : texts.entrySet()) {
                    replace(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                set.restore();
                throw new UncheckedIOException("cannot write " + texts.keySet(), e);
            }
            return set;
        }

        void restore() {
            originals.forEach((file, bytes) -> {
                try {
                    replace(file, bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot restore " + file, e);
                }
            });
        }

        private static void replace(Path file, byte[] bytes) throws IOException {
            Path absolute = file.toAbsolutePath();
            Path tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(absolute));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the default permissions are all we can have
                }
                Files.move(tmp, absolute, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
