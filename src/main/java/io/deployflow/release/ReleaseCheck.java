package io.deployflow.release;

import io.deployflow.config.Component;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.config.TeamMember;
import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.core.Progress;
import io.deployflow.git.RepoCache;
import io.deployflow.notify.Message;
import io.deployflow.registry.RegistryClient;
import org.eclipse.jgit.lib.Repository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * After a release was made (by the pipeline, or by the repo-person who then said so in Jenkins): wait, with a line
 * of progress per look and a time limit, until the tag is in the repository and the image in the registry (CI
 * builds it from the tag); then run the release checks ({@link ReleaseVerifier}); then tell the dc-persons that the
 * component is ready for docker preparation, or tell the repo-person what is wrong (S0 "Release": "make sure that
 * everything went right ... notifies the dc-person"). The state is the repository's and the registry's, so a
 * rerun after an interruption simply looks again.
 */
public final class ReleaseCheck {
    /** How long to wait and how often to look. */
    public record Timing(Duration limit, Duration poll) {
    }

    /**
     * The outcome. {@code failure} says why it did not pass (null when it did); {@code confirmedBy} is who said in
     * Jenkins that they released it (null for a release made by the pipeline).
     */
    public record Result(String component, String version, String tag, String image, String confirmedBy,
                         boolean tagFound, boolean imageFound, long waitedSeconds, boolean passed, String failure,
                         List<VerificationReport.Check> checks, PlannedRelease.Person repoPerson,
                         List<Message> notifications) {
        public boolean couldNotAsk() {
            return checks.stream().anyMatch(c -> c.status() == VerificationReport.Status.ERROR)
                    && checks.stream().noneMatch(c -> c.status() == VerificationReport.Status.FAIL);
        }
    }

    /** Waits between looks; tests pass one that does not sleep. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final DeployflowConfig config;
    private final RepoCache cache;
    private final RegistryClient registry;
    private final Clock clock;
    private final Sleeper sleeper;

    public ReleaseCheck(DeployflowConfig config, RepoCache cache, RegistryClient registry, Clock clock,
                        Sleeper sleeper) {
        this.config = config;
        this.cache = cache;
        this.registry = registry;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** @param confirmedBy the Jenkins user who answered "I have released it", or null */
    public Result run(PlannedRelease planned, String confirmedBy, Timing timing) {
        Component component = config.component(planned.component());
        if (confirmedBy != null) {
            requireMayConfirm(planned, confirmedBy);
        }
        String tag = component.tagFor(planned.version());
        String image = component.image() == null ? null : component.image() + ":" + planned.version();
        Instant start = clock.instant();
        Instant deadline = start.plus(timing.limit());
        boolean tagFound;
        boolean imageFound;
        String registryProblem;
        while (true) {
            tagFound = tagExists(component, planned.version());
            registryProblem = null;
            try {
                imageFound = component.image() == null || registry.manifestExists(component.image(),
                        planned.version());
            } catch (OutsideSystemException e) {
                imageFound = false;
                registryProblem = e.getMessage();
            }
            Duration waited = Duration.between(start, clock.instant());
            Progress.line(planned.component() + " " + planned.version() + ": tag " + tag + (tagFound ? " found"
                    : " not yet") + (image == null ? "" : ", image " + image + (imageFound ? " found"
                    : registryProblem != null ? " cannot be asked (" + registryProblem + ")" : " not yet"))
                    + " (" + minutes(waited) + " of " + minutes(timing.limit()) + ")");
            if (tagFound && imageFound || !clock.instant().plus(timing.poll()).isBefore(deadline)) {
                break;
            }
            try {
                sleeper.sleep(timing.poll());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the release", e);
            }
        }
        long waitedSeconds = Duration.between(start, clock.instant()).toSeconds();
        List<VerificationReport.Check> checks = new ReleaseVerifier(config, cache, registry)
                .verify(component.name(), planned.version()).checks();
        List<String> failing = checks.stream().filter(c -> c.status() == VerificationReport.Status.FAIL
                || c.status() == VerificationReport.Status.ERROR).map(VerificationReport.Check::toString).toList();
        String failure = null;
        if (!tagFound || !imageFound) {
            List<String> missing = new ArrayList<>();
            if (!tagFound) {
                missing.add("tag " + tag);
            }
            if (!imageFound) {
                missing.add("image " + image);
            }
            failure = String.join(" and ", missing) + " did not appear within " + minutes(timing.limit());
        } else if (!failing.isEmpty()) {
            failure = "the release checks failed: " + String.join("; ", failing);
        }
        boolean passed = failure == null;
        Progress.line(planned.component() + " " + planned.version() + ": " + (passed ? "released and verified"
                : failure));
        return new Result(component.name(), planned.version(), tag, image, confirmedBy, tagFound, imageFound,
                waitedSeconds, passed, failure, checks, planned.repoPerson(),
                passed ? readyMessages(planned, tag, image) : repoPersonMessage(planned, failure));
    }

    /**
     * Jenkins administrators may answer any input, so who confirmed is checked here: the repo-person, or a decider
     * standing in for them.
     */
    private void requireMayConfirm(PlannedRelease planned, String by) {
        String repoPerson = planned.repoPerson() == null ? null : planned.repoPerson().id();
        List<String> deciders = config.decision().deciders();
        boolean decider = deciders.isEmpty() ? config.member(by).isPresent() : deciders.contains(by);
        if (!by.equals(repoPerson) && !decider) {
            throw new BadInputException(config.file().toString(), 0, "--confirmed-by", by + " may not confirm the"
                    + " release of " + planned.component() + ": that is for its repo-person ("
                    + (repoPerson == null ? "none known" : repoPerson) + ") or a decider ("
                    + String.join(", ", deciders.isEmpty() ? config.team().stream().map(TeamMember::id).toList()
                    : deciders) + ")");
        }
    }

    private boolean tagExists(Component component, String version) {
        try (Repository repo = cache.open(RepoCache.resolve(component.repo(), config.file()))) {
            return SemVer.tryParse(version).flatMap(v -> ReleaseTags.of(repo, component.tagPrefix()).find(v))
                    .isPresent();
        }
    }

    private static List<Message> readyMessages(PlannedRelease planned, String tag, String image) {
        Set<String> to = new LinkedHashSet<>();
        planned.dcPersons().values().forEach(p -> {
            if (p.email() != null) {
                to.add(p.email());
            }
        });
        if (to.isEmpty()) {
            return List.of();
        }
        String customers = String.join(", ", planned.dcPersons().keySet());
        return List.of(new Message(List.copyOf(to), "[deployflow] " + planned.component() + " " + planned.version()
                + " is released", "Hello,\n\n" + planned.component() + " " + planned.version() + " is released and"
                + " its checks passed: tag " + tag + (image == null ? "" : ", image " + image) + ".\n\n"
                + "It is ready for docker preparation of " + customers + ".\n"
                + (planned.repoPerson() == null ? "" : "\nRepo-person: " + name(planned.repoPerson()) + "\n")));
    }

    private static List<Message> repoPersonMessage(PlannedRelease planned, String failure) {
        if (planned.repoPerson() == null || planned.repoPerson().email() == null) {
            return List.of();
        }
        return List.of(new Message(List.of(planned.repoPerson().email()), "[deployflow] the release of "
                + planned.component() + " " + planned.version() + " is not right", "Hello "
                + name(planned.repoPerson()) + ",\n\nthe release of " + planned.component() + " " + planned.version()
                + " did not pass: " + failure + ".\n\nThe team decides in Jenkins whether to wait for a fix, release"
                + " with the error, release without it, or not release.\n"));
    }

    private static String name(PlannedRelease.Person p) {
        return p.name() != null ? p.name() : p.id() != null ? p.id() : p.email();
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
