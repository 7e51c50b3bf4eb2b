package io.deployflow.cli;

import io.deployflow.config.Customer;
import io.deployflow.config.DeployflowConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.core.ExitCode;
import io.deployflow.core.Json;
import io.deployflow.core.Progress;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.dora.DoraReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "dora", mixinStandardHelpOptions = true,
        description = {"DORA's four keys from the ledger, overall, per service and per customer: deployment"
                + " frequency, lead time for changes (first commit of a release to production), change failure rate"
                + " (failed, rolled back, or rescued by a rollback or a hotfix) and time to restore.",
                "With --out-dir: dora.md, dora.json and one SVG chart per metric there; else Markdown on stdout."})
final class LedgerDoraCommand implements Callable<Integer> {
    private static final Pattern DAYS = Pattern.compile("(\\d{1,4})d");

    @Mixin
    ConfigOption config;

    @Option(names = "--since", paramLabel = "90d|YYYY-MM-DD", defaultValue = "90d",
            description = "the period's start: days before --until, a date (UTC), or an instant (default 90d)")
    String since;

    @Option(names = "--until", paramLabel = "YYYY-MM-DD", description = "the period's end, not included: a date"
            + " (UTC) or an instant (default now)")
    String until;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "write dora.md, dora.json and the charts here")
    Path outDir;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Instant end = until == null ? Instant.now() : instant(until, "--until");
        Matcher days = DAYS.matcher(since);
        Instant start = days.matches() ? end.minus(Duration.ofDays(Long.parseLong(days.group(1))))
                : instant(since, "--since");
        if (!start.isBefore(end)) {
            throw new BadInputException(null, 0, "--since", since + " is not before --until (" + end + ")");
        }
        DeployflowConfig loaded = config.load();
        Ledger ledger = Ledger.open(loaded);
        DoraReport report = DoraReport.compute(ledger.entries(), start, end,
                loaded.customers().stream().map(Customer::name).toList());
        Map<String, Object> result = new LinkedHashMap<>(report.toJson());
        String markdown = report.markdown();
        if (outDir == null) {
            System.out.print(markdown);
        } else {
            Map<String, String> files = new LinkedHashMap<>();
            write(outDir.resolve("dora.md"), markdown);
            files.put("markdown", outDir.resolve("dora.md").toString());
            report.charts().forEach((name, svg) -> write(outDir.resolve(name), svg));
            DoraReport.CHARTS.forEach((metric, name) -> files.put(metric, outDir.resolve(name).toString()));
            Json.write(outDir.resolve("dora.json"), report.toJson());
            files.put("json", outDir.resolve("dora.json").toString());
            result.put("files", files);
        }
        var overall = report.overall();
        Progress.line("DORA " + result.get("since") + " to " + result.get("until") + ": " + overall.deployments()
                + " production deployments (" + overall.perWeek() + " a week), " + overall.failures()
                + " failed, from " + ledger.where() + (outDir == null ? "" : "; written to " + outDir));
        json.write(result);
        return ExitCode.OK;
    }

    private static Instant instant(String text, String option) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadInputException(null, 0, option, "'" + text + "' is not a number of days (90d), a date"
                    + " (2026-09-01) or an instant (2026-09-01T00:00:00Z)");
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
