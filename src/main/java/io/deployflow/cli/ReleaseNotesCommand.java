package io.deployflow.cli;

import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Progress;
import io.deployflow.release.notes.NotesFormat;
import io.deployflow.release.notes.ReleaseNotes;
import io.deployflow.release.notes.ReleasePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "release-notes", mixinStandardHelpOptions = true,
        description = "Write release notes from the meeting's plan: per component the version change, features,"
                + " fixes and others with ticket links, the service versions, who releases, and known issues."
                + " The format follows the --out extension: .md or .html.")
final class ReleaseNotesCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "plan.json from release-meeting")
    Path plan;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "notes.md or notes.html")
    Path out;

    @Option(names = "--template", paramLabel = "FILE",
            description = "Your own template instead of the bundled one (same placeholders; see the README).")
    Path template;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        NotesFormat format = NotesFormat.of(out);
        DeployflowConfig loaded = config.load();
        ReleasePlan releasePlan = ReleasePlan.load(plan);
        String text = new ReleaseNotes(loaded).render(releasePlan, format, template);
        ReleaseNotes.write(out, text);
        long released = releasePlan.components().stream().filter(ReleasePlan.Component::releaseNeeded).count();
        Progress.line(out + ": release notes for " + released + " of " + releasePlan.components().size()
                + " components (" + format.name().toLowerCase(Locale.ROOT) + ")");
        json.write(new Written(out.toString(), format.name().toLowerCase(Locale.ROOT),
                releasePlan.meetingDate().toString(), released));
        return ExitCode.OK;
    }

    /** The notes file, its format, the meeting it is from and how many components it releases. */
    record Written(String out, String format, String meetingDate, long released) {
    }
}
