package io.deployflow.ledger.dora;

import io.deployflow.ledger.LedgerEntry;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * DORA's four keys, computed from the ledger for a period, overall, per service and per customer: deployment
 * frequency, lead time for changes, change failure rate and time to restore (see {@link DoraEvents} for what
 * counts as what). Rendered as Markdown and JSON, with one SVG chart per metric, week by week.
 */
public final class DoraReport {
    public static final Map<String, String> CHARTS = Map.of(
            "deploymentFrequency", "deployment-frequency.svg",
            "leadTime", "lead-time.svg",
            "changeFailureRate", "change-failure-rate.svg",
            "timeToRestore", "time-to-restore.svg");

    private final Instant since;
    private final Instant until;
    private final List<Deployment> deployments;
    private final List<Restore> restores;
    private final List<String> customers;

    private DoraReport(Instant since, Instant until, List<Deployment> deployments, List<Restore> restores,
                       List<String> customers) {
        this.since = since;
        this.until = until;
        this.deployments = deployments;
        this.restores = restores;
        this.customers = customers;
    }

    /**
     * @param knownCustomers the configured customers: each gets its metrics, also when the period has none of its
     *                       own deployments (a deployment to a shared production counts for every customer)
     */
    public static DoraReport compute(List<LedgerEntry> entries, Instant since, Instant until,
                                     List<String> knownCustomers) {
        DoraEvents events = DoraEvents.from(entries);
        List<Deployment> inPeriod = events.deployments.stream().filter(d -> within(d.at(), since, until)).toList();
        List<Restore> restored = events.restores.stream().filter(r -> within(r.from(), since, until)).toList();
        TreeSet<String> customers = new TreeSet<>(knownCustomers);
        inPeriod.stream().map(Deployment::customer).filter(c -> !c.isEmpty()).forEach(customers::add);
        return new DoraReport(since, until, inPeriod, restored, List.copyOf(customers));
    }

    private static boolean within(Instant at, Instant since, Instant until) {
        return !at.isBefore(since) && at.isBefore(until);
    }

    double days() {
        return Math.max(1, Duration.between(since, until).toMinutes()) / (24.0 * 60);
    }

    public Metrics overall() {
        return Metrics.of(deployments, restores, days());
    }

    public Map<String, Metrics> services() {
        Map<String, Metrics> out = new LinkedHashMap<>();
        for (String service : new TreeSet<>(deployments.stream().map(Deployment::service).filter(s -> !s.isEmpty())
                .toList())) {
            out.put(service, Metrics.of(deployments.stream().filter(d -> d.service().equals(service)).toList(),
                    restores.stream().filter(r -> r.service().equals(service)).toList(), days()));
        }
        return out;
    }

    public Map<String, Metrics> customers() {
        Map<String, Metrics> out = new LinkedHashMap<>();
        for (String customer : customers) {
            out.put(customer, Metrics.of(deployments.stream().filter(d -> d.customer().isEmpty()
                            || d.customer().equals(customer)).toList(),
                    restores.stream().filter(r -> r.customers().isEmpty() || r.customers().contains(customer))
                            .toList(), days()));
        }
        return out;
    }

    /** One row per week (weeks start on Monday, UTC) from the period's first week to its last. */
    public List<Map<String, Object>> weeks() {
        List<Map<String, Object>> out = new ArrayList<>();
        LocalDate first = since.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(
                DayOfWeek.MONDAY));
        LocalDate last = until.minusMillis(1).atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate week = first; !week.isAfter(last); week = week.plusWeeks(1)) {
            Instant from = week.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = week.plusWeeks(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            List<Deployment> these = deployments.stream().filter(d -> within(d.at(), from, to)).toList();
            Metrics m = Metrics.of(these, restores.stream().filter(r -> within(r.from(), from, to)).toList(), 7);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("week", week.toString());
            row.put("deployments", m.deployments());
            row.put("failures", m.failures());
            row.put("leadTimeMedianHours", m.leadTimeHours().median());
            row.put("changeFailureRate", m.changeFailureRate());
            row.put("timeToRestoreMedianHours", m.timeToRestoreHours().median());
            out.add(row);
        }
        return out;
    }

    /** Everything, for --json: the period, the metrics, the weeks, and each deployment and restoration counted. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", since.toString());
        out.put("until", until.toString());
        out.put("days", Metrics.round(days()));
        out.put("overall", overall());
        out.put("services", services());
        out.put("customers", customers());
        out.put("weeks", weeks());
        out.put("deployments", deployments.stream().map(DoraReport::json).toList());
        out.put("restores", restores.stream().map(DoraReport::json).toList());
        return out;
    }

    /** Times as ISO-8601 text: the shaded CLI carries no Jackson module for java.time. */
    private static Map<String, Object> json(Deployment d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", d.at().toString());
        out.put("service", d.service());
        out.put("customer", d.customer());
        out.put("version", d.version());
        out.put("failed", d.failed());
        out.put("cause", d.cause().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        out.put("detail", d.detail());
        out.put("firstCommitAt", d.firstCommitAt() == null ? null : d.firstCommitAt().toString());
        out.put("leadTimeHours", d.leadTimeHours());
        out.put("entry", d.entry());
        return out;
    }

    private static Map<String, Object> json(Restore r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("what", r.what());
        out.put("service", r.service());
        out.put("customers", r.customers());
        out.put("from", r.from().toString());
        out.put("to", r.to().toString());
        out.put("hours", Metrics.round(r.hours()));
        return out;
    }

    public String markdown() {
        StringBuilder out = new StringBuilder("# DORA metrics, ").append(day(since)).append(" to ").append(day(until))
                .append(" (").append(Math.round(days())).append(" days)\n\n");
        out.append("From the ledger: production deployments (promotions to production, and Portainer stack"
                + " deployments outside them), rollbacks, hotfixes and severity-1 issues.\n\n");
        out.append("| | Deployments | Per week | Lead time for changes (median) | Change failure rate"
                + " | Time to restore (median) |\n|---|---|---|---|---|---|\n");
        row(out, "**All**", overall());
        services().forEach((service, m) -> row(out, "Service " + service, m));
        customers().forEach((customer, m) -> row(out, "Customer " + customer, m));
        out.append("\n| Deployment frequency | Lead time for changes |\n|---|---|\n")
                .append("| ![Deployment frequency](").append(CHARTS.get("deploymentFrequency"))
                .append(") | ![Lead time for changes](").append(CHARTS.get("leadTime")).append(") |\n")
                .append("| **Change failure rate** | **Time to restore** |\n")
                .append("| ![Change failure rate](").append(CHARTS.get("changeFailureRate"))
                .append(") | ![Time to restore](").append(CHARTS.get("timeToRestore")).append(") |\n");
        List<Deployment> failed = deployments.stream().filter(Deployment::failed)
                .sorted(java.util.Comparator.comparing(Deployment::at)).toList();
        out.append("\n## Failed changes\n\n");
        if (failed.isEmpty()) {
            out.append("None.\n");
        } else {
            out.append("| When | Deployment | Customer | Why it counts |\n|---|---|---|---|\n");
            failed.forEach(d -> out.append("| ").append(time(d.at())).append(" | ").append(md(d.label()))
                    .append(" | ").append(d.customer().isEmpty() ? "all" : md(d.customer())).append(" | ")
                    .append(md(why(d))).append(" |\n"));
        }
        out.append("\n## Restorations\n\n");
        if (restores.isEmpty()) {
            out.append("None.\n");
        } else {
            out.append("| Broken | Restored | What | Time to restore |\n|---|---|---|---|\n");
            restores.forEach(r -> out.append("| ").append(time(r.from())).append(" | ").append(time(r.to()))
                    .append(" | ").append(md(r.what())).append(" | ").append(hours(r.hours())).append(" |\n"));
        }
        return out.toString();
    }

    private static String why(Deployment d) {
        String cause = switch (d.cause()) {
            case FAILED -> "failed";
            case ROLLED_BACK -> "rolled back by itself";
            case ROLLED_BACK_LATER -> "rolled back later";
            case HOTFIX -> "needed a hotfix";
            case NONE -> "";
        };
        return cause + (d.detail().isEmpty() ? "" : ": " + d.detail());
    }

    private static void row(StringBuilder out, String name, Metrics m) {
        out.append("| ").append(md(name)).append(" | ").append(m.deployments()).append(" | ")
                .append(String.format(Locale.ROOT, "%.1f", m.perWeek())).append(" | ")
                .append(m.leadTimeHours().median() == null ? "–" : hours(m.leadTimeHours().median()) + " ("
                        + m.leadTimeHours().count() + ")").append(" | ")
                .append(m.changeFailureRate() == null ? "–" : String.format(Locale.ROOT, "%.1f %% (%d of %d)",
                        m.changeFailureRate() * 100, m.failures(), m.deployments())).append(" | ")
                .append(m.timeToRestoreHours().median() == null ? "–" : hours(m.timeToRestoreHours().median())
                        + " (" + m.timeToRestoreHours().count() + ")").append(" |\n");
    }

    /** "35 min", "5.0 h", "2.0 d". */
    static String hours(double hours) {
        if (hours < 1) {
            return Math.round(hours * 60) + " min";
        }
        return hours < 48 ? String.format(Locale.ROOT, "%.1f h", hours)
                : String.format(Locale.ROOT, "%.1f d", hours / 24);
    }

    /** One chart per metric, week by week (time to restore: one bar per restoration). File name to SVG text. */
    public Map<String, String> charts() {
        List<Map<String, Object>> weeks = weeks();
        Metrics all = overall();
        Map<String, String> out = new LinkedHashMap<>();
        List<SvgChart.Bar> frequency = new ArrayList<>();
        List<SvgChart.Bar> lead = new ArrayList<>();
        List<SvgChart.Bar> failure = new ArrayList<>();
        double leadMax = weeks.stream().map(w -> (Double) w.get("leadTimeMedianHours")).filter(java.util.Objects
                ::nonNull).mapToDouble(Double::doubleValue).max().orElse(0);
        boolean leadInDays = leadMax >= 48;
        for (Map<String, Object> w : weeks) {
            String label = ((String) w.get("week")).substring(5);
            int count = (Integer) w.get("deployments");
            int failed = (Integer) w.get("failures");
            frequency.add(new SvgChart.Bar(label, List.of(
                    new SvgChart.Segment(count - failed, SvgChart.GOOD, (count - failed) + " worked"),
                    new SvgChart.Segment(failed, SvgChart.BAD, failed + " failed")), count == 0 ? null
                    : String.valueOf(count)));
            Double median = (Double) w.get("leadTimeMedianHours");
            double leadValue = median == null ? 0 : leadInDays ? median / 24 : median;
            lead.add(new SvgChart.Bar(label, List.of(new SvgChart.Segment(leadValue, SvgChart.NEUTRAL,
                    median == null ? "no deployment with a known first commit" : "median " + hours(median))),
                    median == null ? null : hours(median)));
            Double rate = (Double) w.get("changeFailureRate");
            failure.add(new SvgChart.Bar(label, List.of(new SvgChart.Segment(rate == null ? 0 : rate * 100,
                    SvgChart.WARN, rate == null ? "no deployments" : String.format(Locale.ROOT, "%.0f %% of %d",
                    rate * 100, count))), rate == null || rate == 0 ? null : String.format(Locale.ROOT, "%.0f %%",
                    rate * 100)));
        }
        out.put(CHARTS.get("deploymentFrequency"), SvgChart.bars("Deployments per week (" + String.format(
                Locale.ROOT, "%.1f", all.perWeek()) + " on average)", "", frequency, all.perWeek(), "average per week",
                List.of(new String[]{SvgChart.GOOD, "worked"}, new String[]{SvgChart.BAD, "failed"})));
        Double overallLead = all.leadTimeHours().median();
        out.put(CHARTS.get("leadTime"), SvgChart.bars("Lead time for changes, median per week"
                        + (overallLead == null ? "" : " (" + hours(overallLead) + " overall)"), leadInDays ? " d" : " h",
                lead, overallLead == null ? null : leadInDays ? overallLead / 24 : overallLead, "overall median",
                List.of()));
        out.put(CHARTS.get("changeFailureRate"), SvgChart.bars("Change failure rate per week"
                        + (all.changeFailureRate() == null ? "" : String.format(Locale.ROOT, " (%.1f %% overall)",
                        all.changeFailureRate() * 100)), " %", failure,
                all.changeFailureRate() == null ? null : all.changeFailureRate() * 100, "overall", List.of()));
        List<SvgChart.Bar> restored = new ArrayList<>();
        double restoreMax = restores.stream().mapToDouble(Restore::hours).max().orElse(0);
        boolean restoreInHours = restoreMax >= 1;
        for (Restore r : restores) {
            restored.add(new SvgChart.Bar(day(r.from()).substring(5) + " " + r.what(), List.of(new SvgChart.Segment(
                    restoreInHours ? r.hours() : r.hours() * 60, SvgChart.NEUTRAL, hours(r.hours()))),
                    hours(r.hours())));
        }
        Double overallRestore = all.timeToRestoreHours().median();
        out.put(CHARTS.get("timeToRestore"), SvgChart.bars("Time to restore"
                        + (overallRestore == null ? "" : " (median " + hours(overallRestore) + ")"),
                restoreInHours ? " h" : " min", restored, overallRestore == null ? null
                        : restoreInHours ? overallRestore : overallRestore * 60, "median", List.of()));
        return out;
    }

    private static String day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static String time(Instant at) {
        String text = at.toString();
        return text.substring(0, 10) + " " + text.substring(11, 16) + " UTC";
    }

    private static String md(String text) {
        return text.replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ");
    }
}
