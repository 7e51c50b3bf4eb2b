package io.deployflow.promotion;

import io.deployflow.config.YamlNode;

import java.util.List;

/**
 * What must hold before a version may be deployed to an environment: the criteria column of the release process's
 * environment table, each something the ledger can show.
 *
 * @param previous    the same version passed the environment before this one
 * @param approvals   approval tasks that must have been approved for this version ({@code approvalGate} with the
 *                    gate named {@code <service>@<version>})
 * @param releaseNotes release notes for this version were shared
 * @param training    training documentation for this version was updated and shared
 * @param noOpenSev1  no severity-1 issue is open for the service
 */
public record Requirements(boolean previous, List<String> approvals, boolean releaseNotes, boolean training,
                           boolean noOpenSev1) {
    static final List<String> KEYS = List.of("previous", "approvals", "releaseNotes", "training", "noOpenSev1");

    public Requirements {
        approvals = List.copyOf(approvals);
    }

    static Requirements from(YamlNode node, boolean first) {
        if (node == null) {
            return new Requirements(!first, List.of(), false, false, false);
        }
        node.allowOnly(KEYS);
        boolean previous = node.bool("previous", !first);
        if (first && previous) {
            throw node.require("previous").error("the first environment has no environment before it");
        }
        List<String> approvals = node.strings("approvals");
        for (int i = 0; i < approvals.size(); i++) {
            if (approvals.indexOf(approvals.get(i)) != i) {
                throw node.require("approvals").error("'" + approvals.get(i) + "' is listed twice");
            }
        }
        return new Requirements(previous, approvals, node.bool("releaseNotes", false), node.bool("training", false),
                node.bool("noOpenSev1", false));
    }
}
