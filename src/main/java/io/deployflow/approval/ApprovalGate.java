package io.deployflow.approval;

import io.deployflow.config.ApprovalTask;
import io.deployflow.config.NotifyConfig;
import io.deployflow.core.BadInputException;
import io.deployflow.ledger.Ledger;
import io.deployflow.ledger.LedgerEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The approval gate's engine. The pipeline step only asks (Jenkins' own input page) and relays each answer here;
 * every rule is checked here, because Jenkins lets administrators answer whatever an input's submitter says: who
 * may answer (the task's Responsible and Accountable roles), no self-approval, one counted approval per person,
 * a reason for every rejection, every checklist item ticked. Each answer, counted or refused and why, is a ledger
 * entry, and the gate's state is replayed from those entries, so it survives restarts and is the same on every
 * agent.
 */
public final class ApprovalGate {
    private static final int MESSAGE_LENGTH = 160;

    private final ApprovalPolicy policy;
    private final Ledger ledger;

    public ApprovalGate(ApprovalPolicy policy, Ledger ledger) {
        this.policy = policy;
        this.ledger = ledger;
    }

    /** What the step shows and whom it asks; records that the approval was requested. */
    public record Request(String startedBy, List<String> authors, List<String> extraItems, String message,
                          String details, List<GateView.Link> links, String inputUrl) {
        public Request {
            authors = List.copyOf(authors);
            extraItems = List.copyOf(extraItems);
            links = List.copyOf(links);
        }
    }

    public GateView open(GateKey key, Request request) {
        ApprovalTask task = policy.task(key.task());
        List<String> checklist = checklist(task, request.extraItems());
        List<String> mayNot = task.selfApproval() ? List.of() : selfApprovers(request.startedBy(), request.authors());
        String message = oneLine(request.message() == null || request.message().isBlank() ? task.title()
                : request.message());
        Map<String, Object> data = base(key);
        data.put("event", "requested");
        data.put("startedBy", request.startedBy());
        data.put("authors", request.authors());
        data.put("message", message);
        data.put("quorum", task.quorum());
        data.put("approvers", policy.approvers(task));
        data.put("groups", policy.groups(task));
        data.put("checklist", checklist);
        data.put("counted", false);
        AtomicReference<GateState> before = new AtomicReference<>();
        ledger.appendComputed(GateKey.TYPE, entries -> {
            before.set(GateState.replay(key, task, entries));
            return data;
        });
        GateState state = before.get();
        List<String> told = new ArrayList<>(task.answeringRoles());
        told.addAll(task.consulted());
        GateStatus.Notice notice = new GateStatus.Notice("Approval needed: " + task.title(),
                message + "\n" + task.quorum() + (task.quorum() == 1 ? " approval" : " approvals") + " needed from "
                        + policy.whoMayAnswer(task) + ".",
                request.inputUrl(), policy.emails(told));
        return new GateView(key.task(), key.gate(), key.build(), task.title(), message,
                details(task, request, checklist, mayNot), task.quorum(), policy.approvers(task),
                policy.groups(task), policy.submitter(task), checklist, task.timeoutMinutes(), task.onTimeout(),
                task.selfApproval(), mayNot, GateView.Channels.of(policy.config().notifications()), notice,
                status(key, task, state, null, null));
    }

    /** Records the answer with whether it counted, and returns the gate's status after it. */
    public GateStatus answer(GateKey key, Answer answer) {
        ApprovalTask task = policy.task(key.task());
        if (!Answer.EVENTS.contains(answer.event())) {
            throw new BadInputException(null, 0, "--answer", "must be one of "
                    + String.join(", ", Answer.EVENTS) + ", not '" + answer.event() + "'");
        }
        AtomicReference<GateState> after = new AtomicReference<>();
        AtomicReference<GateStatus.Verdict> verdict = new AtomicReference<>();
        LedgerEntry entry = ledger.appendComputed(GateKey.TYPE, entries -> {
            GateState state = GateState.replay(key, task, entries);
            String refused = refusal(task, state, answer);
            if (refused == null) {
                state.count(answer.event(), answer.by(), answer.reason());
            }
            after.set(state);
            verdict.set(new GateStatus.Verdict(answer.event(), answer.by(), refused == null, refused));
            Map<String, Object> data = base(key);
            data.put("event", answer.event());
            data.put("by", answer.by());
            data.put("reason", answer.reason());
            data.put("checked", answer.checked());
            data.put("counted", refused == null);
            if (refused != null) {
                data.put("refused", refused);
            }
            data.put("status", state.status);
            data.put("approvedBy", List.copyOf(state.approvedBy));
            data.put("quorum", task.quorum());
            return data;
        });
        return status(key, task, after.get(), verdict.get(), entry.seq());
    }

    /** The gate's status from the ledger, changing nothing. */
    public GateStatus status(GateKey key) {
        ApprovalTask task = policy.task(key.task());
        return status(key, task, GateState.replay(key, task, ledger.entries()), null, null);
    }

    /** Why an answer does not count, or null when it does. Checked in this order; the first reason is given. */
    private String refusal(ApprovalTask task, GateState state, Answer answer) {
        if (state.isFinal()) {
            return "the gate has already ended: " + state.summary();
        }
        String event = answer.event();
        if (event.equals("timeout") || event.equals("abort")) {
            return null;
        }
        String by = answer.by();
        if (by.isEmpty()) {
            return "no user id came back with the answer";
        }
        if (!policy.mayAnswer(task, by, answer.byGroups())) {
            return by + " may not answer '" + task.name() + "' (Jenkins lets administrators past the input's"
                    + " submitter list, so this is checked here). Who may: " + policy.whoMayAnswer(task);
        }
        if (event.equals("reject")) {
            return answer.reason().isEmpty() ? "a rejection needs a reason: " + by + " gave none" : null;
        }
        if (!task.selfApproval()) {
            if (by.equals(answer.startedBy())) {
                return by + " started this build and may not approve it (selfApproval is off for '" + task.name()
                        + "')";
            }
            if (selfApprovers("", answer.authors()).contains(by)) {
                return by + " is an author of the change and may not approve it (selfApproval is off for '"
                        + task.name() + "')";
            }
        }
        if (state.approvedBy.contains(by)) {
            return by + " has already approved; a repeat approval does not count (" + state.summary() + ")";
        }
        List<String> missing = new ArrayList<>(checklist(task, answer.extraItems()));
        missing.removeAll(answer.checked());
        if (!missing.isEmpty()) {
            return "not every checklist item was ticked, so the approval by " + by + " does not count; unticked: "
                    + String.join("; ", missing);
        }
        return null;
    }

    private GateStatus status(GateKey key, ApprovalTask task, GateState state, GateStatus.Verdict verdict,
                              Long entry) {
        GateStatus.Notice notice = null;
        if (state.isFinal() && (verdict == null || verdict.counted())) {
            List<String> told = new ArrayList<>(task.answeringRoles());
            told.addAll(task.informed());
            String outcome = switch (state.status) {
                case GateState.APPROVED -> "Approved";
                case GateState.REJECTED -> "Rejected";
                case GateState.TIMED_OUT -> "Timed out";
                default -> "Aborted";
            };
            notice = new GateStatus.Notice(outcome + ": " + task.title(), task.title() + ": " + state.summary()
                    + ".", key.build().equals("local") ? "" : key.build(), policy.emails(told));
        }
        return new GateStatus(key.task(), key.gate(), key.build(), task.title(), state.status, task.quorum(),
                state.approvedBy.size(), List.copyOf(state.approvedBy), state.decidedBy, state.reason,
                state.summary(), verdict, entry, notice);
    }

    private List<String> selfApprovers(String startedBy, List<String> authors) {
        Set<String> out = new LinkedHashSet<>();
        if (startedBy != null && !startedBy.isBlank()) {
            out.add(startedBy.trim());
        }
        for (String author : authors) {
            out.add(policy.memberId(author).orElse(author.trim()));
        }
        return List.copyOf(out);
    }

    private static List<String> checklist(ApprovalTask task, List<String> extra) {
        Set<String> items = new LinkedHashSet<>(task.checklist());
        extra.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
        return List.copyOf(items);
    }

    /**
     * The text shown with the input (as a parameter's description, which keeps line breaks): what is approved,
     * the rules that apply, and the links to this build's reports.
     */
    private String details(ApprovalTask task, Request request, List<String> checklist, List<String> mayNot) {
        StringBuilder out = new StringBuilder(task.title()).append('\n');
        if (request.details() != null && !request.details().isBlank()) {
            out.append('\n').append(request.details().strip()).append('\n');
        }
        out.append('\n').append(task.quorum()).append(task.quorum() == 1 ? " approval" : " distinct approvals")
                .append(" needed from ").append(policy.whoMayAnswer(task)).append(".\n");
        if (!mayNot.isEmpty()) {
            out.append("May not approve (they started the build or wrote the change): ")
                    .append(String.join(", ", mayNot)).append(".\n");
        }
        if (!checklist.isEmpty()) {
            out.append("Tick every checklist item; an approval with an unticked item does not count.\n");
        }
        if (!request.links().isEmpty()) {
            out.append("\nThis build:\n");
            request.links().forEach(l -> out.append("- ").append(l.label()).append(": ").append(l.url())
                    .append('\n'));
        }
        return out.toString().stripTrailing();
    }

    /** The input's message is one line: Jenkins shows it as a heading and drops line breaks. */
    static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= MESSAGE_LENGTH ? line : line.substring(0, MESSAGE_LENGTH - 1) + "…";
    }

    private static Map<String, Object> base(GateKey key) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", key.task());
        data.put("gate", key.gate());
        data.put("build", key.build());
        return data;
    }
}
