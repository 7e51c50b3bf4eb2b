package io.deployflow.hotfix;

import io.deployflow.approval.GateStatus;
import io.deployflow.approval.GateView;

import java.util.List;
import java.util.Map;

/**
 * What one step of the hotfix lane did, and where the lane stands, for the pipeline step and for people.
 *
 * @param outcome  done, already (nothing to do: done before), no-fix (nothing merged into the hotfix branch yet)
 *                 or conflict (the merge back stopped)
 * @param phases   where the lane stands: raised, branched, released, tested, approved, inProduction, restored,
 *                 mergedBack, rcaWritten, rcaSignedOff (true or false each)
 * @param notice   what to tell people now (issue raised, deploying, restored), or null
 * @param channels the channels configured under notify, for the step to send the notice through
 * @param record   where the patch release's notes are kept beside the ledger
 * @param notes    the text just written (release notes or root-cause analysis), or null
 */
public record HotfixResult(String issue, String component, String outcome, String version, String fromVersion,
                           String fromTag, String branch, String tag, List<Map<String, Object>> commits,
                           List<String> conflicts, String record, String notes, Map<String, Boolean> phases,
                           Map<String, Object> lane, GateStatus.Notice notice, GateView.Channels channels,
                           String message) {

    HotfixResult withNotes(String text) {
        return new HotfixResult(issue, component, outcome, version, fromVersion, fromTag, branch, tag, commits,
                conflicts, record, text, phases, lane, notice, channels, message);
    }

    HotfixResult withConflicts(List<String> files) {
        return new HotfixResult(issue, component, outcome, version, fromVersion, fromTag, branch, tag, commits,
                List.copyOf(files), record, notes, phases, lane, notice, channels, message);
    }
}
