package io.deployflow.ledger.dora;

import java.util.ArrayList;
import java.util.List;

/**
 * The four DORA metrics of one service, one customer, or everything, over a period.
 *
 * @param perWeek           deployment frequency: deployments per week
 * @param changeFailureRate failures / deployments, 0 to 1; null without deployments
 * @param leadTimeHours     first commit of a release to production, over the deployments that worked and whose
 *                          first commit is known
 * @param timeToRestoreHours production broken to restored
 */
public record Metrics(int deployments, int failures, double perWeek, Double changeFailureRate, Stat leadTimeHours,
                      Stat timeToRestoreHours) {

    /** The middle, the mean and the longest of some durations in hours (nulls when there are none). */
    public record Stat(int count, Double median, Double mean, Double max) {
        static Stat of(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(Double::compare);
            if (sorted.isEmpty()) {
                return new Stat(0, null, null, null);
            }
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            double mean = sorted.stream().mapToDouble(Double::doubleValue).sum() / n;
            return new Stat(n, round(median), round(mean), round(sorted.get(n - 1)));
        }
    }

    static Metrics of(List<Deployment> deployments, List<Restore> restores, double days) {
        int failures = (int) deployments.stream().filter(Deployment::failed).count();
        List<Double> leadTimes = deployments.stream().map(Deployment::leadTimeHours)
                .filter(java.util.Objects::nonNull).toList();
        return new Metrics(deployments.size(), failures, round(deployments.size() * 7 / days),
                deployments.isEmpty() ? null : round((double) failures / deployments.size()), Stat.of(leadTimes),
                Stat.of(restores.stream().map(Restore::hours).toList()));
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
